"""BENCHMARKS.md from the figures of a bench run (bench/work/results.json).

Everything above the notes marker is regenerated on each run; the notes below
it (analysis written by people) are kept as they are.
"""
from __future__ import annotations

import math
from pathlib import Path

NOTES_MARKER = "<!-- notes below this line are kept when bench/run.py rewrites the file -->"


def _f(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render(r: dict) -> str:
    m, b, run1, run2, run3 = r["machine"], r["batch"], r["run1"], r["run2"], r["run3"]
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` (bench/run.py) on {m['date']}. Regenerate with `make bench` "
        f"(`BENCH_N=… make bench` for another size); the raw figures are in bench/work/results.json.",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']} — `nproc` {m['nproc']}",
        f"- RAM: {m['ram_gb']:.1f} GB; Python {m['python']}; {m['libreoffice'] or 'no LibreOffice (PDFs left out)'}",
        f"- load average when the run started: {m['load']} (other work on the machine slows every figure)",
        f"- workers: {r['workers']}",
        "",
        "## The batch",
        "",
        f"{b['n']} distinct files built from samples/ in {_f(b['build_s'])} s "
        f"({'in this run' if b['built'] else 'by an earlier run; reused from bench/work'}; about a minute of it is "
        "LibreOffice rendering the PDF bases):",
        "",
        "| kind | files | pages | made from |",
        "|---|---:|---:|---|",
    ]
    made = {"docx": "2 sample DOCX; other county, respelled departments, shuffled rows, 0–60 extra prose paragraphs",
            "pdf": "6 LibreOffice PDF bases (~30 prose pages + the tables); pypdf page selections, own metadata",
            "scan": "samples/scanned/jingzhou-scan.pdf with own metadata (OCR)",
            "txt": "the 5 seed dumps; other county, respelled departments",
            "xlsx": "samples/xlsx/changde.xlsx; other city, respelled departments"}
    for kind, row in b["kinds"].items():
        lines.append(f"| {kind} | {row['files']} | {row['pages'] or '–'} | {made.get(kind, '')} |")
    if b.get("pdf_table_share") is not None:
        lines += ["", f"PDFs have {b['pdf_pages_min']}–{b['pdf_pages_max']} pages; "
                      f"{b['pdf_table_share'] * 100:.0f}% of PDF pages hold a table."]
    lines += [
        "",
        "## Throughput and memory (first run, empty output folder)",
        "",
        "| figure | value |",
        "|---|---:|",
        f"| wall time | {_f(run1['seconds'])} s |",
        f"| documents/s | {_f(run1['docs_per_s'], 2)} |",
        f"| PDF pages/s (all PDF pages ÷ wall time) | {_f(run1['pages_per_s'], 1)} |",
        f"| peak RSS per worker (max · median over {len(run1['worker_peaks_mb'])} workers) | "
        f"{_f(run1['worker_peak_mb'], 0)} MB · {_f(run1['worker_median_mb'], 0)} MB |",
        f"| peak RSS of LibreOffice (legacy formats only) | {_f(run1['libreoffice_peak_mb'], 0)} MB |",
        f"| peak RSS of the parent (CLI) | {_f(run1['parent_peak_mb'], 0)} MB |",
        f"| peak RSS in total (CLI + all workers at one moment) | {_f(run1['total_peak_mb'], 0)} MB |",
        f"| summary line | `{run1['summary']}` |",
        "",
        "Mean read time per document in the workers (run log), by kind:",
        "",
        "| kind | documents | mean s | max s |",
        "|---|---:|---:|---:|",
    ]
    for kind, row in run1["by_kind"].items():
        lines.append(f"| {kind} | {row['n']} | {_f(row['mean_s'], 3)} | {_f(row['max_s'], 2)} |")
    lines += [
        "",
        "## Re-runs",
        "",
        "| run | wall time | read | goal |",
        "|---|---:|---:|---|",
        f"| nothing changed | {_f(run2['seconds'], 2)} s | {run2['read']} | < 5 s: {_met(run2['seconds'] < 5)} |",
        f"| {run3['touched']} files ({run3['touched'] * 100 // b['n']}%) given new bytes | {_f(run3['seconds'], 2)} s | "
        f"{run3['read']} | |",
        "",
        "## Against the raw libraries (one process, same files)",
        "",
        f"{r['compare']['docx_files']} DOCX and {r['compare']['pdf_files']} PDFs of the batch "
        f"({r['compare']['pdf_pages']} pages), each through the pipeline (extract, interpret, normalise, and its "
        "share of writing the tables) and through the raw library.  PDF pages are split by the route the pipeline "
        "took (ingest/pdf.py's benchmark hook); a page's pipeline time is its own plus an even share of its "
        "document's time outside the page loop.",
        "",
        "| what | n | pipeline ms | baseline | baseline ms | ratio | goal |",
        "|---|---:|---:|---|---:|---:|---|",
    ]
    for c in r["compare"]["rows"]:
        goal = "–" if c["goal"] is None else f"≤ {c['goal']}×: {'not measured' if c['met'] is None else _met(c['met'])}"
        lines.append(f"| {c['what']} | {c['n']} | {_f(c['pipeline_ms'], 2)} | {c['baseline']} | "
                     f"{_f(c['baseline_ms'], 2)} | {_f(c['ratio'], 2)}× | {goal} |")
    fig = r["compare"]["figures"]
    lines += [
        "",
        f"Parts: DOCX read {_f(fig['docx_read_ms'])} ms + normalise {_f(fig['docx_normalise_ms'])} ms + "
        f"write {_f(fig['write_ms_per_doc'], 2)} ms per document; PDF read {_f(fig['pdf_read_ms'])} ms + normalise "
        f"{_f(fig['pdf_normalise_ms'])} ms per document; {_f(fig['pdf_outside_pages_ms'])} ms of a PDF's time is "
        f"spent outside the page loop (opening, stitching, interpreting, normalising, writing).  A text page's own "
        f"extraction: {_f(fig['text_page_own_ms'], 2)} ms ({_f(fig['text_page_own_ms'] / r['compare']['rows'][1]['baseline_ms'], 2)}× "
        f"the floor; pdfplumber would spend {_f(fig['pdfplumber_on_text_pages_ms'], 1)} ms on it).  "
        f"A table page's own: {_f(fig['table_page_own_ms'], 1)} ms, and {_f(fig['first_table_page_own_ms'], 1)} ms "
        f"for a document's first table page, which pays pdfplumber's parsing of the document's fonts and CMaps; "
        f"raw pdfplumber on the table pages alone (same one-off cost): {_f(fig['pdfplumber_table_pages_only_ms'], 1)} "
        f"ms a page.",
        "",
        f"Memory goal (< 500 MB per worker): {_met(run1['worker_peak_mb'] < 500)} on the whole batch "
        f"(max {_f(run1['worker_peak_mb'], 0)} MB); without scans (run 4: {r['run4']['files']} DOCX and PDFs of the "
        f"batch, no OCR) {_met(r['run4']['worker_peak_mb'] < 500)}: max {_f(r['run4']['worker_peak_mb'], 0)} MB per "
        f"worker, {_f(r['run4']['total_peak_mb'], 0)} MB in total.",
        "",
        "## Where the time goes",
        "",
        f"cProfile of the pipeline in one process on {r['profile']['files']} files of the batch (after a warm-up), "
        "top functions by own time:",
        "",
        "| function | own s | cumulative s | calls |",
        "|---|---:|---:|---:|",
    ]
    for name, cumulative, own, calls in r["profile"]["rows"]:
        lines.append(f"| `{name}` | {_f(own, 3)} | {_f(cumulative, 3)} | {calls:,} |")
    lines += [
        "",
        f"A worker's start (interpreter, imports, vocabularies, jieba's dictionary) before its first document: "
        f"{_f(r['cold_start_s'], 2)} s.",
        "",
    ]
    return "\n".join(lines)


def write(path: Path, results: dict) -> None:
    """Regenerate ``path`` above the notes marker, keeping the notes below it."""
    notes = ""
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if NOTES_MARKER in text:
            notes = text.split(NOTES_MARKER, 1)[1]
    path.write_text(render(results) + "\n" + NOTES_MARKER + (notes or "\n"), encoding="utf-8")
