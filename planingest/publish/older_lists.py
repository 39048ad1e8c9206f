"""Values that came from an older national list and measure something else: flagged, never passed off.

A plan written against the 2019 or 2016 list states targets for indicators the
crosswalk (``catalogue/data/crosswalk.csv``) maps onto the 2021 IDs.  Where the
relation is ``changed`` or ``replaced`` the older indicator measured something
else or in another unit (2019 化肥施用强度 ≤300 千克/公顷 is filed under I25,
which 2021 measures as 利用率 in %): the value belongs to the indicator, but is not
comparable one-to-one.  Such values carry :data:`MARK` in the report and the
export, with the older wording, and a legend says why.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planingest.catalogue.indicators import CrosswalkRow, IndicatorCatalogue
from planingest.core.i18n import N_, translate
from planingest.core.names import name_key

MARK = "⚠"
#: crosswalk relations whose values are not comparable one-to-one with the 2021 indicator
NOT_COMPARABLE = frozenset({"changed", "replaced"})
MARK_MEANING = N_("{mark} the value was stated for an indicator of an older national list that the current "
                "indicator replaced or changed (another measure or unit): it is filed under the current ID "
                "but is not comparable one-to-one; the older wording is given before the value")


@dataclass(frozen=True)
class OlderMeasure:
    """The crosswalk row an indicator row was mapped through, when its measure changed."""

    wording: str  # as the older list writes it
    version: str
    relation: str
    indicator_id: str
    note: str | None


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value))


def older_measures(indicators: pd.DataFrame, documents: pd.DataFrame,
                   catalogue: IndicatorCatalogue) -> dict[int, OlderMeasure]:
    """Index label of an indicators row → its older measure, for rows mapped through a changed/replaced wording."""
    by_key: dict[tuple[str, str], list[CrosswalkRow]] = {}
    for row in catalogue.crosswalk:
        if row.relation in NOT_COMPARABLE and row.indicator_id:
            by_key.setdefault((name_key(row.name), row.indicator_id), []).append(row)
    version_of = dict(zip(documents["doc_id"], documents["catalogue_version"], strict=False)) \
        if "catalogue_version" in documents else {}
    found: dict[int, OlderMeasure] = {}
    mapped = indicators[(indicators["match_method"] == "crosswalk") & indicators["indicator_id"].notna()]
    for label, row in mapped.iterrows():
        wording = row["sub_name_raw"] if _present(row["sub_name_raw"]) else row["name_raw"]
        rows = by_key.get((name_key(str(wording)), row["indicator_id"]), [])
        if not rows:
            continue
        same_version = [r for r in rows if r.version == version_of.get(row["doc_id"])]
        chosen = (same_version or rows)[0]
        found[label] = OlderMeasure(str(wording), chosen.version, chosen.relation, row["indicator_id"], chosen.note)
    return found


#: an older wording's line of the legend, and the relations it can name (NOT_COMPARABLE)
OLDER_MEANING = N_("{version} list, {relation} by {label}")
RELATION_WORDS = (N_("changed"), N_("replaced"))


def legend_rows(measures: dict[int, OlderMeasure], catalogue: IndicatorCatalogue) -> list[tuple[str, str, str]]:
    """(mark, meaning, meaning in Chinese) for the legend: the mark itself, then each older wording found, once.

    The crosswalk's note is data (catalogue/data/crosswalk.csv) and is given as written in both."""
    labels = {e.id: e.label for e in catalogue.entries}
    rows = [(MARK, MARK_MEANING.format(mark=MARK), translate(MARK_MEANING, "zh").format(mark=MARK))]
    seen = set()
    for measure in measures.values():
        key = (measure.wording, measure.version, measure.indicator_id)
        if key in seen:
            continue
        seen.add(key)
        note = f"; {measure.note}" if measure.note else ""
        values = {"version": measure.version, "label": labels.get(measure.indicator_id, measure.indicator_id)}
        rows.append((f"{MARK} {measure.wording}",
                     OLDER_MEANING.format(relation=measure.relation, **values) + note,
                     translate(OLDER_MEANING, "zh").format(relation=translate(measure.relation, "zh"), **values)
                     + note.replace("; ", translate("; ", "zh"), 1)))
    return rows
