"""Warm Jupyter kernels for the batch build: start, run code, print PDFs, recycle.

A :class:`Lane` is one kernel talking over IPC sockets in a private temporary folder
(so parallel kernels cannot race for TCP ports). The build keeps one lane per worker:
the kernel runs each pack's notebook (driven by nbclient from the main process) and
then makes the formats made in the kernel, such as the PDF, in its own process
(:func:`make_in_kernel`), so no second Python process per worker is needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from evalkit.config import NOTEBOOKS_DIR, PROJECT_ROOT

# nbformat validates with jsonschema, which imports its optional IRI format checker,
# rfc3987-syntax; that compiles a grammar on import (about 0.9 s and 16 MB in every
# process). A build never checks IRIs, so the main process and the kernels (which
# import this module before nbformat) leave it out. Nothing changes if jsonschema is already in.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


class KernelError(Exception):
    """Code run in a lane's kernel raised; carries the kernel's exception name."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


RESET = "%reset -f\nfrom evalkit.build.kernels import release_memory as _rm\n_rm()\ndel _rm"
# Imports paid once per kernel. Then everything loaded so far is moved out of the
# garbage collector's sight (gc.freeze): the modules' objects live as long as the
# kernel, and every later collection (IPython's reset, WeasyPrint's allocations) no
# longer walks them.
WARM_UP = (
    "import evalkit.build.kernels, evalkit.build.formats\n"
    "import evalkit.report.pack, evalkit.report.charts, weasyprint\n"
    "import gc\ngc.collect()\ngc.freeze()\ndel gc"
)


@functools.cache
def prepare_main() -> None:
    """Load the main process's share of the work (notebook → HTML) once."""
    import gc

    from evalkit.report.render import prepare

    prepare()
    gc.collect()
    gc.freeze()  # as in the kernels: long-lived module objects leave the collector's view


class Lane:
    """One warm Jupyter kernel over IPC sockets, used for one pack at a time.

    The kernel is the worker: it runs the pack's notebook (driven by nbclient from the
    main process) and then makes the pack's in-kernel formats (the PDF) in its own
    process, so no second Python process per worker is needed. IPC sockets live in a
    private temporary folder, so parallel kernels cannot race for TCP ports.
    """

    def __init__(self) -> None:
        self.km: Any = None
        self.kc: Any = None
        self.runtime: str | None = None

    async def start(self) -> None:
        """Start the kernel, pay its imports once, and leave it clean for a pack."""
        from jupyter_client.manager import AsyncKernelManager

        self.runtime = tempfile.mkdtemp(prefix="evalkit-kernel-")
        self.km = AsyncKernelManager(
            kernel_name="python3",
            transport="ipc",
            ip=os.path.join(self.runtime, "ipc"),
            connection_file=os.path.join(self.runtime, "kernel.json"),
        )
        cwd = NOTEBOOKS_DIR if NOTEBOOKS_DIR.is_dir() else PROJECT_ROOT
        await self.km.start_kernel(cwd=str(cwd), env={**os.environ, "MPLBACKEND": "Agg"})
        prepare_main()  # while the kernel boots in its own process
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=120)
        await self.run(WARM_UP, 300)
        await self.run(RESET, 60)  # a lane's kernel is clean whenever it waits for a pack

    async def stop(self, *, kill: bool = False) -> None:
        """Shut the kernel down (``kill``: at once, for a kernel stuck or broken)."""
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            try:
                await self.km.shutdown_kernel(now=kill)
            except Exception:  # noqa: BLE001 - best effort: make sure it is gone
                with contextlib.suppress(Exception):
                    await self.km.shutdown_kernel(now=True)
            self.km = None
        if self.runtime:
            shutil.rmtree(self.runtime, ignore_errors=True)
            self.runtime = None

    async def restart(self, *, kill: bool = False) -> None:
        """Replace the kernel with a fresh one."""
        await self.stop(kill=kill)
        await self.start()

    async def run(self, code: str, timeout: float) -> str:
        """Run code quietly in the kernel and return what it printed.

        Raises:
            KernelError: the code raised in the kernel.
            TimeoutError: no reply within ``timeout`` seconds.
        """
        printed: list[str] = []
        error: dict[str, str] = {}

        def hook(msg: dict[str, Any]) -> None:
            kind, content = msg["header"]["msg_type"], msg["content"]
            if kind == "stream" and content.get("name") == "stdout":
                printed.append(content["text"])
            elif kind == "error":
                error.update(ename=content.get("ename", ""), evalue=content.get("evalue", ""))

        reply = await self.kc.execute_interactive(
            code, store_history=False, allow_stdin=False, output_hook=hook, timeout=timeout
        )
        if reply["content"].get("status") != "ok":
            content = reply["content"]
            raise KernelError(
                error.get("ename") or content.get("ename", "Error"),
                error.get("evalue") or content.get("evalue", ""),
            )
        return "".join(printed)


def release_memory() -> None:
    """Hand back to the system what the last pack left in a kernel.

    Run in a kernel straight after IPython's ``%reset -f`` (which clears the namespace
    and collects garbage), and in the main process after each pack: closes any pyplot
    figures and asks glibc to return free heap pages, so a long build grows less.
    """
    import ctypes

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    with contextlib.suppress(OSError, AttributeError):  # glibc only; elsewhere a no-op
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def make_in_kernel(module: str, name: str, notebook: str, page: str, out: str) -> None:
    """Make one output format's file (see :mod:`evalkit.build.formats`).

    Runs inside a lane's kernel (see :class:`Lane`), after the notebook itself, so slow
    formats such as the PDF are spread over the kernels while the main process renders
    the next page. ``module`` and ``name`` say where the format's ``make`` function is.
    """
    import importlib

    from evalkit.build.formats import Sources

    make = getattr(importlib.import_module(module), name)
    make(Sources(Path(notebook), Path(page)), Path(out))


def run_coroutine(coroutine: Any) -> Any:
    """Run a coroutine to the end, even when called from code inside an event loop.

    A Jupyter kernel (someone calling :func:`run_build` from a notebook) already runs
    an event loop in its main thread, where ``asyncio.run`` is refused; the build then
    gets a thread and an event loop of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="evalkit-build") as pool:
        return pool.submit(asyncio.run, coroutine).result()
