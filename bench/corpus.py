"""Build the benchmark batch: about BENCH_N distinct documents made from the samples.

Formats in the proportions plan offices submit them (mostly DOCX and PDF):

- DOCX: samples/docx/{jingzhou,luzhai}.docx with another county, respelled
  departments, table rows shuffled in the units their merges allow, and 0–60
  extra prose paragraphs from the seeds;
- PDF (10–40 pages, tables on a minority of pages): a handful of base PDFs that
  LibreOffice renders from such DOCX with long prose sections, then, per file,
  a pypdf selection of the base's prose pages around all of its table pages,
  with its own metadata so every file has distinct bytes;
- scans: samples/scanned/jingzhou-scan.pdf with distinct metadata;
- TXT: the five seed dumps with another county and respelled departments;
- XLSX: samples/xlsx/changde.xlsx with another city and respelled departments.

Each file is made from a random generator seeded by (kind, index, salt), so a
rebuild gives the same batch and ``touch`` (salt 1) gives a changed one.
LibreOffice is needed only for the PDF bases; without it PDFs are left out
and the report says so.
"""
from __future__ import annotations

import hashlib
import io
import json
import random
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.variants import ROOT, W, edit_xml, insert_prose, shuffle_rows, substitution

SAMPLES = ROOT / "samples"
SEEDS = {"jingzhou": "000_2b96e2d222b5f3b3.txt", "changde": "001_3cc5f4b2954152b3.txt",
         "luzhai": "002_4f08802adbea22bb.txt", "anhua": "003_7e95036d21f61a58.txt",
         "lushi": "004_b1e58e9430650c30.txt"}
DOCX_SAMPLES = ("jingzhou", "luzhai")
#: share of each kind in the batch (scans: "a few")
MIX = (("docx", 0.45), ("pdf", 0.36), ("txt", 0.10), ("xlsx", 0.085), ("scan", 0.005))
PDF_BASES_PER_SAMPLE = 3
BASE_PROSE_PARAGRAPHS = 260  # about 30 pages of prose before the tables
PDF_PAGES = (10, 40)
_RECIPE_FILES = ("bench/corpus.py", "bench/variants.py")


@dataclass(frozen=True)
class Item:
    path: str  # relative to the batch folder
    kind: str  # docx · pdf · scan · txt · xlsx
    sample: str
    pages: int | None = None
    table_pages: int | None = None


def counts(n: int, with_pdf: bool = True) -> dict[str, int]:
    """How many files of each kind a batch of ``n`` holds (PDFs become DOCX without LibreOffice)."""
    out = {kind: round(n * share) for kind, share in MIX}
    out["scan"] = max(1, out["scan"])
    if not with_pdf:
        out["docx"] += out.pop("pdf")
    out["docx"] += n - sum(out.values())
    return out


def _rng(kind: str, index: int, salt: int) -> random.Random:
    return random.Random(f"planingest-bench:{kind}:{index}:{salt}")


def prose_pool() -> list[str]:
    """Body paragraphs of the seeds (the prose-only ones first), as text for inserted prose."""
    from planingest.core.records import Paragraph
    from planingest.ingest.text.reader import text_blocks

    out = []
    for key in ("anhua", "lushi", "jingzhou", "luzhai", "changde"):
        text = (SAMPLES / SEEDS[key]).read_text(encoding="utf-8")
        out += [b.text for b in text_blocks(text) if isinstance(b, Paragraph) and len(b.text) >= 40]
    return out


# --------------------------------------------------------------------------
# one file of each kind
# --------------------------------------------------------------------------


