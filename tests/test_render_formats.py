"""The samples of the other forms (tools/render_formats.py) are current and are what they claim to be."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

pytestmark = pytest.mark.slow  # LibreOffice and OCR re-render the samples

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TOOLS = ROOT / "tools"
GENERATED = ("html/changde.html", "mht/changde.mht", "ofd/changde.ofd", "image/changde-photo.jpg")


def test_generated_samples_are_current(tmp_path):
    subprocess.run([sys.executable, "-m", "tools.render_formats", "html", "mht", "ofd", "image",
                    "--out", str(tmp_path)], check=True, capture_output=True, cwd=ROOT, timeout=300)
    for name in GENERATED:
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), f"{name}: rerun python -m tools.render_formats"


def test_web_page_is_gbk_declared_gb2312():
    data = (SAMPLES / "html" / "changde.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"charset=gb2312" in data[:600] and "常生创办〔2020〕2号".encode("gbk") in data


def test_mhtml_is_quoted_printable_with_an_image_part():
    data = (SAMPLES / "mht" / "changde.mht").read_bytes()
    assert data.startswith(b"From: <Saved by Blink>") and b"quoted-printable" in data and b"image/png" in data


def test_ofd_has_pages_rulings_and_a_signature():
    with zipfile.ZipFile(SAMPLES / "ofd" / "changde.ofd") as zf:
        names = set(zf.namelist())
        page = zf.read("Doc_0/Pages/Page_4/Content.xml").decode()
    assert {"OFD.xml", "Doc_0/Document.xml", "Doc_0/Signs/Signatures.xml"} <= names
    assert "PathObject" in page and "TextCode" in page and 'DeltaX="' in page


def test_photo_is_stored_sideways_with_its_exif_orientation():
    with Image.open(SAMPLES / "image" / "changde-photo.jpg") as image:
        assert image.format == "JPEG" and image.width > image.height
        assert image.getexif()[0x0112] == 6
