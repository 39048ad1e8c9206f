"""Applying a filled review workbook (``planingest accept FILE``) to the catalogue.

All or nothing.  Every decision is checked first (unknown IDs, names or codes;
two different answers to one question; a row the catalogue already says
otherwise); then the rows are appended and the catalogue is loaded again with
the validating loaders; then every decision is checked to take effect: the
vocabulary as it now is must settle the item the way the person decided (an
alias that the matcher would still not use — a sub-row listed under the wrong
parent — is refused, not silently written).  Any problem restores the files as
they were and exits 2 with the sheet and row of each bad decision.

The next ``planingest run`` sees a new vocabulary fingerprint, normalises every
document again from the cache (no file is parsed again), and the settled items
leave the review queue.
"""
from __future__ import annotations

import csv
import io
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from planingest.catalogue import catalogue_dir
from planingest.catalogue.decisions import IGNORE_COLUMNS, IGNORE_FILE, REGION_ALIAS_COLUMNS, REGION_ALIAS_FILE
from planingest.catalogue.indicators import IndicatorCatalogue, load_indicator_catalogue
from planingest.core.errors import CatalogueError, UsageError
from planingest.core.i18n import LANGS, _
from planingest.normalize.vocabulary import Vocabulary, load_vocabulary
from planingest.review.rules import Change, Decision, recorded, still_flagged, to_change
from planingest.review.sheets import (
    DECISION,
    DOC_ID,
    DOCUMENT,
    KINDS,
    LOCATOR,
    RAW,
    REGION,
    UNDER,
    decision_of,
    label,
    name_of,
    sheet_named,
)
from planingest.store.folder import atomic_write_bytes

EXIT_OK, EXIT_REJECTED = 0, 2
#: header of a decision file that does not exist yet (older catalogue copies lack the two new ones)
_NEW_FILE_COLUMNS = {IGNORE_FILE: IGNORE_COLUMNS, REGION_ALIAS_FILE: REGION_ALIAS_COLUMNS}


@dataclass(frozen=True)
class AcceptResult:
    catalogue: Path
    decisions: tuple[Decision, ...]
    written: tuple[Change, ...] = ()  # rows appended
    already: tuple[Change, ...] = ()  # rows the catalogue already had
    errors: tuple[str, ...] = ()  # non-empty: nothing was written

    @property
    def exit_code(self) -> int:
        return EXIT_REJECTED if self.errors else EXIT_OK


# --------------------------------------------------------------------------
# reading the workbook
# --------------------------------------------------------------------------


def _text(value) -> str:
    """A cell as text; a code Excel turned into a number (431229.0) back into its digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_decisions(path: str | os.PathLike) -> tuple[list[Decision], list[str]]:
    """The filled decision cells of a review workbook (blank ones are skipped), and layout problems."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise UsageError(_("{path}: file not found").format(path=path)) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise UsageError(_("{path}: not an Excel workbook ({error})").format(
            path=path, error=f"{type(exc).__name__}: {exc}")) from None
    sheets = [kind for kind in KINDS if sheet_named(wb, kind) is not None]
    if not sheets:
        raise UsageError(_("{path}: not a review workbook (no sheet named {sheets}); write one with "
                           "`planingest review --out DIR`").format(
            path=path, sheets=_(", ").join(sorted({label(k, lang) for k in KINDS for lang in LANGS}))))
    decisions: list[Decision] = []
    problems: list[str] = []
    for kind in sheets:
        rows = sheet_named(wb, kind).iter_rows(values_only=True)
        header = [name_of(_text(h)) for h in next(rows, ())]
        missing = [name for name in (RAW, DECISION) if name not in header]
        if missing:
            problems.append(_("{sheet}: the first row has no {columns} column").format(
                sheet=label(kind), columns=_(" or ").join(label(m) for m in missing)))
            continue
        col = {name: header.index(name) for name in header if name}
        for number, values in enumerate(rows, start=2):
            cells = {name: _text(values[i]) if i < len(values) else "" for name, i in col.items()}
            if cells[DECISION]:
                decisions.append(Decision(
                    sheet=kind, row=number, raw=cells[RAW], value=decision_of(cells[DECISION]), doc_id=cells.get(DOC_ID, ""),
                    under=cells.get(UNDER, ""), document=cells.get(DOCUMENT, ""), locator=cells.get(LOCATOR, ""),
                    region=cells.get(REGION, ""),
                ))
    wb.close()
    return decisions, problems


# --------------------------------------------------------------------------
# planning: decisions -> rows, all checks that need no writing
# --------------------------------------------------------------------------


def _describe(target: tuple) -> str:
    if target[0] == "new":
        return _("an indicator new in the 2024 list (no 2021 entry)")
    if target[0] in ("local", "retired"):
        kind = _("a local indicator") if target[0] == "local" else _("a retired indicator")
        return kind + (_(" under {parent}").format(parent=target[1]) if len(target) > 1 and target[1] else "")
    return " ".join(str(t) for t in target if t)


@dataclass(frozen=True)
class Plan:
    to_write: tuple[Change, ...]  # rows the catalogue lacks
    already: tuple[Change, ...]  # rows it has (accepting a workbook twice changes nothing)
    errors: tuple[str, ...]
    asked_by: dict[tuple, list[Decision]]  # row key → the decisions that asked for it


