"""Ways one sample becomes many distinct, realistic documents: other regions, other
department spellings, other row orders, more or less prose.

Every substitution works on text as stored (a DOCX's document.xml, an XLSX's
sharedStrings.xml, a plain-text dump), so a variant costs milliseconds and needs
no Office program.  The vocabularies come from the catalogue the pipeline uses:
regions from ``catalogue/regions.csv``, department spellings from the raw forms
in ``catalogue/department_aliases.csv`` — a variant is something the pipeline is
meant to map back, not noise.
"""
from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "planingest" / "catalogue" / "data"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"

#: the place names each sample is written about, as (county, county short, city, city short, province)
SAMPLE_REGIONS: dict[str, tuple[tuple[str, ...], str, str, str, str]] = {
    "jingzhou": (("靖州苗族侗族自治县", "靖州县"), "靖州", "怀化市", "怀化", "湖南省"),
    "luzhai": (("鹿寨县",), "鹿寨", "柳州市", "柳州", "广西壮族自治区"),
    "changde": ((), "", "常德市", "常德", "湖南省"),
    "anhua": (("安化县",), "安化", "益阳市", "益阳", "湖南省"),
    "lushi": (("卢氏县",), "卢氏", "三门峡市", "三门峡", "河南省"),
}
#: alias kinds that are whole names of a unit (abbreviations are left to the seeds' own damage)
_FULL_NAME_KINDS = ("alias", "pre-2018")
#: what may follow a department name in a cell: a separator, a line break, the end of the text
_AFTER_NAME = r"(?=$|[、，,；;\s）)])"


@dataclass(frozen=True)
class Region:
    name: str
    short: str
    city: str
    city_short: str
    province: str


def _csv_rows(name: str) -> list[dict[str, str]]:
    import csv

    with open(CATALOGUE / name, encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(line for line in fh if not line.startswith("#"))]


@lru_cache(maxsize=1)
def counties() -> tuple[Region, ...]:
    """Counties (县) of regions.csv with a short name and an enclosing city, as substitutes."""
    rows = _csv_rows("regions.csv")
    cities = {r["name"]: r["short_name"] for r in rows if r["level"] == "city" and r["short_name"]}
    out = []
    for r in rows:
        if r["level"] == "county" and r["name"].endswith("县") and r["short_name"] and r["city"] in cities:
            out.append(Region(r["name"], r["short_name"], r["city"], cities[r["city"]], r["province"]))
    return tuple(out)


@lru_cache(maxsize=1)
def department_spellings() -> dict[str, tuple[str, ...]]:
    """canonical department name → its other full spellings (aliases and pre-2018 names)."""
    out: dict[str, list[str]] = {}
    for row in _csv_rows("department_aliases.csv"):
        if row["kind"] in _FULL_NAME_KINDS and len(row["alias"]) >= 3:
            out.setdefault(row["canonical"], []).append(row["alias"])
    return {k: tuple(v) for k, v in out.items()}


@dataclass(frozen=True)
class Substitution:
    """One document's replacements: a region for the sample's own, a spelling per department."""

    pattern: re.Pattern
    table: dict[str, str]

    def __call__(self, text: str) -> str:
        return self.pattern.sub(lambda m: self.table[m.group(0)], text)


def substitution(sample: str, rng: random.Random, respell_share: float = 0.6) -> tuple[Substitution, Region]:
    """Replacements for one variant of ``sample``: another county, and for a share of the
    departments (after a 县/市/区 prefix) another full spelling."""
    region = rng.choice(counties())
    names, short, city, city_short, province = SAMPLE_REGIONS[sample]
    table = {old: region.name for old in names}
    table.update({short: region.short, city: region.city, city_short: region.city_short, province: region.province})
    if sample == "changde":  # a city's plan: the city becomes the new county's city
        table = {city: region.city, city_short: region.city_short}
    table = {k: v for k, v in table.items() if k}
    words = sorted(table, key=len, reverse=True)
    departments = []
    for canonical, spellings in department_spellings().items():
        if rng.random() < respell_share:
            departments.append(canonical)
            table[canonical] = rng.choice(spellings)
    place = "|".join(map(re.escape, words))
    dept = "|".join(map(re.escape, sorted(departments, key=len, reverse=True)))
    pattern = f"{place}|(?<=[县市区]){'(?:' + dept + ')' + _AFTER_NAME}" if dept else place
    return Substitution(re.compile(pattern), table), region


