"""A lane's kernel: evalkit's own interpreter, no debugger, the notebooks folder as its cwd."""

from __future__ import annotations

import json
import os
import sys

from evalkit.build.kernels import Lane, kernel_environment, run_coroutine
from evalkit.config import NOTEBOOKS_DIR

PROBE = """
import json, os, sys
print(json.dumps([sys.executable, sys.modules.get("debugpy", "absent") is None, os.getcwd(),
                  "" in sys.path, "evalkit.report.pack" in sys.modules,
                  os.environ.get("MALLOC_MMAP_THRESHOLD_")]))
"""


def test_a_lane_kernel_runs_on_evalkits_python_without_the_debugger():
    async def probe() -> str:
        lane = Lane()
        await lane.start()
        try:
            return await lane.run(PROBE, 60)
        finally:
            await lane.stop()

    executable, no_debugger, cwd, cwd_importable, warm, mmap = json.loads(run_coroutine(probe()))
    assert executable == sys.executable
    assert no_debugger  # debugpy was refused, so ipykernel made no debugger
    assert cwd == str(NOTEBOOKS_DIR)
    assert cwd_importable  # IPython put the working folder back on the import path
    assert warm  # the warm-up imports are paid before the first pack
    assert mmap == os.environ.get("MALLOC_MMAP_THRESHOLD_", "131072")


def test_kernels_start_with_agg_and_large_blocks_given_back(monkeypatch):
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    env = kernel_environment()
    assert env["MPLBACKEND"] == "Agg"
    assert env["MALLOC_MMAP_THRESHOLD_"] == "131072"  # 128 KiB
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "65536")  # someone's own setting stays
    assert kernel_environment()["MALLOC_MMAP_THRESHOLD_"] == "65536"
