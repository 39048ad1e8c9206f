"""``make bench``: build a ~1,000-document batch from the samples, run the pipeline on it,
compare with the raw libraries, write BENCHMARKS.md.

Environment (all optional):

- BENCH_N: documents in the batch (default 1000);
- BENCH_WORKERS: ``--workers`` of the runs (default: the number of CPUs);
- BENCH_COMPARE_DOCX, BENCH_COMPARE_PDF: how many of the batch's DOCX / PDFs the
  one-process comparison with the raw libraries uses (default 60 / 24: pdfplumber
  on every page of every PDF would take longer than the whole batch);
- BENCH_KEEP_OUTPUT=1: keep bench/work/out from an earlier run (default: start empty).

Everything generated goes to bench/work/ (git-ignored); the batch is reused
while its recipe, N and the samples are unchanged.
"""
from __future__ import annotations

import compileall
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import baselines, report
from bench.corpus import Batch, Item, soffice
from bench.measure import RunFigures, run_cli

ROOT = Path(__file__).resolve().parents[1]

WORK = ROOT / "bench" / "work"
TOUCH_SHARE = 0.01
PACKAGES = ("planingest",)
COLD_START = """
import time, sys
t0 = time.perf_counter()
from planingest.run.process import read_document
from pathlib import Path
p = Path(sys.argv[1]); data = p.read_bytes()
read_document(p, data); t1 = time.perf_counter()
read_document(p, data); t2 = time.perf_counter()
print((t1 - t0) - (t2 - t1))
"""


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", flush=True)


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor() or "unknown")
    ram_kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    office = None
    if soffice():
        done = subprocess.run([soffice(), "--version"], capture_output=True, text=True, timeout=120)
        office = done.stdout.strip().splitlines()[0] if done.stdout.strip() else "LibreOffice"
    return {"cpu": cpu, "nproc": os.cpu_count(), "ram_gb": ram_kb / 1024 / 1024, "python": platform.python_version(),
            "date": dt.date.today().isoformat(), "libreoffice": office,
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def batch_figures(items: list[Item], build_s: float, built: bool) -> dict:
    kinds: dict[str, dict] = {}
    for item in items:
        row = kinds.setdefault(item.kind, {"files": 0, "pages": 0})
        row["files"] += 1
        row["pages"] += item.pages or 0
    pdfs = [i for i in items if i.kind == "pdf"]
    out = {"n": len(items), "build_s": build_s, "built": built, "kinds": kinds}
    if pdfs:
        out.update(pdf_pages_min=min(i.pages for i in pdfs), pdf_pages_max=max(i.pages for i in pdfs),
                   pdf_table_share=sum(i.table_pages for i in pdfs) / sum(i.pages for i in pdfs))
    return out


def first_run_figures(figures: RunFigures, out: Path, items: list[Item], batch: Batch) -> dict:
    import pandas as pd

    from planingest.store.folder import read_run_log

    documents = pd.read_parquet(out / "documents.parquet")
    pdf_pages = int(documents.loc[documents.file_format == "pdf", "n_pages"].fillna(0).sum())
    kind_of = {str(batch.folder / i.path): i.kind for i in items}
    by_kind: dict[str, list[float]] = {}
    for entry in read_run_log(out):
        if entry["read"]:
            by_kind.setdefault(kind_of.get(entry["path"], "?"), []).append(entry["seconds"])
    workers = figures.worker_peaks_mb
    return {
        "seconds": figures.seconds, "summary": figures.summary, "docs_per_s": len(items) / figures.seconds,
        "pages_per_s": pdf_pages / figures.seconds, "pdf_pages": pdf_pages,
        "worker_peaks_mb": workers, "worker_peak_mb": figures.worker_peak_mb,
        "worker_median_mb": statistics.median(workers) if workers else 0.0,
        "libreoffice_peak_mb": max(figures.libreoffice_peaks_mb, default=None),
        "parent_peak_mb": figures.parent_peak_mb, "total_peak_mb": figures.total_peak_mb,
        "statuses": documents.status.value_counts().to_dict(),
        "by_kind": {k: {"n": len(v), "mean_s": statistics.fmean(v), "max_s": max(v)} for k, v in sorted(by_kind.items())},
    }


def reads_of_last_run(out: Path) -> int:
    from planingest.store.folder import read_run_log

    log = read_run_log(out)
    last = log[-1]["run_id"]
    return sum(1 for e in log if e["run_id"] == last and e["read"])


def spread(items: list[Item], n: int) -> list[Item]:
    """``n`` items evenly spread over ``items`` (every sample and base is represented)."""
    if n >= len(items):
        return list(items)
    step = len(items) / n
    return [items[int(k * step)] for k in range(n)]


def snapshot_code() -> Path:
    """A copy of the packages for the runs to use.

    The cache is keyed by a fingerprint of the code, so an edit made to the
    working tree while the bench runs (another session at work in the same
    checkout) would make the re-runs read every document again; the runs use
    the code as it was when the bench started.
    """
    code = WORK / "code"
    shutil.rmtree(code, ignore_errors=True)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, code / package, ignore=shutil.ignore_patterns("__pycache__"))
    # byte-compiled as an installed package is (PYTHONDONTWRITEBYTECODE would make every run compile)
    compileall.compile_dir(code, quiet=1)
    return code


