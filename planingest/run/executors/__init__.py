"""Where the read stage runs: the interface the batch calls, and how to pick one by name.

The batch (:mod:`planingest.run.batch`) decides *what* to read (the documents
the cache cannot answer) and does everything else in its own process:
normalising, caching, the run log, writing the tables under the output lock.
An executor only turns :class:`ReadJob` s into :class:`ReadOutcome` s, yielding
each as soon as it is done so the batch can cache it at once:

- :class:`~planingest.run.executors.local.LocalExecutor` (the default): isolated
  reader processes on this machine (:class:`planingest.run.pool.ReaderPool`);
- :class:`~planingest.run.executors.ray_executor.RayExecutor`: one Ray task per document
  on a cluster, each reading its document in the same kind of isolated process
  with the same limits (needs the optional ``ray`` extra).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from planingest.run.worker import ReadJob, ReadOutcome, WorkerConfig

EXECUTORS = ("local", "ray")


class ReadExecutor(Protocol):
    """Reads documents somewhere; outcomes come back in the order they finish.

    An executor that can report OCR progress has an ``on_page`` attribute
    (:data:`planingest.run.pool.PageProgress`), which the batch sets before ``map``.
    """

    def map(self, jobs: Sequence[ReadJob], config: WorkerConfig) -> Iterator[ReadOutcome]: ...


def make_executor(name: str, *, workers: int | None = None, address: str | None = None) -> ReadExecutor:
    """The executor called ``name`` ("local" or "ray"); raises UsageError when it cannot be had."""
    from planingest.core.errors import UsageError
    from planingest.core.i18n import _

    if name == "local":
        from planingest.run.executors.local import LocalExecutor

        if address is not None:
            raise UsageError(_("--ray-address is only for --executor ray"))
        return LocalExecutor(workers)
    if name == "ray":
        from planingest.run.executors.ray_executor import RayExecutor

        return RayExecutor(address=address, num_cpus=workers)
    raise UsageError(_("unknown executor {name} (choose one of: {choices})").format(
        name=repr(name), choices=", ".join(EXECUTORS)))
