"""How one review decision becomes one catalogue row, and how we know it took effect.

Per kind of item (the sheets of the review workbook):

==========  ===============  =========================================================
sheet       decision         row appended to
==========  ===============  =========================================================
indicator   I07 / I07.1 …    indicator_aliases.csv (alias, indicator_id, sub_indicator_id)
indicator   local            local_indicators.csv (name, region, parent_id)
department  a canonical name department_aliases.csv (alias, canonical, kind=alias)
region      a 6-digit code   region_aliases.csv (alias, admin_code, doc_id)
any         ignore           review_ignore.csv (kind, raw)
==========  ===============  =========================================================

:func:`to_change` checks a decision against the vocabulary as it is (unknown IDs,
names, codes) and returns the row or the reason it is refused; :func:`still_flagged`
asks the vocabulary as it will be whether the item would leave the queue, with the
same calls the normaliser makes (a sub-row is matched under its parent).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from planingest.catalogue.decisions import IGNORE_FILE, REGION_ALIAS_FILE, raw_key
from planingest.catalogue.departments import department_key
from planingest.catalogue.indicators import ALIASES, LOCALS, IndicatorCatalogue
from planingest.core.i18n import _
from planingest.core.names import name_key
from planingest.core.shown import shown
from planingest.normalize.vocabulary import Vocabulary
from planingest.review.sheets import IGNORE, LOCAL, label

DEPARTMENT_ALIASES = "department_aliases.csv"
_CHOICE_ID = re.compile(r"(I\d{2}(?:\.\d{1,2})?)(?:\s+(.*))?")
_CODE = re.compile(r"(\d{6})(?:\s+(.*))?")
_DOC_ID = re.compile(r"[0-9a-f]{64}")
#: "listed under" of a sub-row whose parent is not in the catalogue
UNKNOWN_PARENT = "?"


@dataclass(frozen=True)
class Decision:
    """One filled decision cell and the row it sits on."""

    sheet: str
    row: int  # the workbook's row number (header = 1)
    raw: str
    value: str
    doc_id: str = ""
    under: str = ""
    document: str = ""
    locator: str = ""
    region: str = ""

    @property
    def where(self) -> str:
        return _("{sheet} row {row}").format(sheet=label(self.sheet), row=self.row)

    @property
    def question(self) -> tuple[str, str, str]:
        """What the decision answers: a region is decided per document, everything else per text."""
        return (self.sheet, raw_key(self.raw), self.doc_id if self.sheet == "region" else "")


@dataclass(frozen=True)
class Change:
    """One row to append to a catalogue file."""

    file: str
    row: dict[str, str]
    key: tuple  # identity in its namespace: a second row with this key would be a duplicate
    target: tuple  # what the row says; equal keys with equal targets are one change
    summary: str  # for the report: "集中式…达标率 → I28 集中式饮用水水源地水质优良比例"


def one_line(text: str) -> str:
    """Catalogue rows are one line each; every comparison ignores whitespace anyway."""
    return " ".join(str(text).split())


def _note(decision: Decision) -> str:
    where = ", ".join(x for x in (decision.document, decision.locator) if x)
    return f"accepted {dt.date.today().isoformat()} from review ({where})"


def to_change(decision: Decision, vocab: Vocabulary, catalogue: IndicatorCatalogue) -> Change | str:
    """The catalogue row for ``decision``, or why it is not a valid decision."""
    value = decision.value
    if not decision.raw.strip():
        return _("the raw text is empty")
    if value.lower() == IGNORE:
        return Change(IGNORE_FILE, {"kind": decision.sheet, "raw": one_line(decision.raw), "note": _note(decision)},
                      ("ignore", decision.sheet, raw_key(decision.raw)), ("ignore",),
                      _("{kind} {raw!r}: {ignore}").format(kind=label(decision.sheet), raw=one_line(decision.raw),
                                                           ignore=label(IGNORE)))
    if decision.sheet == "indicator":
        return _indicator_change(decision, catalogue)
    if decision.sheet == "department":
        return _department_change(decision, vocab)
    if decision.sheet == "region":
        return _region_change(decision, vocab)
    return _("{value!r} is not a decision for a {kind} item (only {ignore})").format(
        value=value, kind=label(decision.sheet), ignore=label(IGNORE))


def parent_of(decision: Decision, catalogue: IndicatorCatalogue) -> str | None:
    """The catalogue ID a sub-row is listed under; UNKNOWN_PARENT for a parent outside the catalogue;
    None for a top-level row."""
    under = decision.under.strip()
    if not under:
        return None
    match = _CHOICE_ID.fullmatch(under)
    if match and match.group(1) in {e.id for e in catalogue.entries}:
        return match.group(1)
    return UNKNOWN_PARENT


def indicator_target(value: str, catalogue: IndicatorCatalogue) -> tuple[str, str | None] | str:
    """"I07 环境空气质量" / "I07.1" → (indicator_id, sub_indicator_id), or why not."""
    match = _CHOICE_ID.fullmatch(value.strip())
    if not match:
        return _("{value!r} is not a catalogue ID (I01 … I{last:02d}), {local} or {ignore}").format(
            value=value, last=len(catalogue.entries), local=label(LOCAL), ignore=label(IGNORE))
    identifier, name = match.groups()
    names = {e.id: e.name for e in catalogue.entries} | {s.sub_id: s.name for s in catalogue.subs}
    if identifier not in names:
        return _("{id} is not an ID in the indicator catalogue").format(id=identifier)
    if name and raw_key(name) != raw_key(names[identifier]):
        return _("{id} is {name}, not {written!r}").format(id=identifier, name=names[identifier], written=name)
    if "." in identifier:
        return catalogue.sub(identifier).parent_id, identifier
    return identifier, None


def _indicator_change(decision: Decision, catalogue: IndicatorCatalogue) -> Change | str:
    raw = one_line(decision.raw)
    if not name_key(raw):
        return _("{raw!r} has no letters or digits to recognise it by: only {ignore} can settle it").format(
            raw=raw, ignore=label(IGNORE))
    key = ("indicator wording", name_key(raw))
    parent = parent_of(decision, catalogue)
    known_parent = parent if parent not in (None, UNKNOWN_PARENT) else None
    if decision.value.lower() == LOCAL:
        row = {"name": raw, "region": decision.region, "parent_id": known_parent or "", "note": _note(decision)}
        under = _(" under {parent}").format(parent=known_parent) if known_parent else ""
        return Change(LOCALS, row, key, ("local", known_parent),
                      _("{raw!r}: local indicator{under}").format(raw=raw, under=under))
    target = indicator_target(decision.value, catalogue)
    if isinstance(target, str):
        return target
    indicator_id, sub_id = target
    row = {"alias": raw, "indicator_id": indicator_id, "sub_indicator_id": sub_id or "", "note": _note(decision)}
    chosen = catalogue.sub(sub_id).label if sub_id else catalogue.entry(indicator_id).label
    return Change(ALIASES, row, key, (indicator_id, sub_id), f"{raw!r} → {chosen}")


def canonical_department(value: str, vocab: Vocabulary) -> str | None:
    """The canonical name ``value`` is (ignoring width, spaces and punctuation), or None."""
    by_key = {department_key(d.canonical): d.canonical for d in vocab.departments.vocab.departments}
    return by_key.get(department_key(value))


def _department_change(decision: Decision, vocab: Vocabulary) -> Change | str:
    canonical = canonical_department(decision.value, vocab)
    if canonical is None:
        return _("{value!r} is not a canonical department in departments.csv").format(value=decision.value)
    form = department_form(decision.raw, vocab)
    if not form:
        return _("{raw!r} has no letters to recognise it by: only {ignore} can settle it").format(
            raw=one_line(decision.raw), ignore=label(IGNORE))
    row = {"alias": form, "canonical": canonical, "kind": "alias",
           "note": f"written {one_line(decision.raw)}; {_note(decision)}"}
    written_as = form if form == department_key(decision.raw) else _("{form} (written {raw})").format(
        form=form, raw=one_line(decision.raw))
    return Change(DEPARTMENT_ALIASES, row, ("department", department_key(form)), (canonical,),
                  f"{written_as} → {canonical}")


def department_form(raw: str, vocab: Vocabulary) -> str:
    """The unit without its place/level prefix (县生态保护中心 → 生态保护中心), as the aliases file keeps
    them, so the decision holds for every county; the whole name if what is left is too short to mean much."""
    forms = vocab.departments.reductions(raw)  # keys: without spaces or punctuation; none if nothing is left
    if not forms:
        return ""
    return forms[-1] if len(forms[-1]) >= 3 else forms[0]


def _region_change(decision: Decision, vocab: Vocabulary) -> Change | str:
    match = _CODE.fullmatch(decision.value.strip())
    if not match:
        return _("{value!r} is not a 6-digit administrative code or {ignore}").format(
            value=decision.value, ignore=label(IGNORE))
    code, name = match.groups()
    region = vocab.regions.get(code)
    if region is None:
        return _("{code} is not a code in regions.csv").format(code=code)
    if name and raw_key(name) != raw_key(region.name):
        return _("{code} is {name}, not {written!r}").format(code=code, name=region.name, written=name)
    if not _DOC_ID.fullmatch(decision.doc_id):
        return _("the doc_id column is empty or damaged: a region is decided for one document")
    row = {"alias": one_line(decision.raw), "admin_code": code, "doc_id": decision.doc_id, "note": _note(decision)}
    return Change(REGION_ALIAS_FILE, row, ("region", decision.doc_id, raw_key(decision.raw)), (code,),
                  _("{raw!r} in {document} → {code} {name}").format(
                      raw=one_line(decision.raw), document=decision.document or decision.doc_id[:12], code=code,
                      name=region.name))


# --------------------------------------------------------------------------
# already in the catalogue?
# --------------------------------------------------------------------------


def recorded(change: Change, vocab: Vocabulary, catalogue: IndicatorCatalogue) -> tuple | None:
    """What the catalogue already says for ``change.key`` (a target tuple), or None if nothing."""
    kind = change.key[0]
    if kind == "ignore":
        return ("ignore",) if (change.key[1], change.key[2]) in vocab.decisions.ignored else None
    if kind == "region":
        region = vocab.decisions.regions.get((change.key[1], change.key[2]))
        return (region.admin_code,) if region else None
    if kind == "department":
        for alias in vocab.departments.vocab.aliases:
            if department_key(alias.alias) == change.key[1]:
                return (alias.canonical,)
        return None
    return _indicator_wordings(catalogue).get(change.key[1])


def _indicator_wordings(catalogue: IndicatorCatalogue) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    for entry in catalogue.entries:
        out.setdefault(name_key(entry.name), (entry.id, None))
    for sub in catalogue.subs:
        out.setdefault(name_key(sub.name), (sub.parent_id, sub.sub_id))
    for alias in catalogue.aliases:
        out.setdefault(name_key(alias.alias), (alias.indicator_id, alias.sub_indicator_id))
    for row in catalogue.crosswalk:
        target = ("retired", None) if row.is_retired else ("new", None) if row.is_new \
            else (row.indicator_id, row.sub_indicator_id)
        out.setdefault(name_key(row.name), target)
    for local in catalogue.locals:
        out.setdefault(name_key(local.name), ("local", local.parent_id))
    return out


# --------------------------------------------------------------------------
# did it take effect?
# --------------------------------------------------------------------------


def still_flagged(decision: Decision, vocab: Vocabulary, catalogue: IndicatorCatalogue) -> str | None:
    """Why the item would still be in the review queue with ``vocab``, or None when it leaves it."""
    if decision.value.lower() == IGNORE:
        return None if vocab.decisions.is_ignored(decision.sheet, decision.raw) else _("not on the ignore list")
    if decision.sheet == "indicator":
        return _indicator_flagged(decision, vocab, catalogue)
    if decision.sheet == "department":
        match = vocab.departments.match_unit(decision.raw)
        if match.confident and match.canonical == canonical_department(decision.value, vocab):
            return None
        return _("the unit would be read as {canonical} ({method})").format(
            canonical=match.canonical or _("nothing known"), method=_(match.method))
    if decision.sheet == "region":
        region = vocab.decisions.region_for(decision.doc_id, decision.raw)
        return None if region and region.admin_code == decision.value.strip()[:6] else _("no region decision found")
    return _("cannot be settled")


def _indicator_flagged(decision: Decision, vocab: Vocabulary, catalogue: IndicatorCatalogue) -> str | None:
    parent = parent_of(decision, catalogue)
    matcher = vocab.indicators
    if parent is None:
        result = matcher.match(decision.raw)
    else:
        result = matcher.match_sub(None if parent == UNKNOWN_PARENT else parent, decision.raw)
    if decision.value.lower() == LOCAL:
        ok = result.is_local and not result.needs_review
    else:
        target = indicator_target(decision.value, catalogue)
        ok = (not isinstance(target, str) and not result.needs_review and result.indicator_id == target[0]
              and (target[1] is None or result.sub_indicator_id == target[1]))
    if ok:
        return None
    hint = ""
    if parent not in (None, UNKNOWN_PARENT):
        hint = _("; listed under {parent}, it can only be {parent}, one of its sub-indicators, {local} or {ignore}"
                 ).format(parent=parent, local=label(LOCAL), ignore=label(IGNORE))
    uncertain = _("the match would still be uncertain")
    return f"{shown(result.reason) or uncertain}{hint}"