def _rezip(data: bytes, edits: dict[str, callable]) -> bytes:
    """The OOXML package ``data`` with ``edits[pattern](bytes) -> bytes`` applied to the parts
    whose name matches the regular expression ``pattern``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            for pattern, edit in edits.items():
                if re.fullmatch(pattern, info.filename):
                    body = edit(body)
            dst.writestr(info, body)
    return out.getvalue()


def _stamp_core(serial: str):
    """An edit of docProps/core.xml giving it the batch serial as its description (distinct bytes)."""
    def edit(root) -> None:
        found = root.find("{http://purl.org/dc/elements/1.1/}description")
        if found is None:
            from lxml import etree

            found = etree.SubElement(root, "{http://purl.org/dc/elements/1.1/}description")
        found.text = serial
    return edit


def docx_variant(sample: str, rng: random.Random, prose: list[str], n_prose: int, serial: str) -> bytes:
    sub, _ = substitution(sample, rng)
    paragraphs = [sub(rng.choice(prose)) for _ in range(n_prose)]

    def body_edit(root) -> None:
        body = root.find(f"{{{W}}}body")
        shuffle_rows(body, rng)
        insert_prose(body, paragraphs)

    def document(xml: bytes) -> bytes:
        return edit_xml(xml, sub, body_edit)

    def core(xml: bytes) -> bytes:
        return edit_xml(xml, sub, _stamp_core(serial))

    data = (SAMPLES / "docx" / f"{sample}.docx").read_bytes()
    return _rezip(data, {r"word/document\.xml": document, r"docProps/core\.xml": core})


def txt_variant(sample: str, rng: random.Random, serial: int) -> bytes:
    sub, _ = substitution(sample, rng)
    text = (SAMPLES / SEEDS[sample]).read_text(encoding="utf-8")
    return (sub(text).rstrip("\n") + f"\n\n（共印{20 + serial}份）\n").encode("utf-8")


def xlsx_variant(rng: random.Random, serial: str) -> bytes:
    sub, _ = substitution("changde", rng)

    def strings(xml: bytes) -> bytes:
        return edit_xml(xml, sub)

    def core(xml: bytes) -> bytes:
        return edit_xml(xml, sub, _stamp_core(serial))

    data = (SAMPLES / "xlsx" / "changde.xlsx").read_bytes()
    return _rezip(data, {r"xl/sharedStrings\.xml|xl/worksheets/sheet\d+\.xml": strings, r"docProps/core\.xml": core})


def _pdf_with(reader, pages: list[int], metadata: dict[str, str]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for index in pages:
        writer.add_page(reader.pages[index])
    writer.add_metadata(metadata)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class PdfBase:
    path: Path
    sample: str
    table_pages: tuple[int, ...]  # 0-based
    prose_pages: tuple[int, ...]


def pdf_variant(base: PdfBase, reader, rng: random.Random, serial: str) -> tuple[bytes, int]:
    """A 10–40 page selection of ``base``: page 1, some prose pages, every table page (in order)."""
    tables = len(base.table_pages)
    low = max(PDF_PAGES[0], 2 * tables + 1)  # tables stay a minority of the pages
    total = rng.randint(min(low, PDF_PAGES[1]), PDF_PAGES[1])
    prose = [p for p in base.prose_pages if p != 0]
    chosen = sorted({0, *rng.sample(prose, min(len(prose), max(0, total - tables - 1))), *base.table_pages})
    metadata = {"/Title": f"生态文明建设示范区创建工作计划 {serial}", "/Producer": "LibreOffice 7 / planingest bench",
                "/Subject": serial}
    return _pdf_with(reader, chosen, metadata), len(chosen)


def scan_variant(rng: random.Random, serial: str) -> bytes:
    from pypdf import PdfReader

    reader = PdfReader(SAMPLES / "scanned" / "jingzhou-scan.pdf")
    return _pdf_with(reader, list(range(len(reader.pages))), {"/Title": f"扫描件 {serial}", "/Producer": "Scanner"})


# --------------------------------------------------------------------------
# PDF bases (LibreOffice)
# --------------------------------------------------------------------------


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _table_pages(pdf_path: Path) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """0-based (table pages, prose pages): a page with a ruled table of 3+ rows holds a table."""
    import pdfplumber

    tables, prose = [], []
    with pdfplumber.open(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            found = any(len(t.rows) >= 3 for t in page.find_tables())
            (tables if found else prose).append(index)
            page.close()
    return tuple(tables), tuple(prose)


def build_pdf_bases(folder: Path, prose: list[str]) -> list[PdfBase]:
    """DOCX with ~30 pages of prose before the sample's tables, rendered once by LibreOffice."""
    folder.mkdir(parents=True, exist_ok=True)
    docx_paths = []
    for sample in DOCX_SAMPLES:
        for k in range(PDF_BASES_PER_SAMPLE):
            path = folder / f"base-{sample}-{k}.docx"
            rng = _rng("base", DOCX_SAMPLES.index(sample) * 10 + k, 0)
            path.write_bytes(docx_variant(sample, rng, prose, BASE_PROSE_PARAGRAPHS, f"base {sample} {k}"))
            docx_paths.append(path)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}/p", "--headless", "--convert-to", "pdf",
                        "--outdir", str(folder), *map(str, docx_paths)],
                       check=True, capture_output=True, timeout=1800)
    bases = []
    for path in docx_paths:
        pdf = path.with_suffix(".pdf")
        tables, prose_pages = _table_pages(pdf)
        bases.append(PdfBase(pdf, path.stem.split("-")[1], tables, prose_pages))
    return bases


# --------------------------------------------------------------------------
# the batch
# --------------------------------------------------------------------------


