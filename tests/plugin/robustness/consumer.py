"""A small consumer of the Binding API, robust to every answer Twilio may send but for the bugs
planted when ``BUGGY`` is true: one per variation class, each in its own function. The twilio SDK
(sync and async), requests and httpx are each used by some of them."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
import requests
from twilio.base.exceptions import TwilioException

BUGGY = True
RETRY = (429, 500, 503)
ATTEMPTS = 5
"""An error answer comes at most three times in a row: five attempts outlast it."""


class Unavailable(Exception):
    """The consumer's own answer to an API it cannot use now (what a robust consumer raises)."""


def status_of(exc: TwilioException) -> int | None:
    """The HTTP status of an SDK error: a fetch's TwilioRestException has it, a page's names its
    response."""
    status = getattr(exc, "status", None)
    response = exc.args[1] if len(exc.args) > 1 else None
    return status if status is not None else getattr(response, "status_code", None)


def retrying(call: Any, *, retry_on: tuple[int, ...] = RETRY, unhandled: tuple[int, ...] = ()) -> Any:
    """``call()`` through the SDK, retried on ``retry_on``; an answer it cannot use is Unavailable,
    but for ``unhandled`` statuses, which propagate (planted bugs)."""
    for attempt in range(ATTEMPTS):
        try:
            return call()
        except TwilioException as exc:
            status = status_of(exc)
            if status in unhandled:
                raise
            if status in retry_on and attempt < ATTEMPTS - 1:
                continue  # a real consumer sleeps Retry-After seconds here
            raise Unavailable(status) from exc
        except ValueError as exc:  # the SDK reading a blank or truncated body
            raise Unavailable("unreadable answer") from exc
    raise AssertionError("unreachable")


def get_json(
    client: Any,
    url: str,
    *,
    params: Any = None,
    timeout: float = 5.0,
    unhandled: tuple[int, ...] = (),
    retry_on: tuple[int, ...] = RETRY,
    unreadable_ok: bool = True,
) -> Any:
    """A GET through requests or httpx (the same calls), retried, its body read as JSON."""
    for attempt in range(ATTEMPTS):
        try:
            r = client.get(url, params=params, timeout=timeout)
        except (requests.Timeout, httpx.TimeoutException) as exc:
            raise Unavailable("timeout") from exc
        if r.status_code in retry_on and attempt < ATTEMPTS - 1:
            continue
        if r.status_code in unhandled:
            r.raise_for_status()
        if r.status_code >= 400:
            raise Unavailable(r.status_code)
        if not r.content:
            raise Unavailable("blank answer")
        if not unreadable_ok:
            return r.json()
        try:
            return r.json()
        except ValueError as exc:
            raise Unavailable("unreadable answer") from exc
    raise AssertionError("unreachable")


def walk(client: Any, url: str, **options: Any) -> list[dict[str, Any]]:
    """Every item of a listing, following next_page_url."""
    items: list[dict[str, Any]] = []
    while url:
        page = get_json(client, url, **options)
        items += page["bindings"]
        url = page["meta"]["next_page_url"]
    return items


# -- the twilio SDK, sync ---------------------------------------------------------------------
def newest(client: Any, service: str) -> str | None:
    """empty listing: the first of a listing that may hold none."""
    listed = retrying(lambda: client.chat.v2.services(service).bindings.list(limit=1))
    if BUGGY:
        return str(listed[0].sid)
    return str(listed[0].sid) if listed else None


def endpoints(client: Any, service: str) -> list[str]:
    """deleted meanwhile: each listed binding fetched, one of them gone since the listing."""
    found = []
    for b in retrying(lambda: client.chat.v2.services(service).bindings.list()):
        if b.sid is None:
            continue
        try:
            fetched = retrying(
                lambda sid=b.sid: client.chat.v2.services(service).bindings(sid).fetch(), unhandled=(404,)
            )
        except TwilioException as exc:
            if BUGGY or status_of(exc) != 404:
                raise
            continue
        found.append(str(fetched.endpoint))
    return found


def count(client: Any, service: str) -> int:
    """429: no retry on 429 (the consumer never heard of rate limits)."""
    options: dict[str, Any] = {"retry_on": (500, 503), "unhandled": (429,)} if BUGGY else {}
    return len(retrying(lambda: client.chat.v2.services(service).bindings.list(), **options))


# -- the twilio SDK, async ----------------------------------------------------------------------
ICONS = {"apn": "apple", "gcm": "android", "fcm": "android", "twilsock": "web"}


def platform(binding_type: str) -> str:
    """unknown enum value: a match on binding_type with no default."""
    match binding_type:
        case "apn":
            icon = "apple"
        case "gcm" | "fcm":
            icon = "android"
        case "twilsock":
            icon = "web"
        case _ if not BUGGY:
            icon = "other"
    return icon  # UnboundLocalError when no case matched


