"""Warm Jupyter kernels for the batch build: start, run code, print PDFs, recycle; stop.

A :class:`Lane` is one kernel talking over IPC sockets in a private temporary folder
(so parallel kernels cannot race for TCP ports). The build keeps one lane per worker:
the kernel runs each pack's notebook (driven by nbclient from the main process) and
then makes the formats made in the kernel, such as the PDF, in its own process
(:func:`make_in_kernel`), so no second Python process per worker is needed.

**Stopping** (SIGTERM, SIGINT). The command line turns both signals into
:class:`~evalkit.errors.Interrupted`, raised wherever the main thread is. Raised inside
the event loop that would cut through whatever code was running (a half-written
manifest, a kernel half started), so while the build's loop runs,
:func:`run_coroutine` puts its own handler in place: a signal only asks the loop to
cancel the build's task. The cancellation arrives at an ``await``; the lanes then
cancel their jobs (which remove their staging folders) and shut every kernel down at
once, removing their temporary folders; a second signal meanwhile is noted, not acted
on. Once the loop has finished, the previous handlers are restored and the signal is
raised again, so the caller sees what it would have seen (``Interrupted`` from the
command line, ``KeyboardInterrupt`` for Ctrl-C elsewhere). We chose a plain
:func:`signal.signal` handler plus :func:`signal.set_wakeup_fd` over
``loop.add_signal_handler``, whose removal resets the handler to the default (for
SIGTERM: die at once) before the previous one can be put back.

A kernel's temporary folder is named after the process that made it
(``evalkit-kernel-<pid>-…``), so folders left by a process that was killed with
SIGKILL are removed when the next lane starts (:func:`remove_stale_kernel_folders`);
the kernels themselves exit on their own when their parent goes (ipykernel watches it).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from evalkit.config import NOTEBOOKS_DIR, PROJECT_ROOT
from evalkit.errors import Interrupted

T = TypeVar("T")
#: The signals that stop a build.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
#: A kernel's temporary folder: ``evalkit-kernel-<pid>-<random>`` in the temp folder.
KERNEL_PREFIX = "evalkit-kernel-"

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
# The page renderer (nbconvert, its templates, the HTML parser) is loaded here too: the
# kernel renders each pack's page (:func:`page_in_kernel`), and the main process, which
# only drives the kernels and writes files, never loads it.
WARM_UP = (
    "import evalkit.build.kernels, evalkit.build.formats\n"
    "import evalkit.report.pack, evalkit.report.charts, weasyprint\n"
    "from evalkit.report.render import prepare as _prepare\n_prepare()\ndel _prepare\n"
    "import gc\ngc.collect()\ngc.freeze()\ndel gc"
)


@functools.cache
def prepare_main() -> None:
    """Load the main process's share of the work (running and writing notebooks) once.

    Called while the kernels boot, so the first pack does not wait for these imports.
    Then, as in the kernels (:data:`WARM_UP`), the modules' objects, which live as long
    as the build, leave the garbage collector's sight.
    """
    import gc

    import nbclient  # noqa: F401 - imported for its side effect of being loaded
    import nbformat  # noqa: F401
    import papermill.iorw  # noqa: F401
    import papermill.parameterize  # noqa: F401

    gc.collect()
    gc.freeze()


#: glibc's malloc: blocks of 128 KiB or more (a chart's pixels, a table's columns) are
#: always given their own pages, which go back to the system as soon as they are freed.
#: By default the threshold rises to the largest block freed so far, so a kernel keeps
#: the pages of its largest charts between packs: about 10 MB a kernel at its peak.
MMAP_THRESHOLD = 128 * 1024


def kernel_environment() -> dict[str, str]:
    """The environment a lane's kernel starts with: this one, with Agg for matplotlib.

    glibc's ``MALLOC_MMAP_THRESHOLD_`` is set to :data:`MMAP_THRESHOLD` unless it is
    set already (it is ignored where the C library is not glibc).
    """
    env = {**os.environ, "MPLBACKEND": "Agg"}
    env.setdefault("MALLOC_MMAP_THRESHOLD_", str(MMAP_THRESHOLD))
    return env


#: The name of the build's own kernel (see :mod:`evalkit.build.kernel_main`).
KERNEL_NAME = "evalkit-build"


def _kernel_specs() -> Any:
    """A kernel-spec manager that knows one kernel: the build's own (:data:`KERNEL_NAME`).

    It runs on the interpreter evalkit runs on, whatever a ``python3`` kernel installed
    for the user points at, and without the debugger.
    """
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager, NoSuchKernel

    from evalkit.build.kernel_main import ARGV

    class BuildKernelSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            if kernel_name != KERNEL_NAME:
                raise NoSuchKernel(kernel_name)
            return KernelSpec(
                argv=list(ARGV),
                name=KERNEL_NAME,
                display_name="evalkit build (Python 3)",
                language="python",
                interrupt_mode="signal",
            )

    return BuildKernelSpecs()


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

        remove_stale_kernel_folders()
        self.runtime = tempfile.mkdtemp(prefix=f"{KERNEL_PREFIX}{os.getpid()}-")
        self.km = AsyncKernelManager(
            kernel_name=KERNEL_NAME,
            kernel_spec_manager=_kernel_specs(),
            transport="ipc",
            ip=os.path.join(self.runtime, "ipc"),
            connection_file=os.path.join(self.runtime, "kernel.json"),
        )
        cwd = NOTEBOOKS_DIR if NOTEBOOKS_DIR.is_dir() else PROJECT_ROOT
        await self.km.start_kernel(cwd=str(cwd), env=kernel_environment())
        prepare_main()  # while the kernel boots in its own process
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=120)
        await self.run(WARM_UP, 300)
        await self.run(RESET, 60)  # a lane's kernel is clean whenever it waits for a pack

    async def stop(self, *, kill: bool = False) -> None:
        """Shut the kernel down (``kill``: at once, for a kernel stuck or broken, or a stop).

        The kernel process is killed and its temporary folder removed even when this
        is itself cancelled half-way.
        """
        kc, km, runtime = self.kc, self.km, self.runtime
        self.kc = self.km = self.runtime = None
        try:
            if kc is not None:
                kc.stop_channels()
            if km is not None:
                try:
                    await km.shutdown_kernel(now=kill)
                except Exception:  # noqa: BLE001 - best effort: make sure it is gone
                    with contextlib.suppress(Exception):
                        await km.shutdown_kernel(now=True)
        finally:
            _kill_now(km)
            if runtime:
                shutil.rmtree(runtime, ignore_errors=True)

    async def restart(self, *, kill: bool = False) -> None:
        """Replace the kernel with a fresh one."""
        await self.stop(kill=kill)
        await self.start()

    async def run(self, code: str, timeout: float, stderr: list[str] | None = None) -> str:
        """Run code quietly in the kernel and return what it printed.

        Args:
            code: Python source.
            timeout: seconds to wait for the reply.
            stderr: if given, what the code wrote to stderr (warnings) is added to it.

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
            elif kind == "stream" and stderr is not None:
                stderr.append(content["text"])
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


