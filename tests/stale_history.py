"""Twilio's 2025 revisions of the Binding specs (tests/data/oai-history/) and cassettes recorded
under the older ones, shared by the staleness tests."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any, Final

from binding_contracts.drift import profile_from_spec
from binding_contracts.generation import builders, drawing
from binding_contracts.generation.source import RandomSource

HISTORY: Final = Path(__file__).parent / "data" / "oai-history"
CHAT_2024: Final = HISTORY / "twilio_chat_v2@2025-03-11.json"
"""Chat v2 as it stood through 2024: binding_type nullable, PageSize at most 1000."""
CHAT_NOT_NULL: Final = HISTORY / "twilio_chat_v2@2025-03-20.json"
"""binding_type no longer nullable; PageSize still at most 1000."""
CHAT_2025: Final = HISTORY / "twilio_chat_v2@2025-10-28.json"
"""PageSize at most 50."""
CONVERSATIONS_2024: Final = HISTORY / "twilio_conversations_v1@2025-03-11.json"
"""Conversations v1 through 2024: binding_type nullable, no twilsock, PageSize at most 1000."""
CONVERSATIONS_PAGE_100: Final = HISTORY / "twilio_conversations_v1@2025-06-12.json"
"""PageSize at most 100."""
CONVERSATIONS_2025: Final = HISTORY / "twilio_conversations_v1@2025-09-30.json"
"""twilsock among the binding types."""

SERVICE: Final = "IS6a20269e11f256f07de01290de56dece"
RECORDED: Final = "Tue, 04 Jun 2024 10:00:00 GMT"


def page_2024(kind: str, page_size: int, *, null_type: bool = False, seed: int = 7) -> dict[str, Any]:
    """A page as the 2024 spec allowed it, answering ``PageSize=page_size``: drawn valid under the 2024
    profile, its meta naming that PageSize; ``null_type``: its first item's binding_type null."""
    spec = CHAT_2024 if kind == "binding-page" else CONVERSATIONS_2024
    pins = {"service_sid": SERVICE, "count": 3, "page_size": 3}
    needs = drawing.Needs(profile=profile_from_spec(spec))
    page = builders.assemble(kind, drawing.parts(RandomSource(random.Random(seed)), kind, pins, needs))
    for name in ("first_page_url", "url"):
        page["meta"][name] = page["meta"][name].replace("PageSize=3", f"PageSize={page_size}")
    page["meta"]["page_size"] = page_size
    page["meta"]["next_page_url"] = None
    for item in page["bindings"]:
        if item.get("binding_type") == "twilsock":
            item["binding_type"] = "apn"
    if null_type:
        page["bindings"][0]["binding_type"] = None
    return page


def list_url(kind: str, page_size: int) -> str:
    if kind == "binding-page":
        return f"https://chat.twilio.com/v2/Services/{SERVICE}/Bindings?PageSize={page_size}"
    return f"https://conversations.twilio.com/v1/Services/{SERVICE}/Bindings?PageSize={page_size}"


def interaction(url: str, body: Any, date: str | None = RECORDED) -> dict[str, Any]:
    headers = {"Content-Type": ["application/json"], **({"Date": [date]} if date else {})}
    return {
        "request": {"body": None, "headers": {}, "method": "GET", "uri": url},
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": headers,
            "body": {"string": json.dumps(body)},
        },
    }


def write_cassette(path: Path, interactions: list[dict[str, Any]]) -> Path:
    """A vcrpy cassette (its JSON serializer's format) holding ``interactions``."""
    path.write_text(json.dumps({"interactions": interactions, "version": 1}, indent=1), encoding="utf-8")
    return path


def recorded_2024(folder: Path) -> Path:
    """The cassette of a consumer recorded under the 2024 specs: a Chat read at PageSize=200 whose
    first binding's type is null, and a Conversations read at PageSize=200 (no twilsock)."""
    return write_cassette(
        folder / "recorded-2024.json",
        [
            interaction(list_url("binding-page", 200), page_2024("binding-page", 200, null_type=True)),
            interaction(
                list_url("conversations-binding-page", 200), page_2024("conversations-binding-page", 200)
            ),
        ],
    )
