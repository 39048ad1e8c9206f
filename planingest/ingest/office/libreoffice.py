"""Converting a file with LibreOffice (``soffice --headless --convert-to``).

Each conversion uses its own LibreOffice profile (``-env:UserInstallation``):
parallel workers sharing the default profile block on its lock or corrupt it.
Conversion runs in its own process group and is killed as a group on timeout,
because soffice forks a child (soffice.bin) that survives killing the parent.

The converter must also die with the reader that started it, however the reader
ends (killed for its time limit, or with the whole run by SIGKILL).  A signal on
the parent's death reaches only a direct child, so the group is led by a small
watchdog (:data:`WATCHDOG`) holding the read end of a pipe whose write end only
the reader has: when the reader is gone, the pipe reports end-of-file and the
watchdog kills its whole group.  The temporary folder lives under ``$TMPDIR``,
which the reader pool points at a per-worker folder it removes when the worker
ends (see :mod:`planingest.run.pool`).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from planingest.core.errors import BadInputError, MissingToolError

TIMEOUT_SECONDS = 60

#: runs the command in its own process group and kills the group when stdin reaches end-of-file
WATCHDOG = """
import os, select, signal, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL)
while child.poll() is None:
    ready, _, _ = select.select([0], [], [], 0.2)
    if ready and not os.read(0, 1):
        os.killpg(0, signal.SIGKILL)
sys.exit(child.returncode)
"""


def start_guarded(command: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen, int]:
    """Start ``command`` under the watchdog in a new process group; returns (process, lifeline fd).

    Keep the lifeline open while the command may run and close it afterwards; if
    this process dies, the kernel closes it and the watchdog kills the group.
    """
    read_end, lifeline = os.pipe()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", WATCHDOG, *command], stdin=read_end, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env, start_new_session=True,
        )
    except BaseException:
        os.close(lifeline)
        raise
    finally:
        os.close(read_end)
    return proc, lifeline


def stop_guarded(proc: subprocess.Popen, lifeline: int) -> None:
    """Kill what is left of the group (soffice.bin may outlive soffice) and close the lifeline."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    os.close(lifeline)
    proc.wait()
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, source_suffix: str, target: str, package: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Convert ``data`` (a file with extension ``source_suffix``) to ``target`` with LibreOffice.

    ``package`` names the Debian package to install when LibreOffice is missing.
    """
    soffice = soffice_path()
    if soffice is None:
        raise MissingToolError(f"reading .{source_suffix} needs LibreOffice: apt-get install {package}")
    input_name = f"input.{source_suffix}"
    with tempfile.TemporaryDirectory(prefix="planingest-lo-") as tmp:
        source = Path(tmp, input_name)
        source.write_bytes(data)
        outdir = Path(tmp, "out")
        command = [
            soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
            "--nolockcheck", "--nodefault", "--convert-to", target, "--outdir", str(outdir), str(source),
        ]
        proc, lifeline = start_guarded(command, dict(os.environ, HOME=tmp))
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise BadInputError(f"LibreOffice did not convert the file within {timeout:.0f} s (damaged or too complex)") from None
        finally:
            stop_guarded(proc, lifeline)
        result = outdir / f"{source.stem}.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            lines = [ln for ln in err.decode("utf-8", "replace").splitlines() if ln.strip() and "javaldx" not in ln]
            detail = f": {lines[-1].strip()}" if lines else ""
            raise BadInputError(f"LibreOffice could not read the file (damaged or not a .{source_suffix}){detail}")
        return result.read_bytes()
