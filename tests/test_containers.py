"""Archives and e-mail in a batch: one row per container, a document per member, hostile containers refused."""
from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from planingest.run.batch import run_batch
from tests import fakereaders
from tests.test_archive import _gbk_named, _zip
from tests.test_batch import last_run, write

pytestmark = pytest.mark.slow  # batch runs with worker processes

GOOD = "2023年靖州县生态文明建设示范区\nIND 生态文明建设规划\n"
OTHER = "鹿寨县工作方案\nIND 党委政府对生态文明建设重大目标任务部署情况\n"


@pytest.fixture
def fakes(monkeypatch):
    fakereaders.install(monkeypatch)


def run(inputs, out, **kw):
    kw.setdefault("workers", 2)
    kw.setdefault("reader", fakereaders.reader_spec())
    return run_batch([str(p) for p in inputs], out, **kw)


def documents(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "documents.parquet").set_index("source_path")


def _bundle(docs: Path) -> Path:
    """A zip as Chinese Windows writes it (GBK names), a nested zip, and the debris of Mac and Office."""
    inner = _zip([("表1.txt", OTHER.encode())])
    outer = _zip([("附件/计划.txt", GOOD.encode()), ("材料.zip", inner), ("__MACOSX/附件/._计划.txt", b"\0\5\26\7"),
                  ("Thumbs.db", b"x"), ("desktop.ini", b"x"), ("附件/~$计划.txt", b"x")])
    path = docs / "bundle.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(outer)
    return path


def test_members_are_documents_with_their_parent_and_archive_paths(fakes, tmp_path):
    docs, out = tmp_path / "docs", tmp_path / "out"
    bundle = _bundle(docs)
    summary = run([docs], out)
    rows = documents(out)
    top, nested = f"{bundle}", f"{bundle}!/材料.zip"
    assert sorted(rows.index) == sorted([top, f"{bundle}!/附件/计划.txt", nested, f"{nested}!/表1.txt"])
    assert rows.loc[top, ["file_format", "status"]].tolist() == ["zip", "ok"] and pd.isna(rows.loc[top, "parent_id"])
    assert rows.loc[f"{bundle}!/附件/计划.txt", "parent_id"] == rows.loc[top, "doc_id"]
    assert rows.loc[nested, ["file_format", "parent_id"]].tolist() == ["zip", rows.loc[top, "doc_id"]]
    assert rows.loc[f"{nested}!/表1.txt", "parent_id"] == rows.loc[nested, "doc_id"]  # nested archives nest
    assert rows.loc[f"{bundle}!/附件/计划.txt", "title"] == "2023年靖州县生态文明建设示范区"
    assert summary.exit_code == 0 and summary.by_status["ok"] == 4
    assert not (out / ".state" / "members").exists()  # scratch removed after the run


def test_gbk_member_names_without_the_utf8_flag(fakes, tmp_path):
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "win.zip").write_bytes(_gbk_named("附件1：生态文明建设指标.txt", GOOD.encode()))
    run([docs], out)
    assert f"{docs}/win.zip!/附件1：生态文明建设指标.txt" in documents(out).index


def test_a_member_identical_to_a_loose_file_is_one_document_under_the_loose_path(fakes, tmp_path):
    docs, out = tmp_path / "docs", tmp_path / "out"
    bundle = _bundle(docs)
    loose = write(docs / "loose" / "计划.txt", GOOD.rstrip("\n"))
    run([docs], out)
    rows = documents(out)
    assert str(loose) in rows.index and f"{bundle}!/附件/计划.txt" not in rows.index
    assert pd.isna(rows.loc[str(loose), "parent_id"]) and rows.loc[str(bundle), "status"] == "ok"
    assert rows.doc_id.is_unique


def test_a_rerun_reads_nothing_and_a_lost_member_cache_opens_the_archive_again(fakes, tmp_path):
    docs, out = tmp_path / "docs", tmp_path / "out"
    bundle = _bundle(docs)
    first = run([docs], out)
    assert first.read == 4
    again = run([docs], out)
    assert again.read == 0 and again.cached == 4
    assert not any(e["read"] for e in last_run(out).values())
    member = documents(out).loc[f"{bundle}!/材料.zip!/表1.txt", "doc_id"]
    for kind in ("read", "norm"):
        (out / ".state" / kind / f"{member}.json").unlink()
    third = run([docs], out)
    assert third.read == 1 and {p for p, e in last_run(out).items() if e["read"]} == {f"{bundle}!/材料.zip!/表1.txt"}
    assert documents(out).loc[f"{bundle}!/材料.zip!/表1.txt", "status"] == "ok"


def test_a_member_that_hangs_or_crashes_fails_alone_and_the_archive_is_partial(fakes, tmp_path):
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "mixed.zip").write_bytes(_zip([("hang.txt", b"HANG\n"), ("crash.txt", b"CRASH\n"), ("good.txt", GOOD.encode())]))
    summary = run([docs], out, timeout_s=3)
    rows = documents(out)
    zip_row = rows.loc[f"{docs}/mixed.zip"]
    assert zip_row.status == "partial" and "2 of 3 members not read" in zip_row.error
    assert "hang.txt (failed: timed out after 3 s" in zip_row.error and "crash.txt (failed: reader crashed" in zip_row.error
    assert rows.loc[f"{docs}/mixed.zip!/good.txt", "status"] == "ok"
    assert summary.exit_code == 1


