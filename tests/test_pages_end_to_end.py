"""Saved notice pages (written in the style of county sites) through the whole pipeline: document facts."""
from __future__ import annotations

import pytest

from planingest.core.enums import DocType, ReviewKind, Status
from tests.seedrun import run_path

SITE_NOTICE = """首页 > 政务公开 > 政策文件
索 引 号: | 11330683002585196F/2023-75840 | 主题分类: | 环境监测、保护与治理 |
发布机构: | 生态环境分局 | 公开日期: | 2023-05-29 16:56:51 |
有效性: | 有效 | 发文字号 | 嵊美办〔2023〕3号 |
市委市政府美丽嵊州建设领导小组办公室关于印发2023年嵊州市国家生态文明建设示范区创建工作推进方案的通知 | ||||||
各乡镇(街道)、部门(单位):
根据《浙江省生态文明建设示范区管理规程》《国家生态文明建设示范区建设指标(修订版)》(环办生态函〔2021〕353号)文件要求，现将《2023年嵊州市国家生态文明建设示范区创建工作推进方案》印发给你们，请结合实际，认真组织实施。
市委市政府美丽嵊州建设领导小组办公室 2023年3月30日
2023年嵊州市国家生态文明建设示范区创建工作推进方案
一、工作目标
全面完成我市2023年国家生态文明建设示范区各项建设指标任务，加快浙江山区高质量发展。
二、重点任务
三、保障措施
"""

TRADITIONAL = """盧氏縣2022年生態文明建設示範縣創建工作要點
為加快推進國家生態文明建設示範縣創建工作，根據《河南省生態文明建設示範區管理規程》，特制定本要點。
一、工作目標
二、重點任務
（一）推進農村黑臭水體治理。完成3處水體治理。（責任單位：縣生態環境分局、縣農業農村局）
三、指標任務
| 序號 | 指標名稱 | 單位 | 目標值 | 責任單位 |
| 1 | 集中式飲用水水源地水質優良比例 | % | 100 | 縣生態環境分局 |
| 2 | 單位地區生產總值能耗 | 噸標準煤/萬元 | 完成上級下達任務 | 縣發展和改革委員會 |
盧氏縣生態環境保護委員會辦公室
二〇二二年三月五日
"""

SPONGE = """首页 > 通知公告
发布时间：2023-06-01 09:30
关于开展2023年海绵城市建设示范区申报工作的通知
各区住房和城乡建设局：
为推进海绵城市建设，现就2023年海绵城市建设示范区申报工作通知如下。
一、申报条件
二、申报材料
住房和城乡建设管理委员会
2023年6月1日
"""


def run_text(tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return run_path(path)


def test_site_notice_with_metadata_block(tmp_path):
    result = run_text(tmp_path, "site", SITE_NOTICE)
    doc = result.document
    assert doc.title == "市委市政府美丽嵊州建设领导小组办公室关于印发2023年嵊州市国家生态文明建设示范区创建工作推进方案的通知"
    assert (doc.doc_number, doc.issue_date, doc.plan_year) == ("嵊美办〔2023〕3号", "2023-03-30", 2023)
    assert (doc.region, doc.admin_code, doc.province) == ("嵊州市", "330683", "浙江省")
    assert doc.catalogue_version == "2021" and doc.doc_type == DocType.ANNUAL_PLAN
    assert not [item for item in result.review if item.kind == ReviewKind.REGION]


def test_traditional_page_keeps_its_text_and_matches_its_rows(tmp_path):
    result = run_text(tmp_path, "trad", TRADITIONAL)
    doc = result.document
    assert doc.title == "盧氏縣2022年生態文明建設示範縣創建工作要點"  # as written
    assert (doc.region, doc.admin_code, doc.plan_year, doc.issue_date) == ("卢氏县", "411224", 2022, "2022-03-05")
    assert doc.doc_type == DocType.ANNUAL_PLAN
    rows = {r.name_raw: r for r in result.indicators}
    assert set(rows) == {"集中式飲用水水源地水質優良比例", "單位地區生產總值能耗"}  # name_raw as written
    assert rows["集中式飲用水水源地水質優良比例"].indicator_id == "I28"
    assert rows["單位地區生產總值能耗"].departments == ("发展和改革局",)
    (task,) = result.tasks
    assert task.departments_raw == "縣生態環境分局、縣農業農村局"  # as written, matched folded
    assert set(task.departments) == {"生态环境局", "农业农村局"}


@pytest.mark.parametrize("text", [SPONGE])
def test_unrelated_page_is_empty_with_no_region_review(tmp_path, text):
    result = run_text(tmp_path, "sponge", text)
    doc = result.document
    assert (doc.doc_type, doc.status) == (DocType.UNRELATED, Status.EMPTY)
    assert "not about ecological-civilisation demonstration zones" in doc.error
    assert not result.review and not result.tasks