def cold_start_s(path: Path) -> float:
    done = subprocess.run([sys.executable, "-c", COLD_START, str(path)], cwd=ROOT, capture_output=True, text=True,
                          check=True, timeout=600)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    n, workers = env_int("BENCH_N", 1000), env_int("BENCH_WORKERS", os.cpu_count() or 1)
    results: dict = {"machine": machine(), "workers": workers}
    if not soffice():
        say("LibreOffice (soffice) not found: PDFs are left out of the batch "
            "(apt-get install libreoffice-writer fonts-noto-cjk)")
    batch = Batch(WORK, n)
    say(f"building a batch of {n} documents in {batch.folder} …")
    items, build_s, built = batch.build()
    results["batch"] = batch_figures(items, build_s, built)
    say(f"batch ready in {results['batch']['build_s']:.1f} s ({'built' if built else 'reused'}): "
        + ", ".join(f"{k} {v['files']}" for k, v in results["batch"]["kinds"].items()))

    out, code = WORK / "out", snapshot_code()
    if not os.environ.get("BENCH_KEEP_OUTPUT"):
        shutil.rmtree(out, ignore_errors=True)
    say(f"run 1: planingest run on {n} documents with {workers} workers …")
    first = run_cli([batch.folder], out, workers, code=code)
    results["run1"] = first_run_figures(first, out, items, batch)
    say(f"run 1: {first.seconds:.1f} s; {first.summary}")

    say("run 2: nothing changed …")
    second = run_cli([batch.folder], out, workers, code=code)
    results["run2"] = {"seconds": second.seconds, "read": reads_of_last_run(out), "summary": second.summary}
    say(f"run 2: {second.seconds:.2f} s")

    touched = batch.touch(items, TOUCH_SHARE, random.Random(20230801))
    say(f"run 3: {len(touched)} files given new bytes …")
    try:
        third = run_cli([batch.folder], out, workers, code=code)
    finally:
        for item in touched:  # back to the batch as built, so a later run reuses it unchanged
            batch.make(item.kind, int(Path(item.path).name.split("-")[0]), salt=0)
    results["run3"] = {"seconds": third.seconds, "read": reads_of_last_run(out), "touched": len(touched),
                       "summary": third.summary}
    say(f"run 3: {third.seconds:.2f} s")

    docx = spread([i for i in items if i.kind == "docx"], env_int("BENCH_COMPARE_DOCX", 60))
    pdfs = spread([i for i in items if i.kind == "pdf"], env_int("BENCH_COMPARE_PDF", 24))
    say(f"run 4: memory without scans ({len(docx)} DOCX and {len(pdfs)} PDFs, empty output) …")
    shutil.rmtree(WORK / "out-no-scans", ignore_errors=True)
    fourth = run_cli([batch.folder / i.path for i in docx + pdfs], WORK / "out-no-scans", workers, code=code)
    results["run4"] = {"files": len(docx) + len(pdfs), "seconds": fourth.seconds,
                       "worker_peak_mb": fourth.worker_peak_mb, "total_peak_mb": fourth.total_peak_mb}
    warmup = [batch.folder / i.path for i in (docx[:1] + pdfs[:1])]
    say(f"comparing with the raw libraries on {len(docx)} DOCX and {len(pdfs)} PDFs …")
    rows, figures = baselines.compare([batch.folder / i.path for i in docx], [batch.folder / i.path for i in pdfs],
                                      warmup)
    results["compare"] = {"docx_files": len(docx), "pdf_files": len(pdfs), "pdf_pages": figures["pdf_pages"],
                          "rows": [dict(vars(c), ratio=c.ratio, met=c.met) for c in rows], "figures": figures}
    for c in rows:
        say(f"  {c.what}: pipeline {c.pipeline_ms:.2f} ms vs {c.baseline} {c.baseline_ms:.2f} ms = {c.ratio:.2f}x")

    sample = [batch.folder / i.path for i in spread(docx, 8) + spread(pdfs, 4)]
    say(f"profiling {len(sample)} files …")
    results["profile"] = {"files": len(sample), "rows": baselines.profile(sample, warmup)}
    results["cold_start_s"] = cold_start_s(batch.folder / docx[0].path)

    (WORK / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    report.write(ROOT / "BENCHMARKS.md", results)
    say("written: BENCHMARKS.md, bench/work/results.json")


if __name__ == "__main__":
    main()
