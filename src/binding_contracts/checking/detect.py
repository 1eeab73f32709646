"""detect_kind(): which kind a payload is, from its shape and, where known, the request URL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import UsageError
from ..spec.kinds import CHAT, CONVERSATIONS, ITEMS_KEY, URL_TEMPLATE_OF_KIND
from ..spec.routes import PathMatch, match_url
from ..spec.urls import templates_of

_KIND_OF_TEMPLATE = {template: kind for kind, template in URL_TEMPLATE_OF_KIND.items()}
_CONVERSATIONS_MEMBER, _CHAT_MEMBER = CONVERSATIONS.service_member, CHAT.service_member
"""Each API's name for the service: the member that tells a Conversations binding from a Chat one
before the urls do (a url may be the very thing that is wrong)."""
_CONVERSATIONS_TEMPLATES = frozenset(templates_of(CONVERSATIONS))
"""Conversations' templates, its items' and its lists' (read once: comparing the API of each kind
cost more than the rest of a detection)."""


class KindNotDetected(UsageError):
    """``kind="auto"`` could not tell what a payload is."""


def detect_kind(payload: Any, url: str | None = None) -> str:
    """The kind of a payload, from its shape and, where known, the request URL.

    An error envelope is recognised by its shape first (an answer to any request may be
    one); otherwise the request URL decides, then the payload's own urls and members.
    Raises :class:`KindNotDetected` when nothing fits.
    """
    if not isinstance(payload, Mapping):
        raise KindNotDetected(f"Got a JSON {type(payload).__name__}, but every kind is an object")
    if "status" in payload and "message" in payload and "sid" not in payload:
        return "error"
    if url is not None:
        m = match_url(url)
        if m is not None and m.template in _KIND_OF_TEMPLATE:
            return _KIND_OF_TEMPLATE[m.template]
    if "meta" in payload or ITEMS_KEY in payload:
        meta = payload.get("meta")
        own = meta.get("url") if isinstance(meta, Mapping) else None
        m = match_url(own) if isinstance(own, str) else None
        items = payload.get(ITEMS_KEY)
        listed = [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []
        chat = any(_CHAT_MEMBER in i for i in listed)
        if any(_CONVERSATIONS_MEMBER in i for i in listed) or (_conversations(m) and not chat):
            return "conversations-binding-page"
        user_list = m is not None and m.template == "user-binding-list"
        return "user-binding-page" if user_list or any("user_sid" in i for i in listed) else "binding-page"
    if "user_sid" in payload:
        return "user-binding"
    if _CONVERSATIONS_MEMBER in payload:
        return "conversations-binding"
    if "sid" in payload or "binding_type" in payload or "links" in payload:
        own = payload.get("url")
        m = match_url(own) if isinstance(own, str) else None
        return "conversations-binding" if _conversations(m) and _CHAT_MEMBER not in payload else "binding"
    raise KindNotDetected("Got an object with none of the members that tell a kind (sid, meta, status)")


def _conversations(m: PathMatch | None) -> bool:
    """Whether a payload's own url is one of Conversations' (its items or its list)."""
    return m is not None and m.template in _CONVERSATIONS_TEMPLATES
