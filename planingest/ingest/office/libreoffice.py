"""Converting a file with LibreOffice (``soffice --headless --convert-to``).

Each conversion uses its own LibreOffice profile (``-env:UserInstallation``):
parallel workers sharing the default profile block on its lock or corrupt it.
Conversion runs in its own process group and is killed as a group on timeout,
because soffice forks a child that survives killing the parent.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from planingest.core.errors import BadInputError, MissingToolError

TIMEOUT_SECONDS = 60


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
        env = dict(os.environ, HOME=tmp)
        proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            env=env, start_new_session=True,
        )
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise BadInputError(f"LibreOffice did not convert the file within {timeout:.0f} s (damaged or too complex)") from None
        finally:
            if proc.poll() is None:  # pragma: no cover - only on an exception above
                os.killpg(proc.pid, signal.SIGKILL)
        result = outdir / f"{source.stem}.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            lines = [ln for ln in err.decode("utf-8", "replace").splitlines() if ln.strip() and "javaldx" not in ln]
            detail = f": {lines[-1].strip()}" if lines else ""
            raise BadInputError(f"LibreOffice could not read the file (damaged or not a .{source_suffix}){detail}")
        return result.read_bytes()
