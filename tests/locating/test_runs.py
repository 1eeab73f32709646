"""The fast ways of placing agree with the exact ones they stand in for, place for place: a quoted
YAML line mapped as runs (its escapes found by splitting it) with the map of a piece per escape; a
JSON container skipped, and a member read, by one regular expression with the scan of its tokens;
an object read as far as a member needs with one read to its end."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from binding_contracts.locating import jsontext, yamltext
from binding_contracts.locating.cassette_places import locate_findings
from binding_contracts.locating.positions import QuotedLine

# every character a double- or single-quoted scalar escapes or folds, and some it writes as it is
_TRICKY = st.sampled_from(list("\"\\'\t \n\r/{}:#-,[]\x00\x1b\x85\u2028\xa0é\U0001f600\ud800"))
_OTHER = st.characters(codec="utf-8")  # no lone surrogate
texts = st.text(_TRICKY | _OTHER, max_size=40)
STYLES = ['"', "'", None, "|"]


def _pieces_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamltext, "_run", lambda *args: False)
    monkeypatch.setattr(yamltext, "_quoted_line", lambda *args: None)


def _scalar(text: str) -> Any:
    return [e for e in yaml.parse(text) if isinstance(e, yaml.ScalarEvent)][1]


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from(STYLES), st.sampled_from([8, 30, 1 << 20]))
@example('a\\"b\\\\"c\\xFC\\n', '"', 1 << 20)
@example("it's ''quoted''", "'", 1 << 20)
@example('"\t"', '"', 1 << 20)
@example('{"a":"b\\"c","d":"\\\\"}', '"', 1 << 20)
def test_a_line_mapped_as_runs_maps_as_a_piece_per_escape(value: str, style: str | None, width: int) -> None:
    try:
        text = yaml.safe_dump({"k": value}, default_style=style, width=width)
    except yaml.YAMLError:
        return
    _same_map(text)


@settings(max_examples=200, deadline=None)
@given(texts, st.sampled_from([("\\xE9", "\\u00e9"), ('\\"', "\\x22"), ("/", "\\/"), ("\\\\", "\\x5C")]))
@example('a"b', ('\\"', "\\x22"))
def test_escapes_the_emitter_does_not_write_map_as_a_piece_per_escape(
    value: str, swap: tuple[str, str]
) -> None:
    text = yaml.safe_dump({"k": value}, default_style='"', width=1 << 20).replace(*swap)
    try:
        _scalar(text)
    except yaml.YAMLError:
        return
    _same_map(text)


def _same_map(text: str) -> None:
    """The map of the scalar in ``text`` made by every fast way is the map of a piece per escape."""
    event = _scalar(text)
    fast = yamltext.scalar_map(text, event)
    with pytest.MonkeyPatch.context() as patch:
        _pieces_only(patch)
        exact = yamltext.scalar_map(text, event)
    assert (fast is None) == (exact is None)
    if fast is None or exact is None:
        return
    assert fast.text() == exact.text()
    offsets = range(len(fast.text()) + 2)
    for offset in [*offsets, *reversed(offsets), *offsets[::3]]:  # asked in any order
        assert fast.source(offset) == exact.source(offset), (text, offset)


def _tokens_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scanner step by step: containers token by token, members and elements a step at a time,
    every object read to its end."""
    never = re.compile("(?!)")
    monkeypatch.setattr(jsontext, "_CONTAINER", never)
    monkeypatch.setattr(jsontext, "_MEMBER", never)
    monkeypatch.setattr(jsontext, "_ELEMENT", never)
    monkeypatch.setattr(jsontext.Index, "_again", lambda *args: True)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from('[]{}"\\a ,:\n'), min_size=1, max_size=30))
@example("[" * 40 + "]" * 40)
@example('[{"a": "]"}, "\\"]"]')
def test_a_container_skipped_by_one_match_ends_where_its_tokens_do(text: str) -> None:
    opens = [i for i, c in enumerate(text) if c in "[{"]
    fast = [jsontext.value_end(text, i) for i in opens]
    with pytest.MonkeyPatch.context() as patch:
        _tokens_only(patch)
        assert fast == [jsontext.value_end(text, i) for i in opens]


bodies = st.recursive(
    st.none() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)


def _pointers(doc: Any, ptr: str = "") -> list[str]:
    out = [ptr]
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += _pointers(value, f"{ptr}/{key.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(doc, list):
        for n, value in enumerate(doc):
            out += _pointers(value, f"{ptr}/{n}")
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(bodies, min_size=1, max_size=3), st.sampled_from(STYLES), st.booleans())
def test_findings_are_placed_as_the_exact_maps_place_them(
    docs: list[Any], style: str | None, wide: bool
) -> None:
    """Every member of every body of a cassette, in every YAML style, at the same line and column."""
    strings = [json.dumps(doc, ensure_ascii=False) for doc in docs]
    interactions = [{"request": {"uri": "u"}, "response": {"body": {"string": s}}} for s in strings]
    text = yaml.safe_dump({"interactions": interactions}, default_style=style, width=1 << 20 if wide else 40)
    findings = {n: (s, _pointers(doc)) for n, (s, doc) in enumerate(zip(strings, docs, strict=True))}
    fast = locate_findings(text, is_json=False, findings=findings)
    with pytest.MonkeyPatch.context() as patch:
        _pieces_only(patch)
        _tokens_only(patch)
        assert fast == locate_findings(text, is_json=False, findings=findings)


