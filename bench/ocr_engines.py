"""OCR engines and settings side by side on the scanned samples: seconds a page, peak memory, accuracy.

Each setting runs in its own process (a clean peak RSS, a cold engine) over every
scanned sample (``samples/scanned/*.pdf``), through the real PDF extractor with
``planingest.ingest.ocr.SETTINGS`` / ``DPI`` set to it.  Measured per setting:

* CPU seconds a page (the process's CPU time over the OCR'd pages: with one thread per
  session this is the cost per core, and unlike wall time it does not depend on what
  else the shared machine is running); wall seconds a page beside it;
* peak RSS of the reading process when the scans are read (Python, imports, engine, rasters,
  OCR, tables: what an OCR worker holds), taken before interpretation loads the vocabularies;
* character error rate of the indicator table's cells against the same table read
  from the born-digital PDF the scan was made from (``samples/pdf/<name>.pdf``: its
  text layer is the truth, cell for cell), and
* row accuracy: the share of the seed's indicator rows (``samples/000_*.txt`` via the
  whole pipeline) found with the same sequence number, catalogue ID, sub-ID and
  departments, and with the same target value too.

Run: ``python -m bench.ocr_engines`` (``make bench-ocr``); writes the table into
BENCHMARKS.md (between the OCR markers) and prints it.  Settings whose package is
missing are reported as such.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from planingest.ingest.ocr_engine import EngineSettings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BENCHMARKS = ROOT / "BENCHMARKS.md"
BEGIN, END = "<!-- ocr-engines:begin -->", "<!-- ocr-engines:end -->"
#: scanned sample → (born-digital original, seed text); the scan holds the original's table pages
SCANS = {"jingzhou-scan.pdf": ("pdf/jingzhou.pdf", "jingzhou")}

V1, V3 = "rapidocr_onnxruntime", "rapidocr"
ORT, OV = "onnxruntime", "openvino"
#: (settings, raster dpi): today's engine first, then the candidates
CANDIDATES: list[tuple[EngineSettings, int]] = [
    (EngineSettings(V1, ORT, det_side=0), 200),
    (EngineSettings(V1, ORT, det_side=1280), 200),
    (EngineSettings(V3, ORT, det_side=0), 200),
    (EngineSettings(V3, ORT, det_side=1280), 200),
    (EngineSettings(V3, ORT, det_side=960), 200),
    (EngineSettings(V3, ORT, det_side=1280), 150),
    (EngineSettings(V3, ORT, det_side=1280, rec_batch=16), 200),
    (EngineSettings(V3, ORT, det_side=1120, rec_batch=1), 200),
    (EngineSettings(V3, ORT, det_side=960, rec_batch=1), 200),
    (EngineSettings(V3, OV, det_side=1280), 200),
    (EngineSettings(V3, OV, det_side=1120), 200),
    (EngineSettings(V3, OV, det_side=960), 200),
    (EngineSettings(V3, OV, det_side=1120, rec_batch=1), 200),
    (EngineSettings(V3, OV, det_side=1280, threads=2), 200),
    # OpenVINO's memory policy (ingest/ocr_memory.py), one measure at a time, then together
    (EngineSettings(V3, OV, det_side=1120, take_turns=True), 200),
    (EngineSettings(V3, OV, det_side=1120, mmap_threshold_kb=1024), 200),
    (EngineSettings(V3, OV, det_side=1120, take_turns=True, mmap_threshold_kb=1024), 200),
    (EngineSettings(V3, OV, det_side=1120, rec_batch=1, take_turns=True, mmap_threshold_kb=1024), 200),
    (EngineSettings(V3, OV, det_side=1120, rec_batch=1, rec_width_step=320, mmap_threshold_kb=1024), 200),
    (EngineSettings(V3, OV, det_side=1120, rec_batch=6, take_turns=True, rec_width_step=320,
                    mmap_threshold_kb=1024), 200),
    (EngineSettings(V3, OV, det_side=1120, rec_batch=3, take_turns=True, rec_width_step=320,
                    mmap_threshold_kb=1024), 200),
    (EngineSettings(V3, OV, det_side=1120, rec_batch=1, take_turns=True, rec_width_step=320,
                    mmap_threshold_kb=1024), 200),
    (EngineSettings(V3, OV, det_side=1120, rec_batch=1, take_turns=True, rec_width_step=160,
                    mmap_threshold_kb=1024), 200),
    (EngineSettings(V3, OV, det_side=1120, rec_batch=1, take_turns=True, rec_width_step=320,
                    mmap_threshold_kb=1024, static_det=True), 200),
    (EngineSettings(V3, OV, det_side=1120, rec_batch=3, take_turns=True, rec_width_step=320,
                    mmap_threshold_kb=1024, static_det=True), 200),
    (EngineSettings(V3, ORT, det_side=1120, rec_batch=1, mmap_threshold_kb=1024), 200),
]


def _indicator_table(doc):
    from planingest.core.records import Table

    tables = [b for b in doc.blocks if isinstance(b, Table) and any("指标" in c for c in b.rows[0])]
    return max(tables, key=lambda t: len(t.rows)) if tables else None


def _indicator_tables(doc) -> int:
    from planingest.core.records import Table

    return sum(1 for b in doc.blocks if isinstance(b, Table) and any("指标名称" in c for c in b.rows[0]))


def _table_text(table) -> str:
    return "\n".join("|".join(c.replace("\n", "") for c in row) for row in table.rows) if table else ""


def _row_keys(result) -> tuple[Counter, Counter]:
    ids = Counter((r.seq, r.indicator_id, r.sub_indicator_id, r.departments) for r in result.indicators)
    full = Counter((r.seq, r.indicator_id, r.sub_indicator_id, r.departments, r.target_value)
                   for r in result.indicators)
    return ids, full


def _peak_rss_mb() -> float:
    """This process's peak resident memory so far (the OCR reader's, when read right after it)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure_one(settings: EngineSettings, dpi: int) -> dict:
    """In the child process: read every scan with these settings; times, memory, accuracy."""
    from rapidfuzz.distance import Levenshtein

    from planingest.ingest import ocr
    from planingest.ingest.pdf.reader import EXTRACTOR
    from planingest.interpret.document import interpret
    from planingest.interpret.tables.headers import use_header_vocabulary
    from planingest.normalize.document import normalise_interpretation
    from planingest.normalize.vocabulary import get_vocabulary
    from tests.seedrun import seed

    ocr.SETTINGS, ocr.DPI = settings, dpi
    started = time.perf_counter()
    ocr.load_engine(settings)
    load_s = time.perf_counter() - started
    out = {"load_s": load_s, "pages": 0, "cpu_s": 0.0, "wall_s": 0.0, "edits": 0, "chars": 0,
           "rows": 0, "rows_ids": 0, "rows_full": 0}
    for scan, (original, seed_key) in SCANS.items():
        path = SAMPLES / "scanned" / scan
        cpu, wall = time.process_time(), time.perf_counter()
        doc = EXTRACTOR.extract(path, path.read_bytes(), "pdf")
        out["cpu_s"] += time.process_time() - cpu
        out["wall_s"] += time.perf_counter() - wall
        out["peak_rss_mb"] = max(out.get("peak_rss_mb", 0.0), _peak_rss_mb())
        out["pages"] += doc.pages
        vocab = get_vocabulary()
        use_header_vocabulary(vocab.headers)
        truth_path = SAMPLES / original
        truth_doc = EXTRACTOR.extract(truth_path, truth_path.read_bytes(), "pdf")
        truth = _table_text(_indicator_table(truth_doc))
        read = _table_text(_indicator_table(doc))
        pieces, whole = _indicator_tables(doc), _indicator_tables(truth_doc)
        if pieces != whole:
            out.setdefault("notes", []).append(f"{scan}: indicator table in {pieces} pieces, the original's in "
                                               f"{whole} (page pieces not stitched)")
        out["edits"] += Levenshtein.distance(truth, read)
        out["chars"] += len(truth)
        interp = interpret(doc, split=vocab.indicators.split_packed)
        result = normalise_interpretation("bench", scan, "pdf", doc.pages, interp, vocab)
        want_ids, want_full = _row_keys(seed(seed_key))
        got_ids, got_full = _row_keys(result)
        out["rows"] += sum(want_ids.values())
        out["rows_ids"] += sum((want_ids & got_ids).values())
        out["rows_full"] += sum((want_full & got_full).values())
    return out


