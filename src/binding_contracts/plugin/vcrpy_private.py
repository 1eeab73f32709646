"""Every use the plugin makes of vcrpy's and pytest-recording's internals, in one place: what their
public API does not offer. ``tests/plugin/test_vcrpy_private.py`` fails when either changes them.

- :func:`watch_loads`: vcrpy opens every cassette through the classmethod ``Cassette.load``, with
  the keyword arguments of ``Cassette(path=..., persister=..., ...)``. pytest-recording tells the
  plugin of the cassettes it opens (its hook ``pytest_recording_configure``); nothing tells of a
  cassette a test opens itself (``vcr.use_cassette``, a ``VCR`` of its own), so this wraps
  ``Cassette.load`` to hand each such cassette's persister to the plugin.
- :func:`extra_paths`: the files pytest-recording's persister loads after the cassette's own, those
  named in ``@pytest.mark.vcr("a.yaml", "b.yaml")`` (its ``CombinedPersister.extra_paths``).
- :func:`pending_save`: what a cassette still open would write if it closed now. vcrpy decides what
  it saves as it saves (record mode ``all`` keeps the loaded interactions no recording replaced,
  then the recorded ones; ``drop_unused_requests`` the played ones, in the order they were first
  played, then the new ones; ``before_save_interaction`` hooks may drop any), in the private
  ``Cassette._save``; this runs that method with the persister (``Cassette._persister``) swapped
  for one that keeps what it is given, and puts back ``Cassette.dirty``, which the save clears.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Final

__all__ = ["MARK", "Saved", "extra_paths", "pending_save", "saved", "watch_loads"]

MARK: Final = "_binding_contracts"
"""The attribute of the wrapped ``Cassette.load`` that holds what it calls before a load."""

BeforeLoad = Callable[[dict[str, Any]], Callable[[Any], None] | None]
"""Called with a cassette's keyword arguments before it loads (it may replace ``persister``);
returns what to call with the loaded cassette, or None."""


def watch_loads(before: BeforeLoad) -> bool:
    """Wrap ``vcr.cassette.Cassette.load`` so that ``before`` sees every cassette opened (a later
    call replaces ``before``); False when vcrpy is not installed or no longer opens cassettes
    through it (nothing is wrapped)."""
    try:
        from vcr.cassette import Cassette
    except ImportError:  # pragma: no cover  (vcrpy is optional for the plugin)
        return False
    load = getattr(Cassette, "load", None)
    if callable(getattr(load, MARK, None)):
        setattr(load.__func__, MARK, before)  # type: ignore[union-attr]
        return True
    original = getattr(load, "__func__", None)
    if original is None:
        return False

    def wrapped(cls: Any, /, **kwargs: Any) -> Any:
        after = getattr(wrapped, MARK)(kwargs)
        cassette = original(cls, **kwargs)
        if after is not None:
            after(cassette)
        return cassette

    setattr(wrapped, MARK, before)
    Cassette.load = classmethod(wrapped)
    return True


def extra_paths(persister: Any) -> list[str]:
    """The files pytest-recording's persister reads after the cassette's own (none for another)."""
    extras = getattr(persister, "extra_paths", None)
    if not isinstance(extras, list):
        return []
    return [os.fspath(path) for path in extras]


Saved = tuple[list[Any], list[Any]]
"""A cassette as vcrpy hands it to its persister's ``save_cassette``: its requests and responses, in
the order of the file written."""


def saved(cassette_dict: Any) -> Saved:
    """The interactions of the ``cassette_dict`` vcrpy gives ``save_cassette`` (the persister's
    public contract; a ``metadata`` key beside them is left)."""
    return list(cassette_dict["requests"]), list(cassette_dict["responses"])


class _Keeping:
    """A persister that keeps what vcrpy would save instead of writing it."""

    def __init__(self) -> None:
        self.kept: list[Saved] = []

    def save_cassette(self, cassette_path: Any, cassette_dict: Any, serializer: Any = None) -> None:
        self.kept.append(saved(cassette_dict))


def pending_save(cassette: Any) -> Saved | None:
    """What vcrpy would write for ``cassette`` if it were closed now (its ``Cassette._save`` run, as
    the cassette's context runs it on exit, with a persister that writes nothing), or None when it
    would write nothing (nothing new, nothing dropped) or is no vcrpy cassette. The save's
    ``before_save_interaction`` hooks run on copies, as they do when the cassette closes."""
    save = getattr(cassette, "_save", None)
    if not callable(save) or not hasattr(cassette, "_persister") or not hasattr(cassette, "dirty"):
        return None
    keeping = _Keeping()
    persister, dirty = cassette._persister, cassette.dirty
    cassette._persister = keeping
    try:
        save()
    finally:
        cassette._persister, cassette.dirty = persister, dirty
    return keeping.kept[-1] if keeping.kept else None