json_texts = st.text(st.sampled_from('[]{}"\\a1 ,:\n\x0c'), max_size=40) | bodies.map(json.dumps)


@settings(max_examples=300, deadline=None)
@given(json_texts, st.lists(st.text(st.sampled_from("a0 "), max_size=2), max_size=4))
@example('{"a": 1, "b": {"a": 2}, "a": 3}', ["a"])
@example('{"a": [1, {"x": "y"}], "b": "\\u0061"}', ["b"])
def test_members_read_in_one_match_are_read_as_step_by_step(text: str, pointer: list[str]) -> None:
    fast = jsontext.locate(text, pointer)
    with pytest.MonkeyPatch.context() as patch:
        _tokens_only(patch)
        assert fast == jsontext.locate(text, pointer)


@settings(max_examples=300, deadline=None)
@given(bodies, st.sampled_from(["a", "b", "", " "]), st.booleans())
@example({"b": ["a", {"a": 0}], "a": 1}, "a", False)
@example({"b": "a", "a": {"a": [0]}}, "a", True)
def test_a_member_jumped_to_is_the_member_read_step_by_step(doc: Any, name: str, nested: bool) -> None:
    """A member found at the first place its name is written where the members before it end is
    the one the members read one by one give, whatever values before it hold the name's text."""
    text = json.dumps({"x": {"y": doc, name: doc}} if nested else doc)
    for pointer in _pointers(json.loads(text)):
        fast = jsontext.locate(text, pointer + "/" + name)
        with pytest.MonkeyPatch.context() as patch:
            _tokens_only(patch)
            assert fast == jsontext.locate(text, pointer + "/" + name)


@settings(max_examples=300, deadline=None)
@given(json_texts | st.builds(lambda doc: json.dumps([doc, [doc], {"a": doc}]), bodies), st.integers(0, 3))
@example('[1, 01, "a"x, 2]', 1)
@example("[NaN, -Infinity, 1e999, 2]", 3)
@example('[{"a": [1, 2]} , "\\u00e9"]', 1)
def test_elements_read_by_the_json_scanner_are_read_as_token_by_token(text: str, index: int) -> None:
    """An element whose end the standard library's scanner reads starts where the tokens say."""
    pointers = [f"/{index}", f"/{index}/0", f"/{index}/a", "/2/a/0"]
    fast = [jsontext.locate(text, p) for p in pointers]
    with pytest.MonkeyPatch.context() as patch:
        _tokens_only(patch)
        patch.setattr(jsontext, "_scanned_end", lambda text, i: None)
        assert fast == [jsontext.locate(text, p) for p in pointers]


_NAMES = st.sampled_from(["a", "b", "a b"])
_TRAPS = st.sampled_from(["a", '"a":', '\\"a\\"', '{"a": 1}', "[a]"]) | bodies


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.dictionaries(_NAMES | texts, _TRAPS, max_size=4), min_size=1, max_size=4),
    _NAMES,
    st.booleans(),
)
@example([{"b": "a", "a": 1}], "a", False)
@example([{"b": {"a": 0}, "a": 1}], "a", True)
@example([{"b": 'x\\"a', "a": 1}], "a", False)
@example([{"b": {"a": 0}}], "a", False)
@example([{'x"a': 1}], "a", False)
def test_a_member_of_an_element_the_scanner_read_is_the_member_read_step_by_step(
    items: list[dict[str, Any]], name: str, indent: bool
) -> None:
    """A member of a valid JSON element found where its name is first written as a name, whatever
    the values and nested objects before it hold, is the one the members read one by one give."""
    text = json.dumps(items, indent=2 if indent else None)
    pointers = [f"/{n}/{name.replace('~', '~0').replace('/', '~1')}" for n in range(len(items))]
    fast = [jsontext.Index(text).locate(p) for p in pointers]
    with pytest.MonkeyPatch.context() as patch:
        _tokens_only(patch)
        patch.setattr(jsontext, "_scanned_end", lambda text, i: None)
        assert fast == [jsontext.Index(text).locate(p) for p in pointers]


def test_a_json_body_on_one_line_in_double_quotes_maps_without_a_piece_per_escape() -> None:
    for value in ('{"a":"b\\"c","d":"\\\\"}', '{"a":"é\\u0438\U0001f600\\\\x41"}'):
        text = yaml.safe_dump({"k": value}, default_style='"', width=1 << 20)
        assert isinstance(yamltext.scalar_map(text, _scalar(text)), QuotedLine), text
    folded = yaml.safe_dump({"k": '{"a":"b c d e f"}'}, default_style='"', width=8)
    assert not isinstance(yamltext.scalar_map(folded, _scalar(folded)), QuotedLine)
