"""``make bench``, third part: one row per input format, the pipeline beside the raw library underneath.

For each sample of the formats added after the first benchmark (web pages, MHTML,
OFD, CSV/TSV and the other text shapes, RTF/ODT through LibreOffice, page images,
archives and e-mail), in one process, after a warm-up:

- **pipeline**: ``read_document`` (detect, extract, interpret) then
  ``normalise_document`` — what a worker and the parent pay for one file;
- **raw**: the least any reader of that format pays with the library the
  extractor is built on: lxml.html parsing the page, the e-mail parser walking the
  MIME parts, zipfile + lxml parsing every XML part of an OFD, the csv module
  reading every record, splitting the text into lines, LibreOffice converting the
  file, RapidOCR recognising the page, and listing plus inflating every member of
  an archive.

The median of ``BENCH_FORMAT_REPEATS`` (default 5) timings is reported; OCR and
LibreOffice rows use 1 repeat (seconds each).  The ratio says what our reading
adds on top of the library: the table logic, metadata, normalisation.

The section sits between its own markers below the line bench/run.py keeps, so it
can be re-run alone: ``.venv/bin/python -m bench.formats``; ``python -m bench.formats
msg eml`` measures only the formats named and replaces (or adds) their rows, keeping
the others as they were measured.
"""
from __future__ import annotations

import csv
import email
import io
import os
import re
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from pathlib import Path

from bench.ray_executor import write_section

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
BEGIN, END = "<!-- formats:begin -->", "<!-- formats:end -->"


def say(text: str) -> None:
    print(f"[bench formats {time.strftime('%H:%M:%S')}] {text}", flush=True)


# --------------------------------------------------------------------------
# raw libraries
# --------------------------------------------------------------------------


def raw_html(data: bytes) -> None:
    import lxml.html

    lxml.html.document_fromstring(data)


def raw_mime(data: bytes) -> None:
    message = email.message_from_bytes(data, policy=policy.default)
    for part in message.walk():
        part.get_payload(decode=True)


def raw_ofd(data: bytes) -> None:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.lower().endswith(".xml"):
                etree.fromstring(archive.read(name))


def raw_csv(data: bytes) -> None:
    text = data.decode("utf-8-sig", errors="replace") if data[:3] == b"\xef\xbb\xbf" else data.decode("gb18030", "replace")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t")
    for _ in csv.reader(io.StringIO(text), dialect):
        pass


def raw_text(data: bytes) -> None:
    data.decode("utf-8", errors="replace").splitlines()


def raw_libreoffice(data: bytes, suffix: str) -> None:
    from planingest.ingest.office.libreoffice import convert

    convert(data, suffix, "docx", "libreoffice-writer")


def raw_ocr(data: bytes) -> None:
    import numpy as np
    from PIL import Image

    from planingest.ingest import ocr

    ocr._run_engine(np.asarray(Image.open(io.BytesIO(data)).convert("RGB")))  # the engine the pipeline uses


def raw_archive(data: bytes) -> None:
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                archive.read(info)
        return
    import libarchive

    with libarchive.memory_reader(data) as archive:
        for entry in archive:
            for _ in entry.get_blocks():
                pass


def raw_msg(data: bytes) -> None:
    """extract-msg opening the message, its body and every attachment's bytes (embedded messages exported)."""
    import extract_msg

    with extract_msg.openMsg(data) as message:
        _ = message.body
        for attachment in message.attachments:
            if attachment.type == extract_msg.enums.AttachmentType.MSG:
                attachment.data.exportBytes(allowBadEmbed=True)
            else:
                _ = attachment.data


# --------------------------------------------------------------------------
# measuring
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    format: str
    sample: str
    kb: float
    pipeline_ms: float
    raw_ms: float
    raw: str

    @property
    def ratio(self) -> float:
        return self.pipeline_ms / self.raw_ms if self.raw_ms else float("nan")