def release_memory(*, collect: bool = False) -> None:
    """Hand back to the system what the last pack left in a kernel.

    Run in a kernel straight after IPython's ``%reset -f`` (which clears the namespace
    and collects garbage), and in the main process after each pack: closes any pyplot
    figures and asks glibc to return free heap pages, so a long build grows less.
    ``collect``: collect garbage first, as after a format made in the kernel (the PDF),
    where no reset has done it.
    """
    import ctypes
    import gc

    if collect:
        gc.collect()
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
    try:
        make(Sources(Path(notebook), Path(page)), Path(out))
    finally:
        release_memory(collect=True)  # what the format left, before the next pack runs


def page_in_kernel(notebook: str, page: str, options: str) -> None:
    """Render an executed notebook's web page (see :func:`evalkit.build.job.write_page`).

    Runs inside a lane's kernel, like :func:`make_in_kernel`: the page's images and its
    parsed markup then live in the kernel, which hands its memory back after each pack,
    rather than in the main process, which serves every lane. ``options`` is the JSON of
    :func:`evalkit.report.render.notebook_to_html`'s keyword arguments; ``links`` is a
    list of ``[label, href]`` pairs.
    """
    import json

    from evalkit.atomic import atomic_write_text
    from evalkit.report.navigation import PageLink
    from evalkit.report.render import notebook_to_html

    kwargs = json.loads(options)
    kwargs["links"] = [PageLink(label, href) for label, href in kwargs["links"]]
    atomic_write_text(Path(page), notebook_to_html(Path(notebook), **kwargs))
    release_memory()  # before the PDF is printed in this same kernel


