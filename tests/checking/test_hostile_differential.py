"""One payload, one report: real bodies mutated at the edges where parsers and paths part ways
(integers at 64 bits and at Python's 4,300 digits, infinities, lone surrogates, escapes, nesting
at the depth limit, huge strings), written as JSON text, and checked as that text, as the document
a JSON parser reads from it, and on the reference path alone: the same verdict and the same
(rule, pointer, severity) set everywhere.

``BINDING_CONTRACTS_FUZZ_EXAMPLES`` sets the number of examples (default: the profile's), for long
campaigns: ``BINDING_CONTRACTS_FUZZ_EXAMPLES=5000 pytest tests/checking/test_hostile_differential.py
--hypothesis-seed=N``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from hypothesis import example, given, settings
from hypothesis import strategies as st

from binding_contracts import KINDS, check
from binding_contracts._inputs import parse_json
from binding_contracts.checking.entry import check_parsed
from binding_contracts.errors import InputError
from binding_contracts.spec.routes import ascii_int
from conftest import ROOT, load

FUZZ_EXAMPLES = int(os.environ.get("BINDING_CONTRACTS_FUZZ_EXAMPLES", "0")) or settings.default.max_examples


def _bodies() -> list[Any]:
    found: list[Any] = [json.loads(p.read_text("utf-8")) for p in sorted((ROOT / "examples").glob("*.json"))]
    found += [entry["body"] for entry in load("sdk_payloads.json") if isinstance(entry.get("body"), dict)]
    found += [entry["value"] for entry in load("openapi_examples.json").values()]
    return found


BODIES = _bodies()


@dataclass(frozen=True)
class Raw:
    """JSON text written as it is (a number no Python writer gives, an escape spelt by hand)."""

    text: str


def write(node: Any, indent: int | None, ascii_only: bool) -> str:
    """JSON text of ``node``, :class:`Raw` parts verbatim; ``indent`` as Twilio's indented bodies."""
    if isinstance(node, Raw):
        return node.text
    pad = "" if indent is None else "\n"
    sep = "," + pad
    if isinstance(node, dict):
        parts = [
            f"{json.dumps(k, ensure_ascii=ascii_only)}: {write(v, indent, ascii_only)}"
            for k, v in node.items()
        ]
        return "{" + pad + sep.join(parts) + pad + "}"
    if isinstance(node, list):
        return "[" + pad + sep.join(write(v, indent, ascii_only) for v in node) + pad + "]"
    return json.dumps(node, ensure_ascii=ascii_only)


ESCAPED = ['"\\ud800"', '"a\\udfff"', '"\\ud83d\\ude00"', '"\\u0000"', '"\\/v2\\/"', '"\\u0042S"']
"""Strings as JSON text may spell them: lone surrogates, a pair, NUL, escaped solidus, an escaped letter."""
EDGE_INTEGERS = [2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1, 10**18, 10**19, -(10**19)]
hostile_values = st.one_of(
    st.sampled_from(EDGE_INTEGERS).map(lambda n: Raw(str(n))),
    st.integers(min_value=-(2**70), max_value=2**70).map(lambda n: Raw(str(n))),
    st.sampled_from([4299, 4300, 4301, 5000]).map(lambda digits: Raw("9" * digits)),
    st.sampled_from(["1e400", "-1e400", "1.0", "-0", "0.5", "1E2", "2e0", "1" + "0" * 30 + ".0"]).map(Raw),
    st.sampled_from(ESCAPED).map(Raw),
    st.sampled_from(["new_message", "\ud800", "BS0123456789abcdef0123456789abcdef\n", "é", "maria@x.org"]),
    st.integers(60, 70).map(lambda depth: Raw("[" * depth + "]" * depth)),
    st.integers(1, 200_000).map(lambda size: "x" * size),
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
)


QUERY_NUMBERS = [
    *["", "x", "1_0", "\u0665", "\u00b2", "+1", " 1", "1e2", "%31", "%2B1", "0x1", "1.0", "-1", "-0"],
    *["9" * 18, "9" * 19, "9" * 4301, "0", "1", "2", "50", "51", "1%00"],
]
"""What a meta url may spell as its Page or PageSize: numbers a client reads back, and text that looks
like one to ``int()`` or ``isdigit()`` but is not one in ASCII digits."""


