"""The default executor: isolated reader processes on this machine."""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

from planingest.run.pool import PageProgress, ReaderPool
from planingest.run.worker import ReadJob, ReadOutcome, WorkerConfig


class LocalExecutor:
    """Up to ``workers`` reader processes (default: one per CPU), never more than there are jobs, unless
    pages are shared: then slots without a document help with long scans (run/pageshare.py)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.on_page: PageProgress | None = None  # the batch sets it: OCR pages done, as workers report them

    def map(self, jobs: Sequence[ReadJob], config: WorkerConfig) -> Iterator[ReadOutcome]:
        if not jobs:
            return iter(())
        size = self.workers if config.page_store else min(self.workers, len(jobs))  # the pool starts workers lazily
        return ReaderPool(size, config, self.on_page).map(jobs)
