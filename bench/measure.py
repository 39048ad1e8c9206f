"""Run ``planingest run`` as a user would and measure it: wall time, and the memory of
every process it starts.

The readers are separate processes (planingest.run.worker, and the LibreOffice a
worker may start), so their memory is sampled from /proc while the run goes:
each process's VmHWM (its own peak RSS, kept by the kernel, so a spike between
two samples is not missed while the process lives) and, per sample, the sum of
VmRSS over the CLI and all its descendants (the batch's total footprint).
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLL_S = 0.1


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(name))
    return children


def _descendants(root: int) -> list[int]:
    children, out, todo = _children_map(), [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _status_kb(pid: int) -> tuple[int, int] | None:
    """(VmRSS, VmHWM) in kB, or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            fields = dict(line.split(":", 1) for line in fh if line.startswith(("VmRSS", "VmHWM")))
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
    except (OSError, KeyError, ValueError):
        return None


def _kind(pid: int, root: int) -> str:
    if pid == root:
        return "parent"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmdline = fh.read()
    except OSError:
        return "other"
    if b"planingest.run.worker" in cmdline:
        return "worker"
    if b"soffice" in cmdline or b"libreoffice" in cmdline:
        return "libreoffice"
    return "other"


@dataclass
class MemorySampler:
    """Samples the memory of ``root`` and its descendants in a thread until stopped."""

    root: int
    peaks_kb: dict[int, tuple[str, int]] = field(default_factory=dict)  # pid -> (kind, VmHWM)
    total_peak_kb: int = 0
    samples: int = 0

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(POLL_S)

    def sample(self) -> None:
        total = 0
        for pid in _descendants(self.root):
            status = _status_kb(pid)
            if status is None:
                continue
            rss, hwm = status
            total += rss
            kind = self.peaks_kb[pid][0] if pid in self.peaks_kb else _kind(pid, self.root)
            self.peaks_kb[pid] = (kind, max(hwm, self.peaks_kb.get(pid, ("", 0))[1]))
        self.total_peak_kb = max(self.total_peak_kb, total)
        self.samples += 1

    def peaks_mb(self, kind: str) -> list[float]:
        return sorted(hwm / 1024 for k, hwm in self.peaks_kb.values() if k == kind)


@dataclass(frozen=True)
class RunFigures:
    seconds: float
    status: int
    summary: str  # the CLI's last stderr line
    worker_peaks_mb: list[float]
    libreoffice_peaks_mb: list[float]
    parent_peak_mb: float
    total_peak_mb: float

    @property
    def worker_peak_mb(self) -> float:
        return max(self.worker_peaks_mb, default=0.0)


def run_cli(inputs: list[Path], out: Path, workers: int, *extra: str, code: Path = ROOT) -> RunFigures:
    """``planingest run INPUTS --out OUT --workers N --quiet``, timed and memory-sampled.

    ``code`` is the folder whose packages run (``python -m`` imports from its working directory).
    """
    command = [sys.executable, "-m", "planingest", "run", *map(str, inputs), "--out", str(out),
               "--workers", str(workers), "--quiet", *extra]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=code, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    with MemorySampler(process.pid) as sampler:
        _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    lines = [line for line in stderr.splitlines() if line.strip()]
    if process.returncode not in (0, 1):
        raise RuntimeError(f"planingest run exited {process.returncode}: {stderr[-2000:]}")
    parent = sampler.peaks_mb("parent")
    return RunFigures(seconds, process.returncode, lines[-1] if lines else "", sampler.peaks_mb("worker"),
                      sampler.peaks_mb("libreoffice"), parent[0] if parent else 0.0, sampler.total_peak_kb / 1024)