# --------------------------------------------------------------------------
# DOCX body edits (document.xml as an lxml tree)
# --------------------------------------------------------------------------


def _continues_merge(row) -> bool:
    """A row with a vertically merged cell continuing from the row above belongs with it."""
    for merge in row.iter(f"{_W}vMerge"):
        if merge.get(f"{_W}val") in (None, "continue"):
            return True
    return False


def _spans_the_table(row) -> bool:
    """A full-width row (a group title such as 生态文化建设) belongs with the rows after it."""
    return len(row.findall(f"{_W}tc")) == 1


def shuffle_rows(body, rng: random.Random) -> int:
    """Shuffle the data rows of every table in units that merges hold together; returns tables shuffled.

    Header rows (w:tblHeader) stay on top.  A unit is a row plus the rows whose
    cells continue its vertical merges (a 领域 with its indicators, an indicator
    with its sub-rows), so a shuffled table is still one a person could have typed.
    """
    shuffled = 0
    for table in body.iter(f"{_W}tbl"):
        rows = table.findall(f"{_W}tr")
        body_rows = [r for r in rows if r.find(f"{_W}trPr/{_W}tblHeader") is None]
        units: list[list] = []
        for row in body_rows:
            if units and (_continues_merge(row) or _spans_the_table(units[-1][-1])):
                units[-1].append(row)
            else:
                units.append([row])
        if len(units) < 2:
            continue
        rng.shuffle(units)
        for row in body_rows:
            table.remove(row)
        for unit in units:
            for row in unit:
                table.append(row)
        shuffled += 1
    return shuffled


def _template_paragraph(body):
    """A plain body paragraph to clone for inserted prose (first-line indent, body style)."""
    for p in body.iterchildren(f"{_W}p"):
        texts = "".join(t.text or "" for t in p.iter(f"{_W}t"))
        if len(texts) > 40 and p.find(f"{_W}pPr/{_W}pStyle") is None:
            return p
    return None


def insert_prose(body, paragraphs: list[str], before_table: int = 0) -> int:
    """Insert ``paragraphs`` as body paragraphs before the table number ``before_table``."""
    template = _template_paragraph(body)
    tables = list(body.iterchildren(f"{_W}tbl"))
    if template is None or not paragraphs:
        return 0
    anchor = tables[min(before_table, len(tables) - 1)] if tables else body[-1]
    # put the prose before the caption paragraph(s) directly above the table
    while anchor.getprevious() is not None and anchor.getprevious().tag == f"{_W}p" and \
            len("".join(t.text or "" for t in anchor.getprevious().iter(f"{_W}t"))) < 40:
        anchor = anchor.getprevious()
    for text in paragraphs:
        p = copy.deepcopy(template)
        runs = p.findall(f"{_W}r")
        for r in runs[1:]:
            p.remove(r)
        texts = runs[0].findall(f"{_W}t") if runs else []
        if not texts:
            continue
        texts[0].text = text
        for t in texts[1:]:
            runs[0].remove(t)
        anchor.addprevious(p)
    return len(paragraphs)


def edit_xml(xml: bytes, sub: Substitution, edit=None) -> bytes:
    """An XML part with ``sub`` applied to every text node (and ``edit(root)`` to the tree first)."""
    root = etree.fromstring(xml)
    if edit is not None:
        edit(root)
    for element in root.iter():
        if isinstance(element.tag, str) and element.text:
            element.text = sub(element.text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
