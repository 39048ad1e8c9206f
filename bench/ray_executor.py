"""``make bench``, second part: the Ray executor against the local one, and what a national
backfill would take.

A small batch (every sample but the scan, ``BENCH_RAY_COPIES`` times, each copy
with its own bytes) is read four ways on this machine: the local executor with
1 and 2 worker processes, and the Ray executor on a simulated cluster
(``tests/raycluster.py``) of 1 and of 2 nodes with 1 CPU each.  From those:

- documents/s of each, and the cost of Ray per document (the 1-node Ray run
  against the 1-worker local run: scheduling, arguments and results through the
  object store; each Ray worker keeps its reader process across tasks);
- the driver's own CPU per document (normalising, caching, writing, and for Ray
  submitting and collecting tasks): the ceiling of one driver;
- a projection of the national backfill (BACKFILL_DOCS documents, BACKFILL_OCR_PAGES
  scanned pages) on N machines, and its cost per 1,000 documents.

The section it writes in BENCHMARKS.md sits between its own markers below the
line bench/run.py keeps, so either part can be re-run alone.

Environment (all optional): BENCH_RAY_COPIES (default 20); BENCH_OCR_S_PER_PAGE
(default: the main bench's scan figure from bench/work/results.json, else
OCR_S_PER_PAGE); BENCH_CORE_HOUR_USD (default CORE_HOUR_USD);
BENCH_MACHINE_CORES (default MACHINE_CORES).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work" / "ray"
SAMPLES = ROOT / "samples"
BEGIN, END = "<!-- ray-executor:begin -->", "<!-- ray-executor:end -->"
KEPT_LINE = "<!-- notes below this line are kept when bench/run.py rewrites the file -->"

BACKFILL_DOCS = (100_000, 160_000)
BACKFILL_OCR_PAGES = 600_000
#: seconds of one core per scanned page (BENCHMARKS.md 2026-11-22: 3-page scans read in 27.2 s on average)
OCR_S_PER_PAGE = 9.1
#: an assumed price of one core-hour of a rented machine, USD (with its share of memory: ~2 GB a core)
CORE_HOUR_USD = 0.04
#: cores per machine in the projection; each OCR reader needs ~1.2 GB, so 8 cores want ≥ 12 GB
MACHINE_CORES = 8
MACHINES = (1, 10, 50)
#: the Ray cost per document before Ray workers kept their reader (a fresh reader process per task), for comparison
FRESH_READER = {"overhead_ms": 489, "measured": "2026-11-26, same batch of 241 documents at BENCH_RAY_COPIES=5, "
                "1-worker local 184 ms a document, load average 1.16 1.24 1.46 at the start"}


def say(text: str) -> None:
    print(f"[bench ray {time.strftime('%H:%M:%S')}] {text}", flush=True)


# --------------------------------------------------------------------------
# the batch
# --------------------------------------------------------------------------


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.rglob("*") if p.is_file() and "scanned" not in p.parts)


def distinct_copy(data: bytes, suffix: str, k: int) -> bytes:
    """The same document with bytes of its own (a copy of the same bytes would be one document)."""
    if suffix in (".docx", ".xlsx"):
        import io

        buffer = io.BytesIO(data)
        with zipfile.ZipFile(buffer, "a") as archive:
            archive.comment = f"bench copy {k}".encode()
        return buffer.getvalue()
    if suffix == ".pdf":
        return data + f"\n%bench copy {k}\n".encode()
    return data + b"\n" * (k + 1)


def build_batch(copies: int) -> Path:
    folder = WORK / f"in-{copies}"
    if folder.exists():
        return folder
    staging = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    for source in sample_files():
        data = source.read_bytes()
        for k in range(copies):
            target = staging / f"copy{k:03d}" / source.relative_to(SAMPLES)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(distinct_copy(data, source.suffix.lower(), k))
    staging.rename(folder)
    return folder


# --------------------------------------------------------------------------
# the runs
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    name: str
    cpus: int
    documents: int
    read: int
    seconds: float
    driver_cpu_s: float
    startup_s: float = 0.0  # starting the (simulated) cluster, not counted in seconds
    submitted: int | None = None

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds


def timed_batch(name: str, cpus: int, batch: Path, out: Path, executor=None, workers=None,
                startup_s: float = 0.0) -> Timing:
    from planingest.run.batch import run_batch

    cpu0, wall0 = time.process_time(), time.monotonic()
    summary = run_batch([str(batch)], out, workers=workers, executor=executor)
    seconds, cpu = time.monotonic() - wall0, time.process_time() - cpu0
    assert summary.by_status["failed"] == 0, summary.failures
    say(f"{name}: {summary.line()}")
    return Timing(name, cpus, summary.documents, summary.read, seconds, cpu, startup_s,
                  getattr(executor, "submitted", None))


def local_runs(batch: Path) -> list[Timing]:
    from planingest.run.executors.local import LocalExecutor

    return [timed_batch(f"local, {w} worker{'s' if w > 1 else ''}", w, batch, fresh(f"local-{w}"),
                        executor=LocalExecutor(w)) for w in (1, 2)]


def ray_runs(batch: Path) -> list[Timing]:
    from planingest.run.executors.ray_executor import RayExecutor
    from tests.raycluster import simulated_cluster

    timings = []
    for nodes in (1, 2):
        started = time.monotonic()
        with simulated_cluster(nodes=nodes):
            startup = time.monotonic() - started
            out = fresh(f"ray-{nodes}")
            label = f"Ray, {nodes} simulated node{'s' if nodes > 1 else ''} × 1 CPU"
            timings.append(timed_batch(label, nodes, batch, out, executor=RayExecutor(), startup_s=startup))
            if nodes == 2:
                timings.append(timed_batch(f"{label}, nothing changed", nodes, batch, out, executor=RayExecutor()))
    return timings


def fresh(name: str) -> Path:
    out = WORK / "out" / name
    shutil.rmtree(out, ignore_errors=True)
    return out


# --------------------------------------------------------------------------
# figures and the projection
# --------------------------------------------------------------------------


def ocr_s_per_page() -> tuple[float, str]:
    if os.environ.get("BENCH_OCR_S_PER_PAGE"):
        return float(os.environ["BENCH_OCR_S_PER_PAGE"]), "BENCH_OCR_S_PER_PAGE"
    results = ROOT / "bench" / "work" / "results.json"
    try:
        figures = json.loads(results.read_text())
        by_kind = figures["run1"]["by_kind"]["scan"]
        pages = figures["batch"]["kinds"]["scan"]["pages"] / figures["batch"]["kinds"]["scan"]["files"]
        return float(by_kind["mean_s"]) / pages, "this machine's scans in the main bench"
    except (OSError, KeyError, TypeError, ValueError, ZeroDivisionError):
        return OCR_S_PER_PAGE, "the main bench of 2026-11-22 (3-page scans in 27.2 s)"


def projection(timings: list[Timing]) -> dict:
    by_name = {t.name: t for t in timings}
    local1 = by_name["local, 1 worker"]
    ray1 = next(t for t in timings if t.name.startswith("Ray, 1 simulated"))
    ray2 = next(t for t in timings if t.name.startswith("Ray, 2 simulated") and t.read)
    read_s = local1.seconds / local1.documents  # one core, text/office/PDF mix of the samples
    measured_overhead_s = (ray1.seconds - local1.seconds) / ray1.documents  # below 0: within this machine's noise
    ray_overhead_s = max(0.0, measured_overhead_s)
    driver_s = ray2.driver_cpu_s / ray2.documents
    ocr_s, ocr_source = ocr_s_per_page()
    core_usd = float(os.environ.get("BENCH_CORE_HOUR_USD") or CORE_HOUR_USD)
    cores = int(os.environ.get("BENCH_MACHINE_CORES") or MACHINE_CORES)
    rows = []
    for docs in BACKFILL_DOCS:
        core_s = docs * (read_s + ray_overhead_s) + BACKFILL_OCR_PAGES * ocr_s
        per_1000_core_h = core_s / docs * 1000 / 3600
        rows.append({
            "documents": docs, "core_hours": core_s / 3600,
            "hours_on": {n: core_s / (n * cores) / 3600 for n in MACHINES},
            "per_1000": {"core_hours": per_1000_core_h, "usd": per_1000_core_h * core_usd,
                         "hours_on": {n: per_1000_core_h / (n * cores) for n in MACHINES}},
            "driver_hours": docs * driver_s / 3600,
        })
    return {"read_s_per_doc": read_s, "ray_overhead_s_per_doc": ray_overhead_s,
            "measured_ray_overhead_s_per_doc": measured_overhead_s, "driver_cpu_s_per_doc": driver_s,
            "driver_ceiling_docs_per_s": 1 / driver_s if driver_s else None, "ocr_s_per_page": ocr_s,
            "ocr_source": ocr_source, "core_hour_usd": core_usd, "machine_cores": cores, "rows": rows}


def _n(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def _ray_cost(seconds: float) -> str:
    if seconds > 0:
        return f"{_n(seconds * 1000, 0)} ms a document"
    return (f"nothing measurable ({_n(seconds * 1000, 0)} ms a document, within the noise of this "
            "shared machine; the projection counts 0)")


def render(timings: list[Timing], p: dict, meta: dict) -> str:
    lines = [BEGIN, "", "## The Ray executor (`--executor ray`)", "",
             f"Measured by `make bench` (bench/ray_executor.py) on {meta['date']}: {meta['batch']} "
             f"(every sample but the scan × {meta['copies']}, each copy with its own bytes), on this 2-core machine "
             f"(load average {meta['load']} at the start, {meta.get('load_end', '?')} at the end: other work shares it). Simulated nodes are raylets on this machine "
             "(`tests/raycluster.py`: 1 CPU, 80 MB object store each), so 2 nodes share the same 2 cores as "
             "the local executor's 2 workers: the figures show Ray's costs, not a real cluster's speed-up.", "",
             "| run | CPUs | documents | read | wall s | documents/s | driver CPU s | cluster start s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for t in timings:
        lines.append(f"| {t.name} | {t.cpus} | {t.documents} | {t.read} | {_n(t.seconds, 2)} | {_n(t.docs_per_s, 2)} "
                     f"| {_n(t.driver_cpu_s, 2)} | {_n(t.startup_s, 1) if t.startup_s else '–'} |")
    cached = next((t for t in timings if t.name.endswith("nothing changed")), None)
    lines += ["",
              f"- Reading one document of this mix on one core: {_n(p['read_s_per_doc'] * 1000, 0)} ms (local, "
              "1 worker). Ray's own cost (1 node against 1 worker: scheduling, the task's arguments and its "
              f"result through the object store): {_ray_cost(p['measured_ray_overhead_s_per_doc'])}. Each Ray "
              "worker keeps its reader process across tasks (`run/pool.py` `PersistentReader`), so the "
              "interpreter, the imports and the OCR engine are paid once per Ray worker, not per document; "
              f"with a fresh reader per task Ray added {FRESH_READER['overhead_ms']} ms a document "
              f"({FRESH_READER['measured']}).",
              f"- The driver spends {_n(p['driver_cpu_s_per_doc'] * 1000, 1)} ms of CPU a document (normalising, "
              "caching, writing the tables, submitting and collecting tasks): one driver keeps up with about "
              f"{_n(p['driver_ceiling_docs_per_s'] or 0, 0)} documents/s, far above what a cluster reads "
              "once scans are in the mix.",
              ]
    if cached is not None:
        lines.append(f"- A re-run with nothing changed submitted {cached.submitted} tasks and took "
                     f"{_n(cached.seconds, 2)} s.")
    lines += ["", "### Projection: the national backfill", "",
              f"{BACKFILL_DOCS[0]:,}–{BACKFILL_DOCS[1]:,} documents with ~{BACKFILL_OCR_PAGES:,} scanned pages. "
              f"Core time = documents × ({_n(p['read_s_per_doc'], 2)} s reading + "
              f"{_n(p['ray_overhead_s_per_doc'], 2)} s Ray) + pages × {_n(p['ocr_s_per_page'], 1)} s OCR "
              f"(OCR figure from {p['ocr_source']}). Machines of {p['machine_cores']} cores (≥ 12 GB: an OCR "
              f"reader peaks at ~1.2 GB), every core reading; cost at an assumed "
              f"${p['core_hour_usd']:.2f} a core-hour (BENCH_CORE_HOUR_USD). OCR is >95% of the work, so the "
              "estimate scales with the page count and the OCR speed, not with the executor. "
              f"A fresh reader per task ({FRESH_READER['overhead_ms']} ms a document, above) would add "
              + " and ".join(f"{_n(d * FRESH_READER['overhead_ms'] / 1000 / 3600, 0)}" for d in BACKFILL_DOCS)
              + " core-hours, plus loading the OCR engine again for every scanned document (~1 s each; "
              "the bench batch has no scans); Ray workers that keep their reader pay both once.", "",
              "| documents | core-hours | " + " | ".join(f"hours on {n}" for n in MACHINES)
              + " | per 1,000 docs: core-h | per 1,000: USD | per 1,000: hours on "
              + " / ".join(str(n) for n in MACHINES) + " | driver CPU h |",
              "|---:|---:|" + "---:|" * len(MACHINES) + "---:|---:|---|---:|"]
    for row in p["rows"]:
        per = row["per_1000"]
        lines.append(f"| {row['documents']:,} | {_n(row['core_hours'], 0)} | "
                     + " | ".join(_n(row["hours_on"][n], 1) for n in MACHINES)
                     + f" | {_n(per['core_hours'], 1)} | {_n(per['usd'], 2)} | "
                     + " / ".join(_n(per["hours_on"][n], 2) for n in MACHINES)
                     + f" | {_n(row['driver_hours'], 2)} |")
    lines += ["", "Fewer documents with the same pages cost more per 1,000 documents (more pages each). "
              "Real nodes add what one machine cannot show: reading inputs over the shared folder and "
              "network latency per task (small next to seconds of OCR per page).", "", END]
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str, begin: str = BEGIN, end: str = END) -> None:
    """Put ``section`` between ``begin`` and ``end`` in ``path``, below the line bench/run.py keeps."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if begin in text and end in text:
        text = re.sub(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", lambda _: section, text, flags=re.S)
    elif KEPT_LINE in text:  # below the kept line, so that bench/run.py keeps it
        text = text.replace(KEPT_LINE, KEPT_LINE + "\n\n" + section, 1)
    else:
        text = text.rstrip("\n") + "\n\n" + KEPT_LINE + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main() -> None:
    import datetime as dt

    import tests.raycluster  # noqa: F401 - loopback-only simulated clusters: must come before `import ray`

    try:
        import ray  # noqa: F401
    except ImportError:
        say("Ray is not installed (pip install -e '.[ray]'): the Ray executor section is left as it was")
        return

    copies = int(os.environ.get("BENCH_RAY_COPIES") or 20)
    batch = build_batch(copies)
    n = sum(1 for p in batch.rglob("*") if p.is_file())
    say(f"batch: {n} files in {batch}")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    timings = local_runs(batch) + ray_runs(batch)
    figures = projection(timings)
    load_end = " ".join(f"{x:.2f}" for x in os.getloadavg())
    meta = {"date": dt.date.today().isoformat(), "copies": copies, "batch": f"{n} documents", "load": load,
            "load_end": load_end}
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "results.json").write_text(json.dumps({"meta": meta, "runs": [asdict(t) for t in timings],
                                                   "projection": figures}, indent=1, default=str))
    write_section(ROOT / "BENCHMARKS.md", render(timings, figures, meta))
    say("written: BENCHMARKS.md (the Ray executor section), bench/work/ray/results.json")


if __name__ == "__main__":
    main()