async def platforms(client: Any, service: str) -> list[str]:
    for attempt in range(ATTEMPTS):
        try:
            listed = await client.conversations.v1.services(service).bindings.list_async()
            break
        except TwilioException as exc:
            if status_of(exc) in RETRY and attempt < ATTEMPTS - 1:
                continue
            raise Unavailable(status_of(exc)) from exc
        except ValueError as exc:
            raise Unavailable("unreadable answer") from exc
    return [platform(b.binding_type) for b in listed]


def run_platforms(api: Any, service: str) -> list[str]:
    from twilio.rest import Client

    from binding_contracts.live import AsyncCheckingHttpClient

    async def go() -> list[str]:
        async with AsyncCheckingHttpClient("off", redirect_to=api.base_url) as http:
            return await platforms(Client(api.account_sid, api.auth_token, http_client=http), service)

    return asyncio.run(go())


# -- requests -----------------------------------------------------------------------------------
def credentials(session: requests.Session, base: str, service: str) -> set[str]:
    """left-out member: indexing a member that may be left out."""
    items = walk(session, f"{base}/v2/Services/{service}/Bindings")
    if BUGGY:
        return {item["credential_sid"] for item in items}
    return {item["credential_sid"] for item in items if item.get("credential_sid")}


def all_sids(session: requests.Session, base: str, service: str) -> list[str]:
    """page boundary: paging by Page= numbers, a 400 read as the end of the listing."""
    url = f"{base}/v2/Services/{service}/Bindings"
    if not BUGGY:
        return [item["sid"] for item in walk(session, url) if item.get("sid")]
    sids: list[str] = []
    number = 0
    while True:
        try:
            page = get_json(session, url, params={"PageSize": 50, "Page": number})
        except Unavailable as exc:
            if exc.args == (400,):
                return sids
            raise
        sids += [item["sid"] for item in page["bindings"] if item.get("sid")]
        if len(page["bindings"]) < 50:
            return sids
        number += 1


def total(session: requests.Session, base: str, service: str) -> int:
    """5xx: no retry on 500 and 503."""
    options: dict[str, Any] = {"retry_on": (429,), "unhandled": (500, 503)} if BUGGY else {}
    return len(walk(session, f"{base}/v2/Services/{service}/Bindings", **options))


def remove(session: requests.Session, base: str, service: str, sid: str) -> None:
    """blank body: an answer to a delete read as JSON whatever it holds."""
    for attempt in range(ATTEMPTS):
        r = session.delete(f"{base}/v2/Services/{service}/Bindings/{sid}", timeout=5)
        if r.status_code in RETRY and attempt < ATTEMPTS - 1:
            continue
        if r.status_code == 204 or (not BUGGY and r.status_code < 300 and not r.content):
            return
        message = r.json().get("message") if BUGGY or r.content else "blank answer"
        raise Unavailable(r.status_code, message)


# -- httpx ----------------------------------------------------------------------------------------
@dataclass
class Record:
    sid: str | None = None
    account_sid: str | None = None
    service_sid: str | None = None
    date_created: str | None = None
    date_updated: str | None = None
    endpoint: str | None = None
    identity: str | None = None
    credential_sid: str | None = None
    binding_type: str | None = None
    message_types: list[str] | None = None
    url: str | None = None
    links: dict[str, str] | None = None


def message_type_counts(client: httpx.Client, base: str, service: str) -> Counter[str]:
    """null member: sorting message_types, a left-out one defaulted, a null one not."""
    counts: Counter[str] = Counter()
    for item in walk(client, f"{base}/v2/Services/{service}/Bindings"):
        types = item.get("message_types", []) if BUGGY else item.get("message_types") or []
        counts.update(sorted(types))
    return counts


def records(client: httpx.Client, base: str, service: str) -> list[Record]:
    """undocumented member: every member of the body passed to a dataclass."""
    items = walk(client, f"{base}/v2/Services/{service}/Bindings")
    if BUGGY:
        return [Record(**item) for item in items]
    known = Record.__dataclass_fields__
    return [Record(**{k: v for k, v in item.items() if k in known}) for item in items]


def identities(client: httpx.Client, base: str, service: str) -> set[str]:
    """truncated: a body read as JSON once it is not blank, a cut one not expected."""
    items = walk(client, f"{base}/v2/Services/{service}/Bindings", unreadable_ok=not BUGGY)
    return {str(item.get("identity")) for item in items}


def quick_count(client: httpx.Client, base: str, service: str) -> int:
    """delay: a short timeout, its expiry not expected."""
    if BUGGY:
        page = client.get(f"{base}/v2/Services/{service}/Bindings", timeout=0.1)
        while page.status_code in RETRY:
            page = client.get(f"{base}/v2/Services/{service}/Bindings", timeout=0.1)
        if page.status_code >= 400 or not page.content:
            raise Unavailable(page.status_code)
        try:
            return len(page.json()["bindings"])
        except ValueError as exc:
            raise Unavailable("unreadable answer") from exc
    return len(get_json(client, f"{base}/v2/Services/{service}/Bindings", timeout=5.0)["bindings"])
