"""One reader of URLs: ``urlsplit`` raises ``ValueError`` on some URLs (a bracketed host that is no
IPv6 address, an unbalanced bracket, a host NFKC normalises to a delimiter), and every URL is data
from a payload, a cassette or a user. Every reader of a URL takes such a one: the rules report it,
the leak scan and the redactor (``--pii`` too) rewrite what they can, observe counts no host."""

from __future__ import annotations

import ast
from typing import Any
from urllib.parse import urlsplit

from hypothesis import example, given
from hypothesis import strategies as st

from binding_contracts import check
from binding_contracts.spec.routes import match_url, parse_url, route, split_url
from binding_contracts.traffic.leaks import masked_url, scrubbed_url
from binding_contracts.traffic.observe import Observed
from binding_contracts.traffic.recording import Redactor
from conftest import ROOT
from conftest import example as payload

HOSTS = st.text(alphabet="[]:@.%x1v\uff03\uff1f\u2100\u2474ab-", max_size=10)
"""Host text near what urlsplit refuses: brackets, colons, NFKC characters that become ``# ? /``."""
USER = "/v2/Services/IS00000000000000000000000000000000/Users/maria/Bindings"


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["https://", "http://", "", "//"]))
    userinfo = draw(st.sampled_from(["", "user:pass@", "AC1:tok@"]))
    host = draw(HOSTS)
    path = draw(st.sampled_from(["", "/", USER, f"{USER}?Identity=maria&AuthToken=abc", "?x=[y]"]))
    return scheme + userinfo + host + path


def _refused(url: str) -> bool:
    try:
        urlsplit(url)
    except ValueError:
        return True
    return False


class TestEveryReaderTakesAnyUrl:
    @example("https://[x]/v2/Services/IS00000000000000000000000000000000/Users/maria/Bindings?Identity=maria")
    @example("https://[::1/v2/")
    @example("https://a\uff03b/v2/")
    @given(urls())
    def test_no_reader_raises_and_the_safe_reader_says_which_urlsplit_refuses(self, url: str) -> None:
        assert (parse_url(url) is None) == _refused(url)
        assert split_url(url).path == (url if _refused(url) else urlsplit(url).path)
        match_url(url)
        route("GET", url)
        masked_url(url)
        scrubbed_url(url)
        redactor = Redactor(redact_pii=True, redact_account=True, pii_key="k", check="off")
        redacted = redactor.url(url)
        assert "maria" not in redacted  # an identity is PII, whatever the host
        observed = Observed()
        observed.add({**payload("binding"), "url": url, "links": {"user": url}}, "binding")
        parts = parse_url(url)
        host = parts.hostname if parts is not None and url.startswith(("https://", "http://")) else None
        assert dict(observed.members["binding"]["url"].hosts) == ({host: 1} if host else {})
        report = check({**payload("binding"), "url": url})
        assert not report.ok  # never the binding's own url, always a finding

    def test_a_refused_url_counts_no_host_in_observe(self) -> None:
        observed = Observed()
        doc: dict[str, Any] = {
            **payload("binding"),
            "url": "https://[x]/v2/",
            "links": {"user": "https://[x]/"},
        }
        observed.add(doc, "binding")
        assert not observed.members["binding"]["url"].hosts
        assert not observed.members["binding"]["links"].hosts


SPLITTERS = {"urlsplit", "urlparse", "urljoin", "urldefrag"}


def test_no_module_splits_a_url_but_the_reader() -> None:
    """ruff's banned-api says the same at lint time; this says it in the test run."""
    calls = []
    for path in sorted((ROOT / "src" / "binding_contracts").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "urllib.parse":
                names = {alias.name for alias in node.names} & SPLITTERS
                calls += [f"{path.relative_to(ROOT)}: {name}" for name in names]
    assert calls == ["src/binding_contracts/spec/routes.py: urlsplit"]
