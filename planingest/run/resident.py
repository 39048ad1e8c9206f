"""Resident memory of a worker and the programs it started, read from outside (``/proc``).

The batch's ``--memory-mb`` limits what a reader really holds in memory, not the
address space it reserves: OCR runtimes (OpenVINO) reserve gigabytes of address
space they never touch, so an address-space limit (``RLIMIT_AS``) low enough to
matter would refuse them.  The parent therefore reads each busy worker's resident
set size every :data:`CHECK_S` seconds and kills a worker over the limit
(:mod:`planingest.run.pool`).  The sum runs over the worker's descendants and their
process groups, so a converter it started (LibreOffice and its children) counts too.

The worker keeps a looser address-space limit (:func:`address_space_mb`) as a
backstop: a pure-Python parser allocating gigabytes in a fraction of a second
(a decompression bomb) raises ``MemoryError`` there before the next check.
"""
from __future__ import annotations

import os

#: how often the parent reads a busy worker's resident memory (seconds)
CHECK_S = 0.5
#: address space a worker may reserve beyond its resident limit: OpenVINO reserves 2.1–2.4 GB
#: it never touches (measured on the OCR samples), ONNX Runtime and LibreOffice's libraries less
ADDRESS_SPACE_ALLOWANCE_MB = 3072


def address_space_mb(memory_mb: int) -> int:
    """The worker's address-space backstop for a resident limit of ``memory_mb``."""
    return memory_mb + ADDRESS_SPACE_ALLOWANCE_MB


def _page_mb() -> float:
    return os.sysconf("SC_PAGE_SIZE") / 2**20


def process_resident_mb(pid: int) -> float:
    """One process's resident memory (MB); 0 when it is gone or /proc is missing."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _page_mb()
    except (OSError, ValueError, IndexError):
        return 0.0


def _processes() -> list[tuple[int, int, int]]:
    """(pid, parent pid, process group) of every process /proc shows."""
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return []
    found = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                stat = fh.read()
            fields = stat[stat.rfind(b")") + 2:].split()  # after "pid (comm) ": state, ppid, pgrp, ...
            found.append((int(pid), int(fields[1]), int(fields[2])))
        except (OSError, ValueError, IndexError):  # gone meanwhile
            continue
    return found


def tree_of(root: int, processes: list[tuple[int, int, int]]) -> set[int]:
    """``root``, its descendants, and the members of process groups any of them leads.

    A converter runs in a process group of its own (killed as a group on timeout) and
    LibreOffice's ``soffice.bin`` may outlive its parent, so group membership counts too.
    """
    children: dict[int, list[int]] = {}
    for pid, ppid, _ in processes:
        children.setdefault(ppid, []).append(pid)
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid not in tree:
            tree.add(pid)
            todo.extend(children.get(pid, ()))
    return tree | {pid for pid, _, pgrp in processes if pgrp in tree}


def tree_resident_mb(root: int) -> float:
    """Resident memory (MB) summed over a worker and the programs it started (:func:`tree_of`).

    Pages shared between them (libraries) count once per process: the sum errs high, never low.
    Where /proc is missing, 0: the address-space backstop is then the only limit.
    """
    return sum(process_resident_mb(pid) for pid in tree_of(root, _processes()))
