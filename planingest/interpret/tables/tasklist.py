"""Key-task lists (重点工作任务清单) → raw task rows."""
from __future__ import annotations

import re

from planingest.core.records import RawTask
from planingest.interpret.tables.cells import join_wrapped, squash
from planingest.interpret.tables.layout import RecognisedTable


def task_rows(table: RecognisedTable) -> list[RawTask]:
    out: list[RawTask] = []
    section = re.sub(r"\s+", " ", table.caption or "").strip() or None
    for row in table.rows:
        if row.spanning and not row.get("seq"):
            section = squash(row.spanning)
            continue
        content = join_wrapped(row.get("content")) or join_wrapped(row.get("task_name"))
        if not content:
            continue
        out.append(RawTask(
            content=content, locator=row.locator, seq=squash(row.get("seq")) or None, section=section,
            title=join_wrapped(row.get("task_name")).replace("\n", "") or None,
            departments_raw=row.get("departments") or None, deadline_raw=squash(row.get("deadline")) or None,
        ))
    return out
