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


# ------------------------------------------------------------------ measured values and assessments (issue 13)

from planingest.catalogue.assessments import load_assessment_words  # noqa: E402
from planingest.interpret.values import parse_assessment, parse_measured, parse_year  # noqa: E402

ASSESSMENT_WORDS = load_assessment_words()
_SPACES = st.text(alphabet=st.sampled_from([" ", "\u3000", "\n", "\t"]), max_size=2)


@settings(max_examples=300)
@given(document_text, st.one_of(st.none(), document_text))
def test_measured_year_and_assessment_parsers_never_raise(text, dated_by):
    measured = parse_measured(text, dated_by)
    assert measured is None or measured.raw == text
    assert parse_year(text) is None or 1900 <= parse_year(text) <= 2099
    assert parse_assessment(text, ASSESSMENT_WORDS) in (True, False, None)


@given(st.sampled_from(sorted(ASSESSMENT_WORDS)), _SPACES, _SPACES, st.sampled_from(["", "。", "（提前完成）", "(2023年)"]))
def test_assessment_words_read_the_same_with_spaces_and_notes(word, before, after, note):
    assert parse_assessment(before + word + after + note, ASSESSMENT_WORDS) is ASSESSMENT_WORDS[word]


@given(document_text.filter(lambda t: not any(w in t for w in ASSESSMENT_WORDS)))
def test_text_without_an_assessment_word_is_never_an_assessment(text):
    assert parse_assessment(text, ASSESSMENT_WORDS) is None


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["", "%", "％", " %"]), st.sampled_from(["", "≥", "≤", "＞"]),
       st.one_of(st.none(), st.integers(min_value=1990, max_value=2060)),
       st.sampled_from(["现状值（{}年）", "{}年完成值", "{}年度指标完成情况", "基准值({})"]))
def test_parse_measured_round_trip(amount, percent, sign, year, header):
    raw = f"{sign}{amount}{percent}"
    dated_by = header.format(year) if year is not None else "现状值"
    measured = parse_measured(raw, dated_by)
    assert measured is not None and measured.raw == raw
    assert measured.value is not None and math.isclose(measured.value, float(amount))
    assert measured.year == year


@given(st.decimals(min_value=0, max_value=1000, places=1, allow_nan=False, allow_infinity=False),
       st.integers(min_value=1990, max_value=2060), st.integers(min_value=1990, max_value=2060),
       st.sampled_from(["{v}（{y}年）", "{y}年：{v}", "{v}({y}年)", "{y}年{v}"]))
def test_a_year_in_the_cell_beats_the_header_year(amount, cell_year, header_year, form):
    measured = parse_measured(form.format(v=amount, y=cell_year), f"现状值（{header_year}年）")
    assert measured is not None and measured.year == cell_year
    assert measured.value is not None and math.isclose(measured.value, float(amount))


@given(st.sampled_from(["≥", "≤", ">", "<", ""]), st.decimals(min_value=0, max_value=1000, places=1, allow_nan=False,
       allow_infinity=False), st.sampled_from(["%", "‰"]), st.sampled_from(["\n", " ", "\n\n", "　"]),
       st.sampled_from(["", "的地区≥2", "（2025年）"]))
def test_a_wrap_between_a_number_and_its_percent_sign_changes_nothing(op, number, sign, wrap, rest):
    """OCR lines and narrow cells split "≤60\\n%": the target reads as if it were one line."""
    whole, wrapped = f"{op}{number}{sign}{rest}", f"{op}{number}{wrap}{sign}{rest}"
    assert [(t.scope, t.op, t.value, t.text) for t in split_scoped_targets(wrapped)] == \
        [(t.scope, t.op, t.value, t.text) for t in split_scoped_targets(whole)]
    assert split_target_items(f"{wrapped}\n{wrapped}", 2) == split_target_items(f"{whole}\n{whole}", 2)