def score_separation(settings: EngineSettings, dpi: int) -> str:
    """How well the recognition score tells misread cells from good ones, at a few thresholds.

    Cells are compared with the born-digital original's where both tables have the same shape.
    """
    from planingest.ingest import ocr
    from planingest.ingest.pdf.reader import EXTRACTOR

    ocr.SETTINGS, ocr.DPI = settings, dpi
    pairs: list[tuple[float, bool]] = []
    misreads: list[str] = []
    for scan, (original, _) in SCANS.items():
        path, truth_path = SAMPLES / "scanned" / scan, SAMPLES / original
        read = _indicator_table(EXTRACTOR.extract(path, path.read_bytes(), "pdf"))
        truth = _indicator_table(EXTRACTOR.extract(truth_path, truth_path.read_bytes(), "pdf"))
        if read is None or truth is None or [len(r) for r in read.rows] != [len(r) for r in truth.rows]:
            continue
        for r, row in enumerate(read.rows):
            for c, text in enumerate(row):
                score = read.score(r, c)
                if score is not None and text and not read.is_merged(r, c):
                    ok = text.replace("\n", "") == truth.rows[r][c].replace("\n", "")
                    pairs.append((score, ok))
                    if not ok:
                        misreads.append(f"{truth.rows[r][c]!r} read as {text!r} ({score:.3f})".replace("\\n", " "))
    wrong = sorted(s for s, ok in pairs if not ok)
    good = [s for s, ok in pairs if ok]
    lines = [f"{len(pairs)} OCR'd cells compared with the original, {len(wrong)} misread; "
             f"misread cells' scores: {', '.join(f'{s:.3f}' for s in wrong)}", "",
             *(f"- {m}" for m in misreads), "",
             "| threshold | misread cells below it | good cells below it |", "|---:|---:|---:|"]
    for threshold in (0.8, 0.85, 0.9, 0.93, 0.95, 0.97):
        lines.append(f"| {threshold:.2f} | {sum(s < threshold for s in wrong)}/{len(wrong)} | "
                     f"{sum(s < threshold for s in good)}/{len(good)} |")
    return "\n".join(lines)


