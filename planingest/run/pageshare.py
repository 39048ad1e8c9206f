"""Sharing one long scan's pages across idle workers (the parent's side; issue 14).

A batch with fewer documents than workers would leave cores idle while one worker
OCRs a 40-page scan for minutes.  So when a reader reports the numbers of the
pages it will OCR (the worker's ``("plan", numbers)`` message) and slots are idle
with no document waiting, :class:`planingest.run.pool.ReaderPool` sends idle workers
*page jobs* (:class:`~planingest.run.worker.PageJob`) for the document's tail: the
last page first, then the one before, while the reader goes 1, 2, …; they meet in
the middle.  A helper OCRs its page with the readers' own code
(:func:`planingest.run.ocrpages.page_words`) and leaves the words in the run's page
store (:mod:`planingest.run.pagestore`); the reader looks every page up there before
OCR'ing it (``ingest.progress.shared_page``) and lays a stored page out exactly as
its own, so the rows are the same as without sharing.

Rules that keep it cheap and safe:

- a page is handed out only beyond the reader's next page (the reader says which
  page it has reached, ``("reach", k)``); when the reader nevertheless reaches a
  page a helper is still OCR'ing, it reads the page itself rather than wait: at
  most one page per helper is read twice, and a hung or slow helper never slows
  the document down;
- a page job that fails, crashes or times out costs only itself: its page is not
  stored, and the reader OCRs it as if no one had helped;
- when the document is done (or failed), its outstanding page jobs are cancelled
  (their workers killed, replaced when needed) and its pages removed from the store;
- helpers are ordinary workers: the same memory limit, recycling and time limit.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from planingest.run import pagestore
from planingest.run.worker import PageJob, ReadJob, ReadOutcome

#: a document is shared only with at least this many OCR pages (a helper's start-up costs about a page)
MIN_SHARED_PAGES = 3
#: pages just after the reader's position stay the reader's: a helper starting one now would still be
#: busy with it when the reader gets there
READER_LEAD = 1


@dataclass
class _Shared:
    job: ReadJob
    left: list[int]  # pages not handed out yet, ascending (handed out from the end)
    total: int
    reached: int = 0  # the page the reader is at (it reads pages in ascending order)
    done: int = 0  # pages the reader reported done
    stored: set[int] = field(default_factory=set)  # pages helpers stored
    shown: int = 0  # the progress last reported


class PageSharing:
    """Which pages of which documents helpers may take, and what became of them (one per ``ReaderPool.map``)."""

    def __init__(self, store: str, on_page: Callable[[ReadJob, int, int], None] | None = None,
                 log_path: str | None = None) -> None:
        self.store, self.on_page, self.log_path = store, on_page, log_path
        self.docs: dict[str, _Shared] = {}
        #: page jobs sent, stored, failed (tests and the bench read these)
        self.sent = self.stored = self.failed = 0
        pagestore.clear(store)  # scratch of a run that was killed

    def message(self, job: ReadJob, message: tuple) -> None:
        """A reader's "plan" or "reach" message (see :mod:`planingest.run.worker`)."""
        if message[0] == "plan":
            numbers = sorted({int(n) for n in message[1]})
            if len(numbers) >= MIN_SHARED_PAGES and job.doc_id not in self.docs:
                pagestore.open_document(self.store, job.doc_id)
                self.docs[job.doc_id] = _Shared(job, numbers, len(numbers))
        elif message[0] == "reach":
            doc = self.docs.get(job.doc_id)
            if doc is not None:
                doc.reached = max(doc.reached, int(message[1]))

    def next_job(self) -> PageJob | None:
        """The last page not yet handed out of the document with most pages left beyond its reader; None: none."""
        best: _Shared | None = None
        for doc in self.docs.values():
            doc.left = [n for n in doc.left if n > doc.reached + READER_LEAD]
            if doc.left and (best is None or len(doc.left) > len(best.left)):
                best = doc
        if best is None:
            return None
        self.sent += 1
        return PageJob(best.job.doc_id, best.job.path, best.left.pop())

    def page_done(self, outcome: ReadOutcome) -> None:
        """A page job came back: stored (its page counts as done ahead of the reader) or failed (the reader reads it)."""
        job = outcome.job
        if outcome.read.error is not None or not isinstance(job, PageJob):
            self.failed += 1
            return
        self.stored += 1
        doc = self.docs.get(job.doc_id)
        if doc is not None:
            doc.stored.add(job.page)
            self._show(doc)

    def progress(self, job: ReadJob, done: int, total: int) -> None:
        """The reader's "page" message: pages done = the reader's plus those helpers stored ahead of it."""
        doc = self.docs.get(job.doc_id)
        if doc is None:
            if self.on_page is not None:
                self.on_page(job, done, total)
            return
        doc.done, doc.total = done, max(doc.total, total)
        self._show(doc)

    def _show(self, doc: _Shared) -> None:
        ahead = sum(1 for n in doc.stored if n > doc.reached)
        count = min(doc.done + ahead, doc.total)
        if count > doc.shown and self.on_page is not None:
            doc.shown = count
            self.on_page(doc.job, count, doc.total)

    def document_done(self, doc_id: str) -> None:
        """The reader finished (or failed): its pages leave the store, and the log says how much helpers did."""
        doc = self.docs.pop(doc_id, None)
        if doc is None:
            return
        pagestore.close_document(self.store, doc_id)
        if self.log_path:
            line = (f"page sharing: {doc.job.path}: {len(doc.stored)} of {doc.total} OCR pages read by helpers "
                    f"(pages {_ranges(sorted(doc.stored))})\n")
            try:
                with open(self.log_path, "a", encoding="utf-8") as fh:
                    fh.write(line)
            except OSError:
                pass

    def close(self) -> None:
        self.docs.clear()
        pagestore.clear(self.store)


def _ranges(pages: list[int]) -> str:
    """[3, 4, 5, 9] -> "3-5, 9"; "none" for none."""
    runs: list[list[int]] = []
    for page in pages:
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs) or "none"
