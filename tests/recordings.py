"""A real vcrpy recording of plain HTTP against the fake, shared by the cassette and plugin tests."""

from __future__ import annotations

from pathlib import Path

import requests
import vcr

from binding_contracts.fake import FakeBindingAPI


def record_session(
    api: FakeBindingAPI, path: Path, serializer: str = "yaml", *, conversations: bool = False
) -> Path:
    """Record, in order: a walk at PageSize=3 by next_page_url, a fetch, a delete, the fetch
    after it (404), and one request that is no Binding operation; through Chat v2's paths, or
    Conversations v1's with ``conversations``. The fake must run with ``auth=False`` and hold one
    service."""
    svc = next(iter(api.store.services))
    kind, version = ("conversations-binding", "v1") if conversations else ("binding", "v2")
    sid = api.add_binding(svc, identity="kim", kind=kind)["sid"]
    base = f"{api.base_url}/{version}/Services/{svc}"
    with vcr.VCR(serializer=serializer, record_mode="all").use_cassette(str(path)):
        url: str | None = f"{base}/Bindings?PageSize=3"
        while url:
            url = requests.get(url, timeout=5).json()["meta"]["next_page_url"]
        requests.get(f"{base}/Bindings/{sid}", timeout=5)
        requests.delete(f"{base}/Bindings/{sid}", timeout=5)
        requests.get(f"{base}/Bindings/{sid}", timeout=5)
        requests.get(f"{api.base_url}/v2/Services", timeout=5)
    return path