def recipe_key(n: int) -> str:
    """What the batch depends on: N, the recipe's code and the samples' bytes."""
    digest = hashlib.sha256(str(n).encode())
    for name in _RECIPE_FILES:
        digest.update((ROOT / name).read_bytes())
    for path in sorted(SAMPLES.rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    digest.update(str(bool(soffice())).encode())
    return digest.hexdigest()[:16]


class Batch:
    """The batch folder and its manifest (bench/work/batch, bench/work/batch.json)."""

    def __init__(self, work: Path, n: int):
        self.work, self.n = work, n
        self.folder = work / "batch"
        self.manifest_path = work / "batch.json"
        self._prose = None
        self._bases: dict[str, list[PdfBase]] | None = None
        self._readers: dict[Path, object] = {}

    @property
    def prose(self) -> list[str]:
        if self._prose is None:
            self._prose = prose_pool()
        return self._prose

    def load(self) -> list[Item] | None:
        """The manifest's items if the batch on disk was built by this recipe for this N."""
        if not self.manifest_path.exists():
            return None
        manifest = json.loads(self.manifest_path.read_text())
        if manifest.get("key") != recipe_key(self.n):
            return None
        items = [Item(**i) for i in manifest["items"]]
        on_disk = {p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file()}
        return items if on_disk == {i.path for i in items} else None  # nothing missing, nothing extra

    def build(self) -> tuple[list[Item], float, bool]:
        """Build the batch (or take it from disk); returns (items, seconds its build took, built now)."""
        items = self.load()
        if items is not None:
            return items, json.loads(self.manifest_path.read_text())["build_s"], False
        started = time.perf_counter()
        shutil.rmtree(self.folder, ignore_errors=True)
        plan = counts(self.n, with_pdf=bool(soffice()))
        items = []
        for kind, count in plan.items():
            for index in range(count):
                items.append(self.make(kind, index, salt=0))
        shas = [hashlib.sha256((self.folder / i.path).read_bytes()).hexdigest() for i in items]
        if len(set(shas)) != len(shas):
            raise RuntimeError("the benchmark batch holds identical files; the variants are not distinct")
        seconds = time.perf_counter() - started
        self.manifest_path.write_text(json.dumps({"key": recipe_key(self.n), "build_s": seconds,
                                                  "items": [asdict(i) for i in items]}, ensure_ascii=False, indent=0))
        return items, seconds, True

    def bases(self, sample: str) -> list[PdfBase]:
        """The PDF bases: those the manifest lists if this recipe made them, else rendered now."""
        if self._bases is None:
            found = self._saved_bases()
            if found is None:
                found = build_pdf_bases(self.work / "bases", self.prose)
                (self.work / "bases" / "bases.json").write_text(json.dumps(
                    {"key": recipe_key(self.n), "bases": [dict(asdict(b), path=b.path.name) for b in found]}))
            self._bases = {s: [b for b in found if b.sample == s] for s in DOCX_SAMPLES}
        return self._bases[sample]

    def _saved_bases(self) -> list[PdfBase] | None:
        saved = self.work / "bases" / "bases.json"
        if not saved.exists():
            return None
        data = json.loads(saved.read_text())
        bases = [PdfBase(self.work / "bases" / b["path"], b["sample"], tuple(b["table_pages"]),
                         tuple(b["prose_pages"])) for b in data["bases"]]
        return bases if data["key"] == recipe_key(self.n) and all(b.path.exists() for b in bases) else None

    def _reader(self, base: PdfBase):
        from pypdf import PdfReader

        if base.path not in self._readers:
            self._readers[base.path] = PdfReader(base.path)
        return self._readers[base.path]

    def make(self, kind: str, index: int, salt: int) -> Item:
        """Write file ``index`` of ``kind`` (salt 0: as built; salt 1: its touched version)."""
        rng = _rng(kind, index, salt)
        serial = f"bench-{kind}-{index:04d}-{salt}"
        pages = table_pages = None
        if kind == "docx":
            sample = DOCX_SAMPLES[index % 2]
            data = docx_variant(sample, rng, self.prose, rng.randint(0, 60), serial)
            ext = "docx"
        elif kind == "pdf":
            sample = DOCX_SAMPLES[index % 2]
            base = rng.choice(self.bases(sample))
            data, pages = pdf_variant(base, self._reader(base), rng, serial)
            table_pages, ext = len(base.table_pages), "pdf"
        elif kind == "scan":
            sample, ext, pages = "jingzhou", "pdf", 3
            data = scan_variant(rng, serial)
        elif kind == "txt":
            sample, ext = tuple(SEEDS)[index % len(SEEDS)], "txt"
            data = txt_variant(sample, rng, index * 2 + salt)
        elif kind == "xlsx":
            sample, ext = "changde", "xlsx"
            data = xlsx_variant(rng, serial)
        else:
            raise ValueError(kind)
        relative = f"{kind}/{index:04d}-{sample}.{ext}"
        target = self.folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return Item(relative, kind, sample, pages, table_pages)

    def touch(self, items: list[Item], share: float, rng: random.Random) -> list[Item]:
        """Rewrite ``share`` of the files with new bytes (their salt-1 version); returns them."""
        chosen = rng.sample(items, max(1, round(len(items) * share)))
        touched = []
        for item in chosen:
            index = int(Path(item.path).name.split("-")[0])
            touched.append(self.make(item.kind, index, salt=1))
        return touched