def _median_ms(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def pipeline(path: Path) -> None:
    from planingest.run.process import normalise_document, read_document

    data = path.read_bytes()
    read = read_document(path, data)
    normalise_document("0" * 64, str(path), read)


#: (sample under samples/, format label, raw baseline label, raw function, slow)
CASES: tuple[tuple[str, str, str, Callable[[bytes], None], bool], ...] = (
    ("html/changde.html", "html", "lxml.html parse", raw_html, False),
    ("mht/changde.mht", "mht", "email parser, every MIME part decoded", raw_mime, False),
    ("ofd/changde.ofd", "ofd", "zipfile + lxml, every XML part", raw_ofd, False),
    ("text-shapes/jingzhou.csv", "csv", "csv.Sniffer + csv.reader", raw_csv, False),
    ("text-shapes/luzhai.tsv", "tsv", "csv.Sniffer + csv.reader", raw_csv, False),
    ("text-shapes/jingzhou-box.txt", "txt (box grid)", "decode + splitlines", raw_text, False),
    ("text-shapes/jingzhou-aligned.txt", "txt (aligned)", "decode + splitlines", raw_text, False),
    ("text-shapes/jingzhou-blank.txt", "txt (blank-line cells)", "decode + splitlines", raw_text, False),
    ("archive/luzhai-bundle.zip", "zip", "zipfile, every member inflated", raw_archive, False),
    ("archive/changde-tables.7z", "7z", "libarchive, every member inflated", raw_archive, False),
    ("archive/luzhai-text.rar", "rar", "libarchive, every member inflated", raw_archive, False),
    ("email/changde-forward.eml", "eml", "email parser, every MIME part decoded", raw_mime, False),
    ("email/luzhai-notice.msg", "msg", "extract-msg: open, body, every attachment's bytes", raw_msg, False),
    ("rtf/luzhai.rtf", "rtf", "LibreOffice conversion to .docx", lambda d: raw_libreoffice(d, "rtf"), True),
    ("odt/luzhai.odt", "odt", "LibreOffice conversion to .docx", lambda d: raw_libreoffice(d, "odt"), True),
    ("image/changde-photo.jpg", "image", "RapidOCR on the decoded photo", raw_ocr, True),
)


def measure(repeats: int, only: frozenset[str] = frozenset()) -> list[Row]:
    rows = []
    for relative, label, raw_label, raw, slow in CASES:
        if only and label not in only:
            continue
        path = SAMPLES / relative
        if not path.exists():
            say(f"{relative} is missing: skipped")
            continue
        data = path.read_bytes()
        n = 1 if slow else repeats
        pipeline(path)  # warm-up: imports, the vocabulary, the OCR engine
        raw(data)
        ours = _median_ms(lambda path=path: pipeline(path), n)
        theirs = _median_ms(lambda data=data, raw=raw: raw(data), n)
        say(f"{label}: pipeline {ours:.1f} ms, {raw_label} {theirs:.1f} ms")
        rows.append(Row(label, relative, len(data) / 1024, ours, theirs, raw_label))
    return rows


def section(rows: list[Row], repeats: int) -> str:
    import datetime as dt

    lines = [BEGIN, "", "## Every other format: the pipeline beside the raw library (bench/formats.py)", "",
             f"Measured {dt.date.today().isoformat()} on the samples, one process, median of {repeats} "
             f"(1 for LibreOffice and OCR rows); load average at the start "
             f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}.  Pipeline = read_document + normalise_document.",
             "", "| format | sample | KB | pipeline ms | raw library | raw ms | ratio |",
             "|---|---|---:|---:|---|---:|---:|"]
    for r in rows:
        lines.append(_row_line(r))
    lines += ["", "For text, CSV/TSV and web pages the raw side only decodes or parses (a millisecond or less), "
              "while the pipeline also rebuilds the table grid, finds the header, reads the metadata, matches "
              "every name and writes the rows: the ratio mostly shows how little the raw side does, and the "
              "absolute pipeline time per file is the figure to watch.  LibreOffice and OCR rows are dominated "
              "by the tool itself (ratio near 1).  An archive's or e-mail's pipeline row is the container's own "
              "step (listing its members within the limits); each member is then read as a document of its "
              "own, at the cost of its format's row.  An Outlook message's pipeline row also checks the compound "
              "file's directory strictly with olefile before extract-msg opens it (the hostile-file checks) and "
              "opens its embedded message again as a container of its own.", "", END]
    return "\n".join(lines) + "\n"


def _row_line(r: Row) -> str:
    return f"| {r.format} | `{r.sample}` | {r.kb:.0f} | {r.pipeline_ms:.1f} | {r.raw} | {r.raw_ms:.1f} | {r.ratio:.1f}× |"


def merge_rows(text: str, rows: list[Row]) -> str:
    """The formats table in ``text`` with ``rows`` put in (a row of the same format replaced, else added in
    the order of CASES); every other row kept."""
    order = [label for _, label, *_ in CASES]
    lines = text.splitlines()
    table = [i for i, line in enumerate(lines) if line.startswith("| ") and not line.startswith("| format |")]
    if not table:
        raise SystemExit("no formats table in BENCHMARKS.md: run python -m bench.formats without arguments")
    kept = {re.match(r"\| (.*?) \|", lines[i]).group(1): lines[i] for i in table}  # type: ignore[union-attr]
    kept.update({r.format: _row_line(r) for r in rows})
    ranked = sorted(kept, key=lambda label: order.index(label) if label in order else len(order))
    return "\n".join(lines[:table[0]] + [kept[label] for label in ranked] + lines[table[-1] + 1:]) + "\n"


def main(argv: list[str] | None = None) -> None:
    only = frozenset(sys.argv[1:] if argv is None else argv)
    repeats = int(os.environ.get("BENCH_FORMAT_REPEATS") or 5)
    rows = measure(repeats, only)
    target = ROOT / "BENCHMARKS.md"
    if only:
        current = target.read_text(encoding="utf-8")
        begin, end = current.index(BEGIN), current.index(END) + len(END)
        write_section(target, merge_rows(current[begin:end], rows), BEGIN, END)
    else:
        write_section(target, section(rows, repeats), BEGIN, END)
    say(f"{len(rows)} formats written to BENCHMARKS.md")


if __name__ == "__main__":
    main()
