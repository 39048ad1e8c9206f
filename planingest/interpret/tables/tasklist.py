"""Key-task lists (重点工作任务清单) → raw task rows."""
from __future__ import annotations

import re

from planingest.core.records import RawTask
from planingest.interpret.tables.cells import join_wrapped, squash
from planingest.interpret.tables.layout import RecognisedTable

#: roles of a column that groups the tasks below it (重点领域, 类别: a cell merged down over its tasks)
_GROUP_ROLES = ("domain", "category")


def task_rows(table: RecognisedTable) -> list[RawTask]:
    """One task per row with content; its section is the nearest heading: the group cell it sits
    in (merged down, or left empty in text), else the last group row or the table's caption."""
    out: list[RawTask] = []
    section = re.sub(r"\s+", " ", table.caption or "").strip() or None
    group: str | None = None
    for row in table.rows:
        if row.spanning and not row.get("seq"):
            section, group = squash(row.spanning), None
            continue
        label = next((squash(row.get(r)) for r in _GROUP_ROLES if row.get(r).strip()), None)
        group = label or group
        content = join_wrapped(row.get("content")) or join_wrapped(row.get("task_name"))
        if not content:
            continue
        out.append(RawTask(
            content=content, locator=row.locator, seq=squash(row.get("seq")) or None, section=group or section,
            title=join_wrapped(row.get("task_name")).replace("\n", "") or None,
            departments_raw=row.get("departments") or None, deadline_raw=squash(row.get("deadline")) or None,
        ))
    return out
