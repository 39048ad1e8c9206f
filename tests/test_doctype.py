"""documents.doc_type: what kind of document a file is, from its title, headings and content."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planingest.catalogue.docwords import load_doc_type_words, load_metadata_labels
from planingest.core.enums import DocType, ReviewKind, Status
from planingest.core.errors import CatalogueError
from planingest.core.records import Interpretation, Locator, RawMetadata, RawTask
from planingest.interpret.doctype import classify
from planingest.normalize.document import UNRELATED_ERROR, normalise_interpretation

TOPIC = "为加快推进国家生态文明建设示范县创建工作，结合我县实际，制定本方案。"
PLAN_BODY = "\n".join([TOPIC, "一、指导思想", "……", "二、工作目标", "……", "三、主要任务", "……", "四、保障措施"])


@pytest.mark.parametrize("title,text,n_rows,expected", [
    ("卢氏县生态文明建设示范县规划（2021—2030年）", PLAN_BODY, 0, DocType.PLAN),
    ("卢氏县创建国家生态文明建设示范县实施方案", PLAN_BODY, 0, DocType.WORK_PLAN),
    ("卢氏县创建国家生态文明建设示范县实施方案（2021—2025年）", PLAN_BODY, 0, DocType.WORK_PLAN),
    ("卢氏县2022年生态文明建设示范县创建工作方案", PLAN_BODY, 0, DocType.ANNUAL_PLAN),  # one year's work
    ("2023年靖州县生态文明建设示范区创建工作计划", PLAN_BODY, 12, DocType.ANNUAL_PLAN),
    ("卢氏县2022年生态文明建设工作要点", PLAN_BODY, 0, DocType.ANNUAL_PLAN),
    ("卢氏县2021年国家生态文明建设示范县创建工作总结及2022年工作计划", PLAN_BODY, 0, DocType.ANNUAL_PLAN),
    ("卢氏县2021年国家生态文明建设示范县创建工作总结", TOPIC, 0, DocType.SUMMARY),
    ("关于卢氏县生态文明建设示范县创建工作进展情况的报告", TOPIC, 0, DocType.SUMMARY),
    ("卢氏县国家生态文明建设示范县创建自查报告", TOPIC, 30, DocType.SELF_ASSESSMENT),
    ("卢氏县国家生态文明建设示范县技术评估报告", TOPIC, 0, DocType.SELF_ASSESSMENT),
    # a covering notice: the issued plan's type when the plan is in the file, else a notice
    ("关于印发《卢氏县2022年生态文明建设示范县创建工作方案》的通知", PLAN_BODY, 20, DocType.ANNUAL_PLAN),
    ("关于印发《卢氏县创建国家生态文明建设示范县实施方案》的通知", PLAN_BODY, 0, DocType.WORK_PLAN),
    ("关于印发《卢氏县2022年生态文明建设示范县创建工作方案》的通知", TOPIC, 0, DocType.NOTICE),
    ("关于卢氏县创建国家生态文明建设示范县的公示", TOPIC, 0, DocType.NOTICE),
    ("关于转发《河南省生态环境厅关于开展生态文明建设示范区创建的通知》的通知", PLAN_BODY, 0, DocType.NOTICE),
    ("《卢氏县创建国家生态文明建设示范县实施方案》政策解读", PLAN_BODY, 0, DocType.NOTICE),
    ("关于开展生态文明建设示范区创建工作的通知", PLAN_BODY, 0, DocType.NOTICE),
    ("关于开展生态文明建设示范区创建工作的通知", PLAN_BODY, 15, DocType.WORK_PLAN),  # its own task table
    # traditional
    ("盧氏縣創建國家生態文明建設示範縣自查報告", "為加快推進國家生態文明建設示範縣創建工作", 0, DocType.SELF_ASSESSMENT),
    # no title: the headings decide
    (None, "\n".join([TOPIC, "年度重点推进工作任务", "全面完成我县2023年国家生态文明建设示范区各项建设指标任务。",
                      "2023年度重点工作任务"]), 28, DocType.ANNUAL_PLAN),
    (None, "\n".join([TOPIC, "一、工作目标", "二、主要任务", "三、保障措施"]), 0, DocType.WORK_PLAN),
    (None, "\n".join([TOPIC, "一、主要成效", "二、存在的问题", "三、下一步打算", "现将有关情况汇报如下"]), 0, DocType.SUMMARY),
    (None, TOPIC, 0, DocType.UNKNOWN),
    (None, "", 0, DocType.UNKNOWN),
])
def test_doc_type(title, text, n_rows, expected):
    assert classify(title, text, n_rows=n_rows) == expected


@pytest.mark.parametrize("title,text", [
    ("关于开展2023年海绵城市建设示范区申报工作的通知", "为推进海绵城市建设，现就2023年海绵城市建设示范区申报工作通知如下。一、申报条件"),
    ("江山市暑期旅游线路发布", "江山市文旅局发布暑期旅游线路，浙江山区风光吸引游客。江山市文化和广电旅游体育局"),
    ("县委书记调研农业产业园建设", "近日，县委书记深入农业产业园调研，强调要推进乡村振兴，建设美丽乡村，加快生态农业发展。"),
    ("關於開展2023年海綿城市建設示範區申報工作的通知", "為推進海綿城市建設，現就申報工作通知如下。"),
    ("某湖生态文明先行示范区建设绩效评估工作自查报告",  # another programme (先行示范区)
     "现将我市生态文明先行示范区建设工作自查情况总结如下。统计部门完善生态文明建设指标统计体系。"),
])
def test_pages_about_something_else_are_unrelated(title, text):
    assert classify(title, text) == DocType.UNRELATED


def test_catalogue_indicators_make_a_file_related_without_topic_words():
    assert classify("指标任务分解表", "森林覆盖率 单位GDP能耗", n_rows=30, n_catalogue_indicators=20) != DocType.UNRELATED


def _interp(title: str, prose: str, tasks=()) -> Interpretation:
    return Interpretation(RawMetadata(title=title), (), (), tuple(tasks), (), prose)


def test_unrelated_file_is_empty_with_an_error_and_no_review():
    task = RawTask(content="各区县推进海绵城市申报", locator=Locator(line=3), title="申报", departments_raw="住建局")
    result = normalise_interpretation("d1", "sponge.txt", "txt", None, _interp(
        "关于开展2023年海绵城市建设示范区申报工作的通知", "为推进海绵城市建设，现就申报工作通知如下。某某区……", [task]))
    doc = result.document
    assert (doc.doc_type, doc.status, doc.error) == (DocType.UNRELATED, Status.EMPTY, UNRELATED_ERROR)
    assert not result.tasks and doc.n_tasks == 0
    assert not [item for item in result.review if item.kind == ReviewKind.REGION]
    assert not result.review


def test_related_file_without_region_still_asks_for_review():
    result = normalise_interpretation("d2", "plan.txt", "txt", None, _interp(
        "××县创建国家生态文明建设示范县工作方案", TOPIC))
    assert result.document.doc_type == DocType.WORK_PLAN
    assert [item.kind for item in result.review] == [ReviewKind.REGION]


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=40)), st.text(max_size=200), st.integers(0, 50))
def test_classify_never_fails_and_answers_a_member(title, text, n_rows):
    assert classify(title, text, n_rows=n_rows) in set(DocType)


def test_vocabularies_load_and_reject_bad_rows(tmp_path):
    words = load_doc_type_words()
    assert words.topic and words.title and words.body
    assert load_metadata_labels().by_label["发文字号"] == "doc_number"
    (tmp_path / "doc_types.csv").write_text("doc_type,where,word\nmemo,title,备忘录\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"doc_types.csv:2: doc_type 'memo' is not one of"):
        load_doc_type_words(str(tmp_path))
    (tmp_path / "metadata_labels.csv").write_text("field,label\ndate,日期\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"metadata_labels.csv:2: field 'date' is not one of"):
        load_metadata_labels(str(tmp_path))
