"""Properties of the free-text parsers: no exception on any text, and the round-trips."""
from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from planingest.interpret.values import (
    find_deadline,
    parse_attribute,
    parse_deadline,
    parse_money_wan,
    parse_target,
    parse_years,
    split_scoped_targets,
    split_target_items,
)
from planingest.normalize.departments import default_normalizer

# Text like the documents': unit and target vocabulary, separators, digits, signs, wraps,
# mixed with arbitrary Unicode.
_DOCUMENT_CHARS = list(
    "县市省区州旗委办局部中心政府人民乡镇各生态环境分局靖州怀化柳鹿寨水利林业农村住建城管发改统计"
    "约束性参考指标年月底前上半季度亿万元≥≤＞＜><=%％.,，、；;：:（）()/—-～~△EQI 　\n\t0123456789"
)
document_text = st.text(alphabet=st.sampled_from(_DOCUMENT_CHARS), max_size=40) | st.text(max_size=40)


@settings(max_examples=300)
@given(document_text)
def test_no_parser_raises(text):
    parse_target(text)
    split_scoped_targets(text)
    parse_attribute(text)
    parse_attribute(text, "县")
    parse_years(text)
    parse_money_wan(text)
    parse_money_wan(text, text)
    parse_deadline(text)
    find_deadline(text)


@settings(max_examples=300)
@given(document_text, st.integers(min_value=-2, max_value=8))
def test_split_target_items_gives_expected_items_or_one(text, expected):
    items = split_target_items(text, expected)
    assert len(items) in {1, max(expected, 1)}


@given(st.integers(min_value=1990, max_value=2060), st.integers(min_value=0, max_value=70),
       st.sampled_from(["-", "—", "～", "年-", "至"]))
def test_parse_years_round_trip(start, length, separator):
    end = min(start + length, 2060)
    assert parse_years(f"{start}{separator}{end}") == (start, end)
    assert parse_years(f"{start}") == (start, start)


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_parse_money_round_trip(amount):
    value = float(amount)
    assert math.isclose(parse_money_wan(f"{value:,.2f}"), value, rel_tol=1e-9, abs_tol=1e-6)
    assert math.isclose(parse_money_wan(f"{value:.2f}万元"), value, rel_tol=1e-9, abs_tol=1e-6)
    assert math.isclose(parse_money_wan(f"{value:.2f}亿元"), value * 10000, rel_tol=1e-9, abs_tol=1e-6)
    assert math.isclose(parse_money_wan(f"{value:.2f}", "(亿元)"), value * 10000, rel_tol=1e-9, abs_tol=1e-6)


@given(st.integers(min_value=1990, max_value=2099), st.integers(min_value=1, max_value=12))
def test_parse_deadline_round_trip(year, month):
    assert parse_deadline(f"{year}年{month}月") == f"{year}-{month:02d}"
    assert parse_deadline(f"{year}.{month}") == f"{year}-{month:02d}"
    assert parse_deadline(f"{year}年") == f"{year}"


def _is_subsequence(unit: str, text: str) -> bool:
    remaining = iter(text)
    return all(char in remaining for char in unit)


@settings(max_examples=300, deadline=None)
@given(document_text)
def test_split_units_gives_non_empty_units_made_of_the_input(text):
    normalizer = default_normalizer()
    for unit in normalizer.split_units(text):
        assert unit and unit.strip() == unit
        assert _is_subsequence(unit, text)
    names, review = normalizer.normalize(text)
    assert len(set(names)) == len(names)
    assert all(not match.confident for match in review)
