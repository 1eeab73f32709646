"""Identities and endpoints a redacted cassette must not hold in clear (``cassette.pii``), told by the
pseudonyms :class:`~.recording.Redactor` writes: the facts of their form are here, and the Redactor
reads them, so a cassette it rewrote with ``redact_pii`` passes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import pairwise
from typing import Any, Final
from urllib.parse import parse_qsl, unquote

from .._json import escape
from ..checking.rules.item import user_member
from ..report import Part, Violation, shorten
from .leaks import split_url

__all__ = ["HEX_MARK", "PSEUDO_IDENTITY", "TOKEN_MARK", "is_pseudonym_endpoint", "unredacted"]

PSEUDO_IDENTITY: Final = re.compile(r"user-[0-9a-f]{12}")
HEX_MARK: Final = "00000000"
TOKEN_MARK: Final = "rdct"
"""Pseudonyms carry a marker (identities their ``user-`` form, long endpoints a leading mark), so
that rewriting is idempotent and a pseudonymised cassette can be told from one that is not."""


def is_pseudonym_endpoint(value: str) -> bool | None:
    """Whether an endpoint is the Redactor's pseudonym; None when its length cannot tell (a short
    endpoint's pseudonym carries no mark)."""
    hexadecimal = re.fullmatch(r"[0-9a-fA-F]+", value) is not None
    mark = HEX_MARK if hexadecimal else TOKEN_MARK
    if len(value) <= 2 * len(mark):
        return None
    return value.startswith(mark)


def unredacted(url: str, body: bytes | str | None, source: str | None) -> list[Violation]:
    """The ``cassette.pii`` findings of one interaction: identities (in the URL's ``Users/`` segment,
    its ``Identity`` parameter, the body's ``identity`` and user urls) and endpoints that are not
    the Redactor's pseudonyms."""
    found: list[Violation] = []

    def add(path: str, what: str, value: str, part: Part | None = None) -> None:
        message = f"{what} {shorten(value)} is not pseudonymised (binding-contracts redact --pii rewrites it)"
        found.append(Violation("cassette.pii", path, message, source=source, part=part))

    for identity, text, lead in _url_identities(url):
        add("", "the request URL's identity", identity, Part("/request/uri", text, lead))
    data = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    if b'"identity"' in data or b'"endpoint"' in data or b"/Users/" in data:
        try:
            doc = json.loads(data)
        except (ValueError, RecursionError):
            return found
        for pointer, what, value in _pii(doc, ""):
            add(pointer, what, value)
    return found


def _pseudonym(identity: str) -> bool:
    return PSEUDO_IDENTITY.fullmatch(identity) is not None


def _url_identities(url: str) -> Iterator[tuple[str, str, str]]:
    """``(identity, its text in the URL, the text before it)`` of each identity a URL names."""
    parts = split_url(url)
    if parts is None:
        return
    segments = parts.path.split("/")
    for n, (before, segment) in enumerate(pairwise(segments), 1):
        user = unquote(segment)
        if before == "Users" and user and user_member(user) == "identity" and not _pseudonym(user):
            yield user, segment, "/".join(segments[:n]) + "/"
    for pair in parts.query.split("&") if parts.query else ():
        for name, value in parse_qsl(pair, keep_blank_values=True):
            if name == "Identity" and value and not _pseudonym(value):
                yield value, pair, "?"


def _pii(doc: Any, at: str) -> Iterator[tuple[str, str, str]]:
    if isinstance(doc, list):
        for i, item in enumerate(doc):
            yield from _pii(item, f"{at}/{i}")
        return
    if not isinstance(doc, dict):
        return
    for key, value in doc.items():
        here = f"{at}/{escape(str(key))}"
        if not isinstance(value, str):
            yield from _pii(value, here)
        elif key == "identity" and value and not _pseudonym(value):
            yield here, "the identity", value
        elif key == "endpoint" and value and is_pseudonym_endpoint(value) is False:
            yield here, "the endpoint", value
        elif key.endswith("url") or key == "user":
            for identity, _, _ in _url_identities(value):
                yield here, f"the identity in {key}", identity
