"""The library's modules imported as Python imports them, from their bytecode when there is some,
while pytest's assertion rewriting keeps to the plugin's own modules.

pytest rewrites the ``assert`` statements of every module of a ``pytest11`` plugin's distribution:
all of ``binding_contracts``, not only :mod:`binding_contracts.plugin`. Its loader reads, parses and
compiles each such module from source, and caches what it wrote only where it may write bytecode:
under ``PYTHONDONTWRITEBYTECODE`` (many CI images set it) or in a read-only install, every pytest
run that checks a cassette compiled the ~50 checking modules again. The library's few asserts are
internal invariants whose message no test reads.

pytest has no public switch for a plugin to leave part of its distribution alone
(``PYTEST_DONT_REWRITE`` in a docstring skips the rewrite, not the parse and compile;
``--assert=plain`` is the user's, for every module). So, with Python's public import protocol only,
a finder placed before pytest's in :data:`sys.meta_path` answers for the library's modules what
Python's own path finder answers, and pytest's hook is not asked about them. Nothing of pytest's is
read or changed: if pytest rewrote otherwise, the library would still load as Python loads it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType

import pytest

__all__ = ["LIBRARY", "PLUGIN", "Library", "import_library_plainly"]

PLUGIN = __name__.rpartition(".")[0]
"""The plugin's own package: pytest rewrites its asserts, as it does every plugin's."""
LIBRARY = PLUGIN.partition(".")[0]


class Library(MetaPathFinder):
    """Finds the library's modules (``binding_contracts`` and below, less :data:`PLUGIN`) as
    Python's path finder finds them; None for every other name."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if not _library(fullname):
            return None
        return PathFinder.find_spec(fullname, path, target)


def _library(name: str) -> bool:
    if name != LIBRARY and not name.startswith(LIBRARY + "."):
        return False
    return name != PLUGIN and not name.startswith(PLUGIN + ".")


def import_library_plainly(config: pytest.Config) -> None:
    """Put a :class:`Library` finder first in :data:`sys.meta_path` for this pytest run (removed
    with its configuration); nothing under ``--assert=plain``, where nothing is rewritten."""
    if config.getoption("--assert", "rewrite") == "plain":
        return
    finder = Library()
    sys.meta_path.insert(0, finder)

    def remove() -> None:
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)

    config.add_cleanup(remove)
