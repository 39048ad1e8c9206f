"""Render the seeds' tables in the text shapes people paste, into samples/text-shapes/.

靖州 (samples/000_*.txt) and 鹿寨 (samples/002_*.txt) are tab-indented cell dumps.  Each
sample here is the same document with its tables written in another shape (the prose
kept line for line), so its rows must equal the original's (tests/test_text_shapes.py):

* ``<key>-box.txt``      box-drawn grids (Word/WPS "save as text"), UTF-8;
* ``<key>-blank.txt``    every cell and paragraph followed by a blank line (a browser copy);
* ``<key>-aligned.txt``  space-aligned columns with page footers (``pdftotext -layout``);
* ``jingzhou-mixed.txt`` prose, the indicator table box-drawn, the project table blank-line;
* ``jingzhou.csv``       the tables only, title rows above headers, UTF-8 with a BOM;
* ``luzhai.tsv``         the same as tab-separated values in GBK (Excel on a Chinese Windows).

The shapes themselves are in tools/textshapes.py.  Deterministic; run from the repository root::

    .venv/bin/python tools/render_text_shapes.py [--out DIR]

``--pdftotext`` also writes ``luzhai-pdftotext.txt``: real ``pdftotext -layout`` output of
samples/pdf/luzhai.pdf (Debian package poppler-utils; another poppler version may place
text differently, so tests check it with floors, not equality with the original).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from planingest.core.text import latex_to_text, strip_markup
from planingest.ingest.text.reader import split_regions, text_blocks
from planingest.ingest.text.shapes import BUILDERS  # noqa: F401  (the readers the samples are for)
from planingest.ingest.text.tabgrid import tab_table
from tools.seedgrid import SAMPLES, SEED
from tools.textshapes import RENDERERS, render_delimited

KEYS = ("jingzhou", "luzhai")


def _seed_lines(key: str) -> list[str]:
    """The seed's lines as the text reader sees them (markup and LaTeX debris cleaned)."""
    raw = (SAMPLES / SEED[key]).read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    return [latex_to_text(strip_markup(line)) for line in raw]


def _pieces(key: str) -> list[tuple[str, object]]:
    """The seed as ("prose", line) and ("table", rows) pieces in order."""
    lines = _seed_lines(key)
    pieces: list[tuple[str, object]] = []
    for region in split_regions(lines):
        if region.kind == "tab":
            table = tab_table(lines[region.start : region.end], region.start, 0, None)
            if table is not None:
                pieces.append(("table", [tuple(r) for r in table.rows]))
        else:
            pieces += [("prose", lines[k]) for k in range(region.start, region.end)]
    return pieces


def render_document(key: str, shapes: list[str]) -> str:
    """The seed with its n-th table in ``shapes[n]`` (the last shape for any further table)."""
    out: list[str] = []
    tables = 0
    blank = shapes == ["blank"]
    for kind, value in _pieces(key):
        if kind == "prose":
            if not blank:
                out.append(str(value))
            elif str(value).strip():
                out += [str(value), ""]
            continue
        shape = shapes[min(tables, len(shapes) - 1)]
        tables += 1
        rendered = RENDERERS[shape](value)
        if shape == "blank":
            if out and out[-1].strip():
                out.append("")
            out += rendered + [""]
        else:
            out += rendered
    return "\n".join(out).rstrip("\n") + "\n"


def render_tables_only(key: str, delimiter: str) -> str:
    """The seed's tables as delimited records, each under its caption as a title row."""
    parts = []
    caption = None
    for block in text_blocks((SAMPLES / SEED[key]).read_text(encoding="utf-8")):
        if hasattr(block, "rows"):
            parts.append(render_delimited([tuple(r) for r in block.rows], delimiter, title=block.caption or caption))
        else:
            caption = block.text
    return "\r\n".join(parts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Render the seeds' tables in pasted-text shapes.")
    parser.add_argument("--out", type=Path, default=SAMPLES / "text-shapes")
    parser.add_argument("--pdftotext", action="store_true", help="also the pdftotext -layout output of luzhai.pdf")
    args = parser.parse_args(argv)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    for key in KEYS:
        for shape in ("box", "blank", "aligned"):
            files[f"{key}-{shape}.txt"] = render_document(key, [shape]).encode("utf-8")
    files["jingzhou-mixed.txt"] = render_document("jingzhou", ["box", "blank"]).encode("utf-8")
    files["jingzhou.csv"] = "\ufeff".encode() + render_tables_only("jingzhou", ",").encode("utf-8")
    files["luzhai.tsv"] = render_tables_only("luzhai", "\t").encode("gbk")
    if args.pdftotext:
        if not shutil.which("pdftotext"):
            sys.exit("--pdftotext: pdftotext not found (apt-get install -y poppler-utils)")
        files["luzhai-pdftotext.txt"] = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(SAMPLES / "pdf" / "luzhai.pdf"), "-"],
            check=True, capture_output=True).stdout
    for name, data in files.items():
        (out / name).write_bytes(data)
        print(f"{out / name}  {len(data):,} bytes")


if __name__ == "__main__":
    main()