@st.composite
def requeried(draw: st.DrawFn, doc: Any) -> Any:
    """``doc`` with one meta url's Page or PageSize spelt as one of :data:`QUERY_NUMBERS` (replaced,
    added, or given twice)."""
    meta = doc.get("meta") if isinstance(doc, dict) else None
    urls = [k for k, v in meta.items() if isinstance(v, str) and "://" in v] if isinstance(meta, dict) else []
    if not urls:
        return doc
    key, name = draw(st.sampled_from(urls)), draw(st.sampled_from(["Page", "PageSize"]))
    spelt = f"{name}={draw(st.sampled_from(QUERY_NUMBERS))}"
    url = meta[key]
    how = draw(st.sampled_from(["replace", "append", "prepend"]))
    if how == "replace" and re.search(rf"[?&]{name}=", url):
        url = re.sub(rf"([?&]){name}=[^&]*", lambda m: m[1] + spelt, url, count=1)
    elif how == "prepend" and "?" in url:
        url = url.replace("?", f"?{spelt}&", 1)
    else:
        url += ("&" if "?" in url else "?") + spelt
    return {**doc, "meta": {**meta, key: url}}


def _places(node: Any, prefix: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Every member and element of a document, and a new member in each object."""
    found = [prefix]
    if isinstance(node, dict):
        found.append((*prefix, "extra"))
        for key, value in node.items():
            found.extend(_places(value, (*prefix, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node[:3]):
            found.extend(_places(value, (*prefix, i)))
    return found


def _put(node: Any, place: tuple[Any, ...], value: Any) -> Any:
    if not place:
        return value
    head, *rest = place
    if isinstance(node, dict):
        return {**node, head: _put(node.get(head), tuple(rest), value)}
    copy = list(node)
    copy[head] = _put(copy[head], tuple(rest), value)
    return copy


@st.composite
def mutated_texts(draw: st.DrawFn) -> bytes:
    """A real body, a page's meta url perhaps naming a Page or PageSize no client reads back, with up
    to three members replaced by hostile values, as JSON text."""
    doc = draw(st.sampled_from(BODIES))
    if draw(st.booleans()):
        doc = draw(requeried(doc))
    for _ in range(draw(st.integers(0 if "meta" in doc else 1, 3))):
        doc = _put(doc, draw(st.sampled_from(_places(doc, ())[1:])), draw(hostile_values))
    text = write(doc, draw(st.sampled_from([None, 2])), draw(st.booleans()))
    return text.encode("utf-8", "surrogatepass")


def _refuse(name: str) -> Any:
    raise ValueError(name)


def _strict(data: bytes) -> Any:
    """The document a strict JSON parser reads from UTF-8 (``json.loads`` of bytes would let a
    surrogate's bytes through; NaN and Infinity are not JSON), or raises ``ValueError``."""
    return json.loads(data.decode("utf-8"), parse_constant=_refuse)


def _seen(report: Any) -> tuple[bool, set[tuple[str, str, str]]]:
    return report.ok, {(v.rule, v.path, v.severity) for v in report.findings}


def _page_with(member: str, raw: str) -> bytes:
    """The example page, its ``meta.<member>`` written as ``raw``."""
    page = json.loads((ROOT / "examples" / "binding-page.json").read_text("utf-8"))
    page["meta"][member] = Raw(raw)
    return write(page, None, True).encode()


_EXAMPLE_META = json.loads((ROOT / "examples" / "binding-page.json").read_text("utf-8"))["meta"]
_URL, _NEXT = json.dumps(_EXAMPLE_META["url"]), json.dumps(_EXAMPLE_META["next_page_url"])


class TestOnePayloadOneReport:
    @settings(max_examples=FUZZ_EXAMPLES)
    @example(b'{"meta": {"page": 18446744073709551616}, "bindings": []}', "auto")
    @example(b'{"code": -9223372036854775809, "message": "x", "more_info": "y", "status": 404}', "error")
    @example(b'{"code": 1' + b"0" * 4300 + b', "status": 404, "message": "m", "more_info": "u"}', "error")
    @example(b'{"status": 1e400, "code": 20404, "message": "m", "more_info": "u"}', "error")
    @example(b'{"status": -1e400, "code": 20404, "message": "m", "more_info": "u"}', "error")
    # found by the fuzz: orjson writes an infinity as null, so the parsed page looked valid
    @example(_page_with("previous_page_url", "1e400"), "auto")
    # found by the fuzz: a page of 4,300 digits is read, but page + 1 could not be written in a message
    @example(_page_with("page", "9" * 4300), "auto")
    @example(_page_with("next_page_url", _NEXT.replace("Page=1", "Page=x")), "auto")
    @example(_page_with("url", _URL.replace("PageSize=", "PageSize=%2B")), "binding-page")
    @example(_page_with("previous_page_url", _URL.replace("Page=0", "Page=\u0665")), "auto")
    @given(data=mutated_texts(), kind=st.sampled_from(["auto", *KINDS]))
    def test_text_parsed_document_and_reference_path_agree(self, data: bytes, kind: str) -> None:
        as_text = check(data, kind)
        try:
            doc = _strict(data)
        except (ValueError, RecursionError):
            # Not JSON this parser reads (an integer past 4,300 digits, a lone surrogate's bytes): the
            # text draws one finding, that it is not JSON.
            assert {v.rule for v in as_text.findings} == {"response.json"}
            return
        seen = _seen(as_text)
        reference = check_parsed(doc, kind, parsed=False, fast=False)
        reports = [("dict", check(doc, kind)), ("reference", reference)]
        try:  # as the command line and cassettes judge it: parsed by parse_json, the text known
            reports.append(("read", check_parsed(parse_json("payload", data), kind, text=data)))
        except InputError:  # nested too deep: bad input to the command line (exit 2), no report
            assert as_text.findings[0].rule == "response.json"
        for path, report in reports:
            other = _seen(report)
            assert other == seen, (path, other[0], seen[0], other[1] ^ seen[1])

    @settings(max_examples=FUZZ_EXAMPLES)
    @example(b'{"sid": "BS\xed\xa0\x80", "k\xed\xa0\x80": 1}', "auto")
    @example(b'{"identity": "\xed\xa0\xbd\xed\xb8\x80"}', "binding")  # a pair, raw: two surrogates
    @example(b'\xef\xbb\xbf{"sid": "\xed\xa0\x80"}', "auto")
    @example(b"[\xed\xa0\x80]", "auto")
    @given(data=mutated_texts(), kind=st.sampled_from(["auto", *KINDS]))
    def test_a_str_holding_a_raw_lone_surrogate_is_judged_as_the_document_it_reads_as(
        self, data: bytes, kind: str
    ) -> None:
        """A str is text already decoded: ``check(s)`` judges what ``json.loads(s)`` reads, lone
        surrogates and all, as ``check(json.loads(s))`` does (not "not UTF-8")."""
        text = data.decode("utf-8", "surrogatepass")
        as_text = check(text, kind)
        try:
            doc = json.loads(text.removeprefix("\ufeff"), parse_constant=_refuse)
        except (ValueError, RecursionError):
            assert {v.rule for v in as_text.findings} == {"response.json"}
            return
        assert _seen(as_text) == _seen(check(doc, kind))

    def test_a_lone_surrogate_keeps_every_pattern_finding_on_the_reference_path(self) -> None:
        page = json.loads((ROOT / "examples" / "binding-page.json").read_text("utf-8"))
        page["bindings"][0]["credential_sid"] += "\n"
        page["bindings"][1]["identity"] = "a\ud800"  # jsonschema-rs cannot take it: the reference path
        found = {(v.rule, v.path) for v in check(page).findings}
        assert ("schema.pattern", "/bindings/0/credential_sid") in found


class TestPageNumbersInMetaUrls:
    @given(data=st.data(), kind=st.sampled_from(["auto", "binding-page"]))
    def test_a_page_or_page_size_no_client_reads_back_is_a_finding_of_that_url_on_every_path(
        self, data: st.DataObject, kind: str
    ) -> None:
        page = json.loads((ROOT / "examples" / "binding-page.json").read_text("utf-8"))
        doc = data.draw(requeried(page))
        text = write(doc, None, data.draw(st.booleans())).encode("utf-8", "surrogatepass")
        unread = {
            f"/meta/{key}"
            for key, url in doc["meta"].items()
            if isinstance(url, str)
            for name in ("Page", "PageSize")
            if (spelt := parse_qs(urlsplit(url).query, keep_blank_values=True).get(name))
            and ascii_int(spelt[-1]) is None
        }
        reports = [check(text, kind), check(doc, kind), check_parsed(doc, kind, parsed=False, fast=False)]
        for report in reports:
            found = {v.path for v in report.findings if "which is not a number" in v.message}
            assert found == unread
            assert _seen(report) == _seen(reports[0])
            assert {v.rule for v in report.findings if v.path in unread} <= {
                "page.meta-url",
                "page.first-page-url",
                "page.previous-page-url",
                "page.next-page-url",
                "schema.format",
            }