def _many_members(n: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for i in range(n):
            zf.writestr(zipfile.ZipInfo(f"{i}.txt"), b"")
    return buffer.getvalue()


def _seven_zip(entries) -> bytes:
    import libarchive

    chunks: list[bytes] = []
    with libarchive.custom_writer(lambda b: chunks.append(bytes(b)) or len(b), "7zip") as archive:
        for name, data in entries:
            archive.add_file_from_memory(name, len(data), data)
    return b"".join(chunks)


def test_hostile_containers_are_refused_with_the_cause_and_the_batch_goes_on(fakes, tmp_path):
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    write(docs / "plan.txt", *GOOD.splitlines())
    (docs / "bomb.zip").write_bytes(_zip([("bomb.txt", bytes(64 * 1024 * 1024)), ("ok.txt", OTHER.encode())]))
    (docs / "many.zip").write_bytes(_many_members(100_000))
    (docs / "escape.zip").write_bytes(_zip([("../../x.txt", GOOD.encode()), ("/etc/passwd.txt", b"x"),
                                            ("ok.txt", GOOD.encode())]))
    (docs / "bomb.7z").write_bytes(_seven_zip([("zeros.txt", bytes(64 * 1024 * 1024)), ("after.txt", b"x")]))
    (docs / "broken.zip").write_bytes(_zip([("a.txt", GOOD.encode())])[:-30])
    (docs / "broken.rar").write_bytes(b"Rar!\x1a\x07\x00" + bytes(64))
    summary = run([docs], out)
    rows = documents(out)
    status = rows.status.to_dict()
    error = rows.error.to_dict()
    assert status[f"{docs}/plan.txt"] == "ok"
    assert status[f"{docs}/bomb.zip"] == "partial" and "compression ratio over 200:1" in error[f"{docs}/bomb.zip"]
    assert status[f"{docs}/bomb.zip!/ok.txt"] == "ok"
    assert status[f"{docs}/many.zip"] == "failed" and "more than 5000 members" in error[f"{docs}/many.zip"]
    assert status[f"{docs}/escape.zip"] == "partial" and "unsafe path" in error[f"{docs}/escape.zip"]
    assert not any(".." in p or p.endswith("!//etc/passwd.txt") for p in rows.index)
    assert status[f"{docs}/bomb.7z"] == "partial" and "compression ratio" in error[f"{docs}/bomb.7z"]
    assert status[f"{docs}/broken.zip"] == "failed" and "corrupt zip archive" in error[f"{docs}/broken.zip"]
    assert status[f"{docs}/broken.rar"] == "failed" and "corrupt rar archive" in error[f"{docs}/broken.rar"]
    assert summary.exit_code == 1 and not list(tmp_path.rglob("x.txt"))


def test_an_email_is_a_container_of_its_body_and_attachments(tmp_path, monkeypatch):
    fakereaders.install(monkeypatch, reader=None)  # the real readers: the body is text, the attachment too
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    sample = Path(__file__).resolve().parent.parent / "samples" / "email" / "changde-forward.eml"
    shutil.copy(sample, docs / "转发.eml")
    run([docs], out, reader=None)
    rows = documents(out)
    mail = f"{docs}/转发.eml"
    assert rows.loc[mail, ["file_format", "status", "title"]].tolist() == [
        "eml", "ok", "转发：常德市创建国家生态文明建设示范市指标体系"]
    members = {p.removeprefix(mail + "!/") for p in rows.index if p.startswith(mail + "!/")}
    assert members == {"body.txt", "常德市指标表.xlsx", "鹿寨县工作方案.docx"}  # RFC 2231 GBK and RFC 2047 names
    assert set(rows.loc[[mail + "!/" + m for m in members], "parent_id"]) == {rows.loc[mail, "doc_id"]}


def test_an_outlook_message_is_a_container_whatever_its_name_and_a_hostile_one_fails_alone(tmp_path, monkeypatch):
    fakereaders.install(monkeypatch, reader=None)  # the real readers: the body is text, the attachments docx and text
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    data = (Path(__file__).resolve().parent.parent / "samples" / "email" / "luzhai-notice.msg").read_bytes()
    (docs / "MAIL.doc").write_bytes(data)  # a .msg named .doc: detected by its content
    (docs / "truncated.msg").write_bytes(data[:30000])
    write(docs / "plan.txt", *GOOD.splitlines())
    summary = run([docs], out, reader=None)
    rows = documents(out)
    mail, nested = f"{docs}/MAIL.doc", f"{docs}/MAIL.doc!/柳州市关于开展复核工作的通知.msg"
    assert rows.loc[mail, ["file_format", "status", "title"]].tolist() == [
        "msg", "ok", "关于印发鹿寨县国家生态文明建设示范县工作方案的通知"]
    members = {p.removeprefix(mail + "!/") for p in rows.index if p.startswith(mail + "!/")}
    assert members == {"body.txt", "鹿寨县工作方案.docx", "鹿寨县指标任务分解表.txt", "柳州市关于开展复核工作的通知.msg",
                       "柳州市关于开展复核工作的通知.msg!/body.txt", "柳州市关于开展复核工作的通知.msg!/复核指标自查表.txt"}
    top = rows.loc[mail, "doc_id"]
    assert set(rows.loc[[f"{mail}!/body.txt", f"{mail}!/鹿寨县工作方案.docx", nested], "parent_id"]) == {top}
    assert rows.loc[f"{nested}!/复核指标自查表.txt", "parent_id"] == rows.loc[nested, "doc_id"]
    assert rows.loc[f"{mail}!/鹿寨县工作方案.docx", ["file_format", "status"]].tolist() == ["docx", "ok"]
    assert rows.loc[f"{mail}!/body.txt", "file_format"] == "txt"  # the notice, read as text (its bytes: test_outlook)
    broken = rows.loc[f"{docs}/truncated.msg"]
    assert broken.file_format == "msg" and broken.status == "failed"
    assert broken.error.startswith("damaged Outlook message: the compound file cannot be opened")
    assert rows.loc[f"{docs}/plan.txt", "status"] == "empty" and summary.exit_code == 1  # read: the batch went on