def _run_child(settings: EngineSettings, dpi: int) -> dict:
    arg = json.dumps({"settings": asdict(settings), "dpi": dpi})
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "bench.ocr_engines", "--child", arg], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=3600)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": tail[:160]}
    return json.loads(lines[-1])


def _row(settings: EngineSettings, dpi: int, m: dict) -> str:
    name = f"{settings.label} / {dpi} dpi"
    if "error" in m:
        return f"| {name} | – | – | – | – | – | – | {m['error']} |"
    pages = max(m["pages"], 1)
    cer = m["edits"] / max(m["chars"], 1)
    load = f"engine load {m['load_s']:.1f} s"
    return (f"| {name} | {m['cpu_s'] / pages:.2f} | {m['wall_s'] / pages:.2f} | {m['peak_rss_mb']:.0f} | "
            f"{cer:.2%} | {m['rows_ids']}/{m['rows']} | {m['rows_full']}/{m['rows']} | "
            f"{'; '.join(m.get('notes', []) + [load])} |")


def report(results: list[tuple[EngineSettings, int, dict]]) -> str:
    head = ("| engine / runtime / detector input / rec batch / threads / raster | CPU s/page | wall s/page "
            "| peak RSS MB | cell CER | rows (ID, sub-ID, depts) | rows (+ target) | notes |\n"
            "|---|---:|---:|---:|---:|---:|---:|---|")
    return "\n".join([head] + [_row(s, d, m) for s, d, m in results])


def write_benchmarks(table: str, machine: str) -> None:
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else ""
    block = f"{BEGIN}\n_{machine}_\n\n{table}\n{END}"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n## OCR engines (bench/ocr_engines.py)\n\n" + block + "\n"
    BENCHMARKS.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--only", type=int, nargs="*", help="indices into CANDIDATES (default: all)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    parser.add_argument("--scores", action="store_true", help="only: misread vs good cells' scores (chosen setting)")
    args = parser.parse_args(argv)
    if args.child:
        spec = json.loads(args.child)
        print(json.dumps(_measure_one(EngineSettings(**spec["settings"]), spec["dpi"])))
        return
    if args.scores:
        from planingest.ingest.ocr import DPI
        from planingest.ingest.ocr_engine import DEFAULT

        print(score_separation(DEFAULT, DPI))
        return
    chosen = [CANDIDATES[i] for i in args.only] if args.only else CANDIDATES
    results = []
    for settings, dpi in chosen:
        results.append((settings, dpi, _run_child(settings, dpi)))
        print(_row(settings, dpi, results[-1][2]), flush=True)
    table = report(results)
    load = os.getloadavg()[0]
    machine = (f"{time.strftime('%Y-%m-%d', time.gmtime())}, {os.cpu_count()} cores, load average {load:.1f} "
               f"while measuring; one thread per session")
    print(table)
    if not args.no_write:
        write_benchmarks(table, machine)


if __name__ == "__main__":
    main()