def plan(decisions: list[Decision], vocab: Vocabulary, catalogue: IndicatorCatalogue) -> Plan:
    """Every check that needs no writing: valid choices, one answer per question, no clash with the catalogue."""
    errors: list[str] = []
    pairs: list[tuple[Decision, Change]] = []
    for decision in decisions:
        change = to_change(decision, vocab, catalogue)
        if isinstance(change, str):
            errors.append(_("{where}: {problem}").format(where=decision.where, problem=change))
        else:
            pairs.append((decision, change))
    errors += _conflicts(pairs, lambda d, c: d.question, _("the same item"))
    errors += _conflicts(pairs, lambda d, c: c.key, _("the same name"))
    by_key: dict[tuple, list[Decision]] = defaultdict(list)
    unique: dict[tuple, Change] = {}
    for decision, change in pairs:
        by_key[change.key].append(decision)
        unique.setdefault(change.key, change)
    to_write, already = [], []
    for key, change in unique.items():
        existing = recorded(change, vocab, catalogue)
        if existing is None:
            to_write.append(change)
        elif existing == change.target:
            already.append(change)
        else:
            rows = _(", ").join(d.where for d in by_key[key])
            errors.append(_("{rows}: {raw!r} already stands for {what} in the catalogue; correct that row by hand if "
                            "it is wrong").format(rows=rows, raw=by_key[key][0].raw, what=_describe(existing)))
    return Plan(tuple(to_write), tuple(already), tuple(errors), by_key)


def _conflicts(pairs, key_of, what: str) -> list[str]:
    groups: dict[tuple, list[tuple[Decision, Change]]] = defaultdict(list)
    for decision, change in pairs:
        groups[key_of(decision, change)].append((decision, change))
    errors = []
    for group in groups.values():
        if len({(c.file, c.target) for _d, c in group}) > 1:
            shown = _("; ").join(_("{where} says {value!r}").format(where=d.where, value=d.value) for d, _c in group)
            errors.append(_("different decisions for {what} {raw!r}: {decisions}").format(
                what=what, raw=group[0][0].raw, decisions=shown))
    return errors


# --------------------------------------------------------------------------
# writing, checking, rolling back
# --------------------------------------------------------------------------


def _append(folder: Path, changes: list[Change]) -> tuple[dict[Path, bytes | None], dict[str, Change]]:
    """Append the rows; returns the files' previous bytes (None: did not exist) and "path:line" → change."""
    backups: dict[Path, bytes | None] = {}
    lines: dict[str, Change] = {}
    by_file: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        by_file[change.file].append(change)
    try:
        for name, group in by_file.items():
            path = folder / name
            backups[path] = path.read_bytes() if path.exists() else None
            text = backups[path].decode("utf-8-sig") if backups[path] is not None else ""
            header = next(csv.reader([text.splitlines()[0]])) if text.strip() else list(_NEW_FILE_COLUMNS[name])
            if not text.strip():
                text = ",".join(header) + "\n"
            elif not text.endswith("\n"):
                text += "\n"
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            first_line = text.count("\n") + 1
            for offset, change in enumerate(group):
                writer.writerow([change.row.get(column.strip(), "") for column in header])
                lines[f"{path}:{first_line + offset}"] = change
            bom = b"\xef\xbb\xbf" if (backups[path] or b"").startswith(b"\xef\xbb\xbf") else b""
            atomic_write_bytes(path, bom + (text + buffer.getvalue()).encode("utf-8"))
    except BaseException:
        _restore(backups)
        raise
    return backups, lines


def _restore(backups: dict[Path, bytes | None]) -> None:
    for path, data in backups.items():
        if data is None:
            path.unlink(missing_ok=True)
        else:
            atomic_write_bytes(path, data)


def _blame(message: str, lines: dict[str, Change], by_key: dict[tuple, list[Decision]]) -> str:
    """A loader error on a row we appended, told as the workbook rows that asked for it."""
    for where, change in lines.items():
        if message.startswith(f"{where}:"):
            rows = _(", ").join(d.where for d in by_key[change.key])
            return f"{rows}: {message[len(where) + 1:].strip()} ({change.file})"
    return _("the catalogue does not load with these rows: {error}").format(error=message)


def accept_workbook(path: str | os.PathLike, catalogue: str | os.PathLike | None = None) -> AcceptResult:
    """Apply the decisions of ``path`` to the catalogue folder (all or nothing); see the module docstring."""
    folder = catalogue_dir(catalogue)
    decisions, problems = read_decisions(path)
    vocab, indicators = load_vocabulary(folder), load_indicator_catalogue(folder)
    planned = plan(decisions, vocab, indicators)
    result = AcceptResult(folder, tuple(decisions), planned.to_write, planned.already)
    if problems or planned.errors:
        return _rejected(result, [*problems, *planned.errors])
    backups, lines = _append(folder, list(planned.to_write)) if planned.to_write else ({}, {})
    try:
        if planned.to_write:
            vocab, indicators = load_vocabulary(folder), load_indicator_catalogue(folder)
        flagged = [_("{where}: {raw!r} would still be flagged after {value!r}: {why}").format(
                       where=d.where, raw=d.raw, value=d.value, why=why)
                   for d in decisions if (why := still_flagged(d, vocab, indicators))]
    except CatalogueError as exc:
        _restore(backups)
        return _rejected(result, [_blame(str(exc), lines, planned.asked_by)])
    except BaseException:
        _restore(backups)
        raise
    if flagged:
        _restore(backups)
        return _rejected(result, flagged)
    return result


def _rejected(result: AcceptResult, errors: list[str]) -> AcceptResult:
    return AcceptResult(result.catalogue, result.decisions, (), (), tuple(errors))
