"""The Faker provider: realistic, valid payloads from Faker's seeded generator.

``fake.add_provider(BindingProvider)``, then ``fake.binding()``, ``fake.binding_page(count=3)``, …
Every value comes from ``fake.random`` (so ``seed_instance`` makes output byte-identical across runs
and processes); overrides are checked as the strategies' pins are, and raise when they break a rule.
"""

from __future__ import annotations

from typing import Any

from .._extras import needs
from ..checking.rules import page as page_rules
from ..errors import UsageError
from ..spec import facts
from ..spec.kinds import APIS, PAGE_KINDS
from ..spec.schemas import check_kind, check_profile
from . import builders, drawing, realism
from .pins import breaks, resolve
from .source import RandomSource

__all__ = [
    "BindingProvider",
]

with needs("generate", "binding_contracts.factories"):
    from faker.providers import BaseProvider


class BindingProvider(BaseProvider):
    """Binding API payloads for Faker. Methods: :meth:`binding`, :meth:`user_binding`,
    :meth:`binding_page`, :meth:`binding_listing`, :meth:`twilio_error`, :meth:`push_endpoint` and
    one per SID kind (:meth:`binding_sid`, :meth:`account_sid`, …)."""

    def _source(self) -> RandomSource:
        return RandomSource(self.generator.random)

    def _payload(self, kind: str, overrides: dict[str, Any], profile: str = "strict") -> dict[str, Any]:
        needs = drawing.Needs(profile=check_profile(profile))
        return builders.assemble(kind, drawing.parts(self._source(), kind, resolve(kind, overrides), needs))

    def binding(self, profile: str = "strict", **overrides: Any) -> dict[str, Any]:
        """A Binding; any member can be overridden (``identity="maria@example.org"``).
        ``profile="published"``: members null or left out, and undocumented ones added, as Twilio's
        published spec allows (see :func:`binding_contracts.strategies.payloads`)."""
        return self._payload("binding", overrides, profile)

    def user_binding(self, profile: str = "strict", **overrides: Any) -> dict[str, Any]:
        """A UserBinding; any member can be overridden."""
        return self._payload("user-binding", overrides, profile)

    def conversations_binding(self, profile: str = "strict", **overrides: Any) -> dict[str, Any]:
        """A Conversations v1 Service Binding (``chat_service_sid``, no links); any member can be
        overridden (``binding_type="twilsock"``)."""
        return self._payload("conversations-binding", overrides, profile)

    def conversations_binding_page(
        self,
        count: int | None = None,
        page: int = 0,
        page_size: int | None = None,
        profile: str = "strict",
        **overrides: Any,
    ) -> dict[str, Any]:
        """:meth:`binding_page` of ``kind="conversations-binding-page"``."""
        return self.binding_page(
            count, page, page_size, "conversations-binding-page", profile=profile, **overrides
        )

    def conversations_binding_listing(
        self,
        total: int | None = None,
        page_size: int | None = None,
        profile: str = "strict",
        **overrides: Any,
    ) -> list[dict[str, Any]]:
        """:meth:`binding_listing` of ``kind="conversations-binding-page"``."""
        return self.binding_listing(
            total, page_size, "conversations-binding-page", profile=profile, **overrides
        )

    def binding_page(
        self,
        count: int | None = None,
        page: int = 0,
        page_size: int | None = None,
        kind: str = "binding-page",
        profile: str = "strict",
        **overrides: Any,
    ) -> dict[str, Any]:
        """Page ``page`` of a listing, ``count`` items (drawn when None), ``page_size`` a page (Twilio's
        default when None); ``kind="user-binding-page"`` for one user's bindings. Overrides apply to
        every item (``binding_type="apn"``); ``profile="published"`` loosens the items."""
        needs = drawing.Needs(profile=check_profile(profile))
        size = _page_kind_and_size(kind, page_size)
        pins = resolve(kind, {**overrides, "page": page, "page_size": size})
        if count is not None:
            if not isinstance(count, int) or count < 0:
                raise UsageError(f"Got count={count!r}, but a page holds a whole number of items, 0 or more")
            if count > size:
                raise breaks(
                    "count", count, page_rules.items_max, f"a page of page_size={size} holds {size} at most"
                )
            pins["count"] = count
        return builders.page(drawing.page(self._source(), kind, pins, needs))

    def binding_listing(
        self,
        total: int | None = None,
        page_size: int | None = None,
        kind: str = "binding-page",
        profile: str = "strict",
        **overrides: Any,
    ) -> list[dict[str, Any]]:
        """A whole listing: the pages a client gets by following next_page_url from page 0."""
        needs = drawing.Needs(profile=check_profile(profile))
        size = _page_kind_and_size(kind, page_size)
        if total is not None and (not isinstance(total, int) or total < 0):
            raise UsageError(f"Got total={total!r}, but a listing holds a whole number of items, 0 or more")
        pins = resolve(kind, {**overrides, "page_size": size})
        return [builders.page(p) for p in drawing.walk(self._source(), kind, pins, total, size, needs)]

    def twilio_error(self, status: int | None = None, **overrides: Any) -> dict[str, Any]:
        """Twilio's error envelope for ``status`` (drawn from the statuses a Binding request meets)."""
        return self._payload("error", overrides if status is None else {**overrides, "status": status})

    def push_endpoint(self, binding_type: str | None = None) -> str:
        """A device token of the binding type: APNs 64 hex characters, an FCM or GCM registration token,
        an opaque token for Conversations' twilsock."""
        types = tuple(dict.fromkeys(t for api in APIS for t in facts.enum(api.binding_types)))
        if binding_type is None:
            binding_type = types[self._source().integer(0, len(types) - 1)]
        elif binding_type not in types:
            raise UsageError(f"Got binding_type={binding_type!r}, but expected one of {', '.join(types)}")
        return realism.endpoint(self._source(), binding_type)

    def _sid(self, name: str) -> str:
        return drawing.sid(self._source(), name)

    def binding_sid(self) -> str:
        return self._sid("binding_sid")

    def account_sid(self) -> str:
        return self._sid("account_sid")

    def service_sid(self) -> str:
        return self._sid("service_sid")

    def credential_sid(self) -> str:
        return self._sid("credential_sid")

    def user_sid(self) -> str:
        return self._sid("user_sid")


def _page_kind_and_size(kind: str, page_size: int | None) -> int:
    check_kind(kind)
    if kind not in PAGE_KINDS:
        raise UsageError(f"Got kind={kind!r}, but a page is a {' or a '.join(PAGE_KINDS)}")
    return facts.page_size_bounds(kind)[2] if page_size is None else page_size
