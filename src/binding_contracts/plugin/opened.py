"""The cassettes a test opened, file by file: learned through the persister vcrpy loads and saves a
cassette with, so that a finding, the summary and the unused report name the file an interaction
came from, not the name a cassette was asked for.

A persister is vcrpy's public seam (``load_cassette(cassette_path, serializer)``,
``save_cassette``, ``VCR.register_persister``). pytest-recording's cassettes (``@pytest.mark.vcr``,
with any names, ``vcr_cassette_dir``, ``default_cassette_name``) get a :class:`Noting` persister
through its public hook ``pytest_recording_configure(config, vcr)``, and the cassette itself from
its ``vcr`` fixture (:func:`attach`). A cassette a test opens itself (``vcr.use_cassette``, a
``VCR`` of its own) is handed over by :func:`before_load`, through :mod:`.vcrpy_private`.

The same persister notes what vcrpy saves (``save_cassette``): vcrpy does not always write a cassette
as it holds it (record mode ``all`` over a cassette, ``drop_unused_requests``, hooks that drop an
interaction as it is saved), so an interaction is named by its place in what vcrpy wrote, never by
its place in the cassette. A cassette still open when the test's body ends (pytest-recording's
``vcr`` fixture closes it at teardown) is named by what its save would write then
(:meth:`Opened.left`, :func:`.vcrpy_private.pending_save`), and checked against what it wrote at
teardown (:meth:`Opened.moved`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from .vcrpy_private import extra_paths, pending_save, saved

__all__ = ["File", "Noting", "Opened", "attach", "before_load"]


@dataclass
class File:
    """One cassette file as a persister read it, or as vcrpy saved it: its interactions, in order."""

    path: str
    requests: list[Any]
    responses: list[Any]

    def key(self) -> list[tuple[Any, Any, Any]]:
        """Its requests as vcrpy's default matching and the body tell them apart, in order."""
        return [(r.method, r.uri, r.body) for r in self.requests]


_SAVES = count()
"""The order of the saves noted: where two cassettes save one file, the later one is what it holds."""


@dataclass
class Opened:
    """One cassette a test opened."""

    path: str
    """Where vcrpy loads it from and saves it to (its persister's ``cassette_path``)."""
    files: list[File] = field(default_factory=list)
    """The files its load read, in order (pytest-recording's marker names: the cassette's own, then
    each name); none when there was no file."""
    cassette: Any = None
    """The vcrpy ``Cassette``, once known."""
    saved: File | None = None
    """What vcrpy handed the persister at its last save of :attr:`path`, once it saved."""
    saved_at: float = math.inf
    """When it saved, in the order of the saves noted (none yet: after every save noted)."""
    predicted: File | None = None
    """What its save would write when :meth:`left` was asked, the cassette still open."""

    def left(self) -> File | None:
        """The file as this cassette leaves :attr:`path`: as its save wrote it; for a cassette still
        open, as its save would write it now (noted in :attr:`predicted`); None when vcrpy writes
        nothing (the file stays as it was read)."""
        if self.saved is not None:
            return self.saved
        if self.predicted is None and self.cassette is not None:
            pending = pending_save(self.cassette)
            if pending is not None:
                self.predicted = File(self.path, *pending)
        return self.predicted

    def moved(self) -> bool:
        """Whether the cassette, named by what its save would write, wrote something else once it
        closed (or nothing): a request after the body, in a fixture's teardown, changed it."""
        if self.predicted is None:
            return False
        return self.saved is None or self.saved.key() != self.predicted.key()

    def used(self) -> list[str]:
        """The cassette files this cassette used, as absolute paths: those it read, and the file it
        was saved to."""
        paths = [file.path for file in self.files]
        if os.path.isfile(self.path):
            paths.append(self.path)
        return [os.path.abspath(path) for path in dict.fromkeys(paths)]


class Noting:
    """A vcrpy persister over another (vcrpy's ``FilesystemPersister``, pytest-recording's, a
    user's): it loads and saves as that one does, and notes each cassette it loads in ``into``."""

    def __init__(self, inner: Any, into: list[Opened]) -> None:
        self.inner = inner
        self.into = into
        self.opened: list[Opened] = []

    def load_cassette(self, cassette_path: Any, serializer: Any) -> Any:
        opened = Opened(os.fspath(cassette_path))
        self.opened.append(opened)
        self.into.append(opened)
        loaded = self.inner.load_cassette(cassette_path, serializer=serializer)
        opened.files = _files(opened.path, extra_paths(self.inner), loaded[0], loaded[1], serializer)
        return loaded

    def save_cassette(self, cassette_path: Any, cassette_dict: Any, serializer: Any) -> None:
        self.inner.save_cassette(cassette_path, cassette_dict, serializer=serializer)
        path = os.fspath(cassette_path)
        for opened in reversed(self.opened):
            if opened.path == path:
                opened.saved, opened.saved_at = File(path, *saved(cassette_dict)), next(_SAVES)
                return


def _files(path: str, extras: list[str], requests: Any, responses: Any, serializer: Any) -> list[File]:
    """The interactions a load returned, cut into the files they came from: the cassette's own file,
    then each extra file (a missing one adds nothing), as pytest-recording joins them."""
    requests, responses = list(requests), list(responses)
    if not extras:
        return [File(path, requests, responses)]
    counts = [(name, _count(name, serializer)) for name in dict.fromkeys([path, *extras])]
    if sum(n for _, n in counts) != len(requests):  # read otherwise than file by file: one cassette
        return [File(path, requests, responses)]
    files, start = [], 0
    for name, n in counts:
        if n:
            files.append(File(name, requests[start : start + n], responses[start : start + n]))
        start += n
    return files


def _count(path: str, serializer: Any) -> int:
    """How many interactions the cassette file at ``path`` holds (0: none, missing or unreadable)."""
    from vcr.persisters.filesystem import FilesystemPersister

    try:
        return len(FilesystemPersister.load_cassette(path, serializer=serializer)[0])
    except (OSError, ValueError):  # vcrpy's CassetteNotFoundError, CassetteDecodeError
        return 0


def before_load(into: Callable[[], list[Opened] | None]) -> Callable[[dict[str, Any]], Any]:
    """What :func:`.vcrpy_private.watch_loads` calls as a cassette opens: a cassette opened outside
    pytest-recording gets a noting persister, in the list ``into()`` gives (None: nothing noted)."""

    def before(kwargs: dict[str, Any]) -> Callable[[Any], None] | None:
        notes = into()
        persister = kwargs.get("persister")
        if notes is None or isinstance(persister, Noting):
            return None  # nothing is noted now, or pytest-recording's cassette: noted by its hook
        if persister is None:
            from vcr.persisters.filesystem import FilesystemPersister

            persister = FilesystemPersister
        kwargs["persister"] = mine = Noting(persister, notes)

        def after(cassette: Any) -> None:
            attach(mine, cassette)

        return after

    return before


def attach(persister: Any, cassette: Any) -> None:
    """Tell the cassettes ``persister`` loaded which vcrpy cassette they are."""
    if cassette is None:
        return
    for opened in getattr(persister, "opened", ()):
        if opened.cassette is None:
            opened.cassette = cassette
