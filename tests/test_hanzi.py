"""Traditional characters folded to simplified for matching (core/hanzi.py)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planingest.core.hanzi import has_traditional, to_simplified


@pytest.mark.parametrize("written,folded", [
    ("國家生態文明建設示範縣創建工作方案", "国家生态文明建设示范县创建工作方案"),
    ("盧氏縣人民政府辦公室", "卢氏县人民政府办公室"),
    ("發文字號：盧政辦〔2021〕8號", "发文字号：卢政办〔2021〕8号"),
    ("臺州市", "台州市"),
    ("乾縣", "乾县"),  # a phrase of OpenCC's table: 乾 stays in the place name
    ("於都縣", "于都县"),
    ("2023年靖州縣生態文明建設", "2023年靖州县生态文明建设"),  # mixed: digits and simplified characters kept
])
def test_traditional_text_is_folded(written, folded):
    assert to_simplified(written) == folded


@pytest.mark.parametrize("text", ["乾县生态文明建设", "乾安县", "著名景区", "2023年靖州县", "", "abc 123"])
def test_simplified_text_is_left_as_it_is(text):
    """乾 is simplified too: a simplified line is never converted (t2s alone would write 干县)."""
    assert to_simplified(text) == text and not has_traditional(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_fold_keeps_length_and_line_breaks(text):
    folded = to_simplified(text)
    assert len(folded) == len(text)
    assert [i for i, c in enumerate(folded) if c in "\n\r"] == [i for i, c in enumerate(text) if c in "\n\r"]
    assert to_simplified(folded) == to_simplified(folded)  # deterministic


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=40))
def test_fold_is_idempotent(text):
    once = to_simplified(text)
    assert to_simplified(once) == once
