"""``make bench``, fourth part: a 40-page scan read with the defaults, by 1 worker and by 2 sharing its pages.

The scan is built by ``tools/long_scan.py`` into ``bench/work/long-scan/in/`` (about
15 MB: generated, not committed; rebuilt when missing).  Each run is
``planingest run IN --out FRESH --workers N --quiet`` with every other option at its
default (``--memory-mb 2048``, ``--timeout 120``, ``--ocr-page-timeout 20``), as a
user would start it, measured with :mod:`bench.measure`:

- wall seconds, and CPU seconds of the run and every process it started (the
  parent's ``RUSAGE_CHILDREN`` around it: the workers are waited for, so theirs count)
  per page;
- each worker's peak RSS (VmHWM);
- the rows found, and whether the 2-worker run wrote exactly the 1-worker run's
  indicators, projects and tasks tables.

The section sits between its own markers, so it can be re-run alone:
``.venv/bin/python -m bench.long_scan``.
"""
from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from bench.measure import run_cli
from bench.ray_executor import write_section
from tools.long_scan import build_long_scan

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work" / "long-scan"
PAGES = 40
BEGIN, END = "<!-- long-scan:begin -->", "<!-- long-scan:end -->"
ROW_TABLES = ("indicators", "projects", "tasks")


def say(text: str) -> None:
    print(f"[bench long-scan {time.strftime('%H:%M:%S')}] {text}", flush=True)


@dataclass(frozen=True)
class Run:
    workers: int
    seconds: float
    cpu_s: float
    worker_peaks_mb: list[float]
    rows: dict[str, int]
    status: str
    helped: str  # what the run's workers.log says helpers did
    load_before: tuple[float, ...]
    load_after: tuple[float, ...]

    @property
    def cpu_per_page(self) -> float:
        return self.cpu_s / PAGES

    @property
    def cores(self) -> float:
        """Cores the run had on average (CPU s / wall s): below the workers when others share the machine."""
        return self.cpu_s / self.seconds if self.seconds else 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tables(out: Path) -> dict[str, list[dict]]:
    return {name: sorted(pq.read_table(out / f"{name}.parquet").to_pylist(), key=lambda r: str(r.get("row_id")))
            for name in ROW_TABLES}


def scan() -> Path:
    path = WORK / "in" / f"long-scan-{PAGES}.pdf"
    if not path.exists():
        say(f"building the {PAGES}-page scan (tools/long_scan.py)")
        build_long_scan(path, PAGES)
    return path


def measure(workers: int) -> tuple[Run, dict[str, list[dict]]]:
    out = WORK / f"out-{workers}"
    shutil.rmtree(out, ignore_errors=True)
    load_before = os.getloadavg()
    cpu = _children_cpu()
    figures = run_cli([scan().parent], out, workers)
    cpu = _children_cpu() - cpu
    tables = _tables(out)
    status = pq.read_table(out / "documents.parquet").column("status").to_pylist()
    log = (out / ".state" / "workers.log").read_text(encoding="utf-8", errors="replace")
    helped = next((line.split(": ", 2)[2] for line in log.splitlines() if line.startswith("page sharing: ")), "–")
    run = Run(workers, figures.seconds, cpu, figures.worker_peaks_mb, {k: len(v) for k, v in tables.items()},
              ",".join(map(str, status)), helped, load_before, os.getloadavg())
    say(f"{workers} worker(s): {run.seconds:.1f} s, {run.cpu_per_page:.2f} CPU s/page, rows {run.rows}, "
        f"status {run.status}, worker peaks {[round(p) for p in run.worker_peaks_mb]} MB, helpers: {run.helped}")
    return run, tables


def _load(values: tuple[float, ...]) -> str:
    return " ".join(f"{x:.2f}" for x in values)


def section(runs: list[Run], same: bool) -> str:
    one = runs[0]
    lines = [BEGIN, "", f"## A {PAGES}-page scan with the defaults: pages shared across idle workers (bench/long_scan.py)",
             "", f"Measured {dt.date.today().isoformat()} by `make bench` on this 2-core machine, shared with other "
             f"engineers (load average: see each row, 1/5/15 min before → after).  The scan is built by "
             f"`tools/long_scan.py` ({PAGES} image-only pages: title, the indicator table over several pages, "
             "task pages, the sealed last page).  `planingest run` with every option at its default "
             "(`--memory-mb 2048` on resident memory: OCR on OpenVINO, `ocr_engine.DEFAULT`); CPU = the run and all "
             "its processes.",
             "", "| workers | wall s | CPU s/page | cores used | peak RSS per worker MB | indicators | projects | tasks "
             "| status | pages read by helpers | load before → after |",
             "|---:|---:|---:|---:|---|---:|---:|---:|---|---|---|"]
    for r in runs:
        peaks = ", ".join(f"{p:.0f}" for p in sorted(r.worker_peaks_mb, reverse=True)) or "–"
        lines.append(f"| {r.workers} | {r.seconds:.1f} | {r.cpu_per_page:.2f} | {r.cores:.2f} | {peaks} | "
                     f"{r.rows['indicators']} | "
                     f"{r.rows['projects']} | {r.rows['tasks']} | {r.status} | {r.helped} | {_load(r.load_before)} → "
                     f"{_load(r.load_after)} |")
    if len(runs) > 1:
        two = runs[1]
        ideal = PAGES / 2 * max(one.cpu_per_page, two.cpu_per_page)
        lines += ["", f"- 2 workers sharing the pages: {one.seconds / two.seconds:.2f}× faster than 1 "
                      f"({one.seconds:.1f} s → {two.seconds:.1f} s) with {two.cores:.2f} cores used against "
                      f"{one.cores:.2f}: the speed-up is bounded by the cores the machine had free (its load "
                      f"average).  On 2 idle cores the pages split in half would take about {ideal:.0f} s "
                      f"({PAGES // 2} pages × {max(one.cpu_per_page, two.cpu_per_page):.2f} CPU s, a projection "
                      "from the CPU figures, not a measurement).",
                  f"- CPU per page {one.cpu_per_page:.2f} → {two.cpu_per_page:.2f} s (the helper's start-up and "
                  "model load, and at most one page read twice where reader and helper meet).",
                  f"- Rows: the 2-worker run wrote {'exactly the same' if same else 'DIFFERENT'} indicators, "
                  "projects and tasks tables as the 1-worker run.",
                  "- More than one worker appears in the 1-worker row when a worker was replaced after its document "
                  "(`--recycle-mb`)."]
    return "\n".join(lines + ["", END]) + "\n"


def main() -> None:
    one, tables_one = measure(1)
    two, tables_two = measure(2)
    same = tables_one == tables_two
    say(f"same rows both ways: {same}")
    write_section(ROOT / "BENCHMARKS.md", section([one, two], same), BEGIN, END)
    say("written to BENCHMARKS.md")


if __name__ == "__main__":
    main()
