"""OFD (GB/T 33190): positioned text and ruled tables from the XML parts; damaged and hostile packages."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planingest.core.errors import BadInputError
from planingest.ingest import extract
from planingest.ingest.ofd.content import deltas, path_edges, text_boxes
from planingest.ingest.ofd.reader import ocr_pages_needed, read_ofd

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "ofd" / "changde.ofd"
NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, content in parts.items():
            zf.writestr(name, content)
    return buffer.getvalue()


def test_sample_reads_prose_and_one_ruled_table_stitched_across_pages():
    doc = extract(SAMPLE)
    assert doc.file_format == "ofd" and doc.pages == 6 and not doc.issues
    texts = [p.text for p in doc.paragraphs]
    assert "常生创办〔2020〕2号" in texts and "2020年3月23日" in texts
    assert not any(t.startswith("—") for t in texts)  # page numbers are furniture
    (table,) = doc.tables
    assert len(table.rows) == 37 and len(table.rows[0]) == 9  # header repeated on each page dropped
    assert [r[2] for r in table.rows[1:]] == [str(n) for n in range(1, 37)]
    assert {loc.page for loc in table.row_locators} == {4, 5, 6}
    # a merged 领域 cell continued on the next page as an empty cell takes the text of its first part
    first_on_5 = next(i for i, loc in enumerate(table.row_locators) if loc.page == 5)
    assert table.rows[first_on_5][0] and table.is_merged(first_on_5, 0)


def test_every_document_of_a_package_is_read_in_order():
    """OFD.xml may list several DocBody (a notice and its attachment): their pages follow each other."""
    parts = _parts(SAMPLE.read_bytes())
    second = {name.replace("Doc_0/", "Doc_1/", 1): data for name, data in parts.items() if name.startswith("Doc_0/")}
    frame = parts["OFD.xml"].decode("utf-8")
    start, end = frame.index("<ofd:DocBody"), frame.index("</ofd:DocBody>") + len("</ofd:DocBody>")
    body = frame[start:end]
    parts["OFD.xml"] = (frame[:end] + body.replace("Doc_0/", "Doc_1/") + frame[end:]).encode("utf-8")
    doc = read_ofd(_zip({**parts, **second}))
    single = extract(SAMPLE)
    assert doc.pages == 2 * single.pages
    assert len(doc.paragraphs) == 2 * len(single.paragraphs)
    assert {p.locator.page for p in doc.paragraphs} > {p.locator.page for p in single.paragraphs}


def test_signatures_are_not_read():
    doc = extract(SAMPLE)
    assert "电子签章" not in "".join(p.text for p in doc.paragraphs)


def test_a_missing_page_costs_that_page_only():
    parts = _parts(SAMPLE.read_bytes())
    del parts["Doc_0/Pages/Page_1/Content.xml"]
    doc = read_ofd(_zip(parts))
    assert [i.code for i in doc.issues] == ["page-unreadable"] and "Page_1/Content.xml is missing" in doc.issues[0].message
    assert doc.tables and doc.paragraphs


@pytest.mark.parametrize("missing, message", [("OFD.xml", "no OFD.xml"), ("Doc_0/Document.xml", "is missing")])
def test_a_missing_frame_part_fails_the_document(missing, message):
    parts = _parts(SAMPLE.read_bytes())
    del parts[missing]
    with pytest.raises(BadInputError, match=message):
        read_ofd(_zip(parts))


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"), (b"PK\x03\x04garbage", "not a complete zip"), (SAMPLE.read_bytes()[:5000], "not a complete zip"),
])
def test_truncated_or_empty_files(data, message):
    with pytest.raises(BadInputError, match=message):
        read_ofd(data)


def test_part_references_cannot_leave_the_package():
    parts = _parts(SAMPLE.read_bytes())
    parts["OFD.xml"] = parts["OFD.xml"].replace(b"Doc_0/Document.xml", b"../../etc/passwd")
    with pytest.raises(BadInputError, match="outside the package"):
        read_ofd(_zip(parts))


def test_entities_are_not_expanded():
    parts = _parts(SAMPLE.read_bytes())
    page = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/hostname"><!ENTITY y "LOL">]>'
            b"<ofd:Page " + NS.encode() + b'><ofd:Content><ofd:Layer ID="1"><ofd:TextObject ID="2" '
            b'Boundary="20 20 100 6" Size="4"><ofd:TextCode X="0" Y="4">&x;&y;secret</ofd:TextCode>'
            b"</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>")
    parts["Doc_0/Pages/Page_0/Content.xml"] = page
    doc = read_ofd(_zip(parts))
    assert not any("LOL" in p.text or "localhost" in p.text for p in doc.paragraphs)


def test_a_part_declaring_a_huge_size_is_refused(monkeypatch):
    import planingest.ingest.ofd.package as package

    monkeypatch.setattr(package, "MAX_PART_BYTES", 1000)
    doc = read_ofd(SAMPLE.read_bytes())  # every page over the limit: each reported, none read
    assert {i.code for i in doc.issues} >= {"page-unreadable"} and "too large" in doc.issues[0].message


def _element(xml: str):
    from lxml import etree

    return etree.fromstring(f"<ofd:X {NS}>{xml}</ofd:X>")[0]


def test_text_runs_are_cut_at_wide_gaps_and_placed_in_points():
    obj = _element('<ofd:TextObject ID="1" Boundary="10 20 150 5" Size="4"><ofd:TextCode X="0" Y="4" '
                   'DeltaX="4 40 4">指标名称</ofd:TextCode></ofd:TextObject>')
    first, second = text_boxes(obj)
    assert (first.text, second.text) == ("指标", "名称")
    assert first.x0 == pytest.approx(10 * 72 / 25.4) and second.x0 == pytest.approx(54 * 72 / 25.4)
    assert first.top < 24 * 72 / 25.4 < first.bottom


def test_path_lines_and_thin_bars_are_rulings_curves_are_not():
    line = _element('<ofd:PathObject ID="1" Boundary="20 50 170 1"><ofd:AbbreviatedData>M 0 0.5 L 170 0.5'
                    "</ofd:AbbreviatedData></ofd:PathObject>")
    bar = _element('<ofd:PathObject ID="2" Boundary="20 50 0.3 80" Fill="true"/>')
    curve = _element('<ofd:PathObject ID="3" Boundary="0 0 50 50"><ofd:AbbreviatedData>M 0 0 B 10 10 20 20 30 40'
                     "</ofd:AbbreviatedData></ofd:PathObject>")
    assert [e["orientation"] for e in path_edges(line)] == ["h"]
    assert [e["orientation"] for e in path_edges(bar)] == ["v"]
    assert path_edges(curve) == []


@pytest.mark.parametrize("value, expected", [
    ("3.5 3.5 g 3 4.2 1", [3.5, 3.5, 4.2, 4.2, 4.2, 1.0]), ("", []), ("g 2", []), ("1 x 2", [1.0]),
])
def test_delta_lists(value, expected):
    assert deltas(value) == expected


@given(st.lists(st.one_of(st.floats(-100, 100, allow_nan=False).map(lambda f: f"{f:g}"),
                          st.tuples(st.integers(0, 50), st.floats(0, 10, allow_nan=False))
                          .map(lambda t: f"g {t[0]} {t[1]:g}")), max_size=20))
def test_delta_lists_expand_every_repeat(tokens):
    expected = sum(int(t.split()[1]) if t.startswith("g ") else 1 for t in tokens)
    assert len(deltas(" ".join(tokens))) == expected


@pytest.mark.slow
def test_an_image_only_page_is_read_by_ocr():
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 48)
    draw.text((200, 300), "鹿寨县生态文明建设工作方案", font=font, fill=0)
    buffer = io.BytesIO()
    page.save(buffer, "PNG")
    content = (f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="1"><ofd:ImageObject ID="3" ResourceID="9" '
               'Boundary="0 0 210 297" CTM="210 0 0 297 0 0"/></ofd:Layer></ofd:Content></ofd:Page>').encode()
    parts = {
        "OFD.xml": f"<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>".encode(),
        "Doc_0/Document.xml": (f"<ofd:Document {NS}><ofd:CommonData><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>"
                               '</ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>'
                               "</ofd:Pages></ofd:Document>").encode(),
        "Doc_0/DocumentRes.xml": (f'<ofd:Res {NS} BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="9" Type="Image">'
                                  "<ofd:MediaFile>scan_9.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias>"
                                  "</ofd:Res>").encode(),
        "Doc_0/Res/scan_9.png": buffer.getvalue(),
        "Doc_0/Pages/Page_0/Content.xml": content,
    }
    assert ocr_pages_needed(_zip(parts)) == 1  # counted from the page XML: the batch's time budget
    doc = read_ofd(_zip(parts))
    assert [p.text for p in doc.paragraphs] == ["鹿寨县生态文明建设工作方案"]
    assert [i.code for i in doc.issues] == ["ocr"]
