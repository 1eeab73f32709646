"""``--jobs N``: files judged in N processes, their results taken back in input order, so that the
output and the exit status are those of one process."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from ..errors import InputError
from ..spec.profiles import ProfileArg
from ..spec.schemas import profile_file

T = TypeVar("T")
R = TypeVar("R")

CHUNKS_PER_JOB = 8
"""Files go to the processes in chunks, each process taking about this many: few enough that a
small file costs no round trip of its own, enough that one slow file does not hold the others."""


def add_jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="files judged in N processes, output in input order (default: 1; 0: one per core)",
    )


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, 0 or more, got {text!r}")
    return n or os.cpu_count() or 1


def caught(read: Callable[[str], R], path: str) -> R | InputError:
    """``read(path)``, or the :class:`InputError` it raised: one unreadable file among many is a
    result like the others, whichever process read it."""
    try:
        return read(path)
    except InputError as exc:
        return exc


def in_order(judge: Callable[[T], R], items: Sequence[T], jobs: int) -> Iterator[R]:
    """``judge`` of each item, in the items' order: in this process for one job (or one item), else
    in a pool of ``jobs`` processes. ``judge`` and its results must pickle (a module's function, or a
    ``functools.partial`` of one)."""
    workers = min(jobs, len(items))
    if workers <= 1:
        yield from map(judge, items)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(items) // (workers * CHUNKS_PER_JOB))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(judge, items, chunksize=chunk)


def portable_profile(profile: str) -> ProfileArg:
    """A profile as another process can take it back: a profile file by its path (each process reads
    it once), a profile's name as it is."""
    read = profile_file(profile)
    return profile if read is None else Path(read.source)
