"""The optional extras: which job needs which, and the one-line error when one is missing.

The base install checks payloads and cassettes (``validate``, ``check``, ``drift``, ``fixtures``,
``migrate-check``, ``redact``, ``observe``); each other job is an extra of pyproject.toml, named in
:data:`EXTRAS`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from .errors import MissingExtra

EXTRAS: Final = {
    "generate": "the Hypothesis strategies and the Faker provider (hypothesis, faker)",
    "fake": "the fake Binding API and `binding-contracts serve` (werkzeug, and generate and live)",
    "live": "live checking of the twilio SDK, requests and httpx (twilio, requests, httpx)",
    "pytest": "the pytest plugin's cassette checks (pytest, vcrpy)",
    "all": "every extra above",
}
"""Each extra of the ``binding-contracts`` distribution and the job it installs."""


@contextmanager
def needs(extra: str, what: str) -> Iterator[None]:
    """Imports in this block belong to ``extra``: a module missing there raises :class:`MissingExtra`
    naming ``what`` needs it and the extra that installs it (one line, not a chain of tracebacks)."""
    try:
        yield
    except ModuleNotFoundError as exc:
        missing = exc.name or "a module"
        if isinstance(exc, MissingExtra):
            missing = exc.missing
        elif missing.partition(".")[0] == __package__:
            raise  # the package itself is broken: not a question of extras
        raise MissingExtra(what, missing, extra) from None
