"""The build's kernel process: IPython's kernel on evalkit's own Python, without a debugger.

A lane (:class:`evalkit.build.kernels.Lane`) starts ``python -m evalkit.build.kernel_main
-f <connection file>`` with the interpreter evalkit runs on, whatever kernels the user
has installed under the name ``python3``. It is ipykernel's own launcher
(``ipykernel_launcher``) with one change: the debugger (debugpy, which ipykernel loads
when it can, about 7 MB in every kernel) is left out, since nobody attaches a debugger
to a batch build's kernel. A pack that raises is reported with its traceback as before.
"""

from __future__ import annotations

import os
import sys

#: The kernel's command; ``{connection_file}`` is filled in by jupyter_client.
ARGV = [sys.executable, "-m", "evalkit.build.kernel_main", "-f", "{connection_file}"]


def main() -> None:
    """Start the kernel, as ``ipykernel_launcher`` does, with debugpy unavailable."""
    sys.modules.setdefault("debugpy", None)  # type: ignore[arg-type]  # import fails: no debugger
    # Like ipykernel_launcher: the working folder leaves the import path while the kernel
    # loads, and IPython puts it back for the code the kernel runs.
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
