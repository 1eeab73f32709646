"""The tests whose cassettes the pytest plugin checks after their body: while one runs, the hooks
of ``vcr_config(check="raise")`` (:mod:`.recording`) leave their findings to the plugin. Its own
module, so that the plugin opens the deferral without importing recording."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["deferred", "deferred_to_plugin"]

_DEFERRED: list[object] = []
"""One entry per running test the pytest plugin checks (:func:`deferred_to_plugin`)."""


@contextmanager
def deferred_to_plugin() -> Iterator[None]:
    """While open, the hooks of ``check="raise"`` raise nothing: the pytest plugin checks every
    interaction of the test's cassettes after its body and reports them in its one format (a hook
    raising in a fixture would end the test at set-up, before the plugin could)."""
    token = object()
    _DEFERRED.append(token)
    try:
        yield
    finally:
        _DEFERRED.remove(token)


def deferred() -> bool:
    """Whether a test the plugin checks is running."""
    return bool(_DEFERRED)