def _kill_now(km: Any) -> None:
    """Kill a kernel's process outright if it is still there (the last resort of a stop)."""
    process = getattr(getattr(km, "provisioner", None), "process", None)
    if process is not None and process.poll() is None:
        with contextlib.suppress(OSError):
            process.kill()
            process.wait(timeout=5)


def process_alive(pid: int) -> bool:
    """True when a process with this id exists (ours, or one we may not signal)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. PermissionError: it exists, someone else's
        return True
    return True


def remove_stale_kernel_folders(folder: Path | None = None) -> list[Path]:
    """Remove kernels' temporary folders whose evalkit process is gone (SIGKILL).

    Only folders named after a process id (``evalkit-kernel-<pid>-…``) are considered.

    Returns:
        The folders removed.
    """
    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob(f"{KERNEL_PREFIX}*"):
        pid = path.name[len(KERNEL_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and path.is_dir() and not process_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


class _Stop:
    """While a build's event loop runs: a stop signal cancels the build's task, once."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.task: asyncio.Task[Any] | None = None

    def handler(self, signum: int, _frame: object) -> None:
        """The signal handler: note the first signal and ask the loop to cancel the task."""
        if self.signum is not None:
            return  # already stopping: the cleanup is not cut short
        self.signum = signum
        if self.loop is not None and self.task is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.task.cancel)

    async def watch(self, coroutine: Coroutine[Any, Any, T]) -> T | None:
        """Run the coroutine; return None when a signal stopped it."""
        self.loop, self.task = asyncio.get_running_loop(), asyncio.current_task()
        # A signal that arrives while the main thread waits in select() wakes it.
        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        self.loop.add_reader(reader.fileno(), _drain, reader)
        previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        try:
            if self.signum is not None:  # signalled before the loop started
                coroutine.close()
                return None
            return await coroutine
        except asyncio.CancelledError:
            if self.signum is None:
                raise
            return None
        finally:
            signal.set_wakeup_fd(previous_fd)
            self.loop.remove_reader(reader.fileno())
            reader.close()
            writer.close()


def _drain(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while sock.recv(512):
            pass


@contextlib.contextmanager
def _handlers(handler: Any) -> Iterator[None]:
    """Put ``handler`` in place for the stop signals not ignored; restore the old ones after."""
    previous = {}
    for signum in STOP_SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            previous[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, signal.SIG_DFL if old is None else old)


def _raise_again(signum: int) -> None:
    """Deliver a noted signal to the handler now in place; raise ``Interrupted`` if it returns."""
    signal.raise_signal(signum)
    raise Interrupted(signum)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGTERM and SIGINT while the block runs (in the main thread), then deliver them.

    For short work that must not be cut in half, such as writing the manifest and the
    index after a stop.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    with _handlers(lambda signum, _frame: noted.append(signum)):
        yield
    if noted:
        signal.raise_signal(noted[0])  # the handler in place now decides what it means


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end, even when called from code inside an event loop.

    In the main thread, SIGTERM and SIGINT stop the coroutine cleanly (see the module's
    notes) and are then raised again for the handlers that were in place.

    A Jupyter kernel (someone calling :func:`run_build` from a notebook) already runs
    an event loop in its main thread, where ``asyncio.run`` is refused; the build then
    gets a thread and an event loop of its own.
    """
    try:
        asyncio.get_running_loop()
        in_a_loop = True
    except RuntimeError:
        in_a_loop = False
    if in_a_loop:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="evalkit-build") as pool:
            return pool.submit(asyncio.run, coroutine).result()
    if threading.current_thread() is not threading.main_thread():
        return asyncio.run(coroutine)
    stop = _Stop()
    with _handlers(stop.handler):
        result = asyncio.run(stop.watch(coroutine))
    if stop.signum is not None:
        _raise_again(stop.signum)
    return result  # type: ignore[return-value]  # None only when stopped
