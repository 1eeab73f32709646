"""A lone surrogate anywhere in a document (a member's value or name, an item's, a link's), spelt as an
escape in JSON text or held by a Python str: every path gives one report, and jsonschema-rs is never
handed a str that has no UTF-8 (jsonschema-rs 0.41, the lowest version allowed, raises SystemError
on such a value and crashes the interpreter on such a member name)."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from binding_contracts import check
from binding_contracts.checking import entry
from binding_contracts.checking.entry import check_parsed
from conftest import ROOT

BODIES = [json.loads(p.read_text("utf-8")) for p in sorted((ROOT / "examples").glob("*.json"))]
LONE = ["\ud800", "a\udfff", "\udbff\udbff", "x\ud83d"]
"""Lone surrogates, high and low, alone and beside text (a pair is one character: not among them)."""


def _objects(node: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The places of every object in a document (its first items' only)."""
    found = [where] if isinstance(node, dict) else []
    children = (
        node.items() if isinstance(node, dict) else enumerate(node[:2]) if isinstance(node, list) else ()
    )
    for key, child in children:
        found += _objects(child, (*where, key))
    return found


def _at(doc: Any, where: tuple[Any, ...]) -> Any:
    for step in where:
        doc = doc[step]
    return doc


@st.composite
def with_a_lone_surrogate(draw: st.DrawFn) -> Any:
    """A real body, one of its objects given a lone surrogate as a member's value or as a member's name."""
    doc = json.loads(json.dumps(draw(st.sampled_from(BODIES))))
    obj = _at(doc, draw(st.sampled_from(_objects(doc))))
    lone = draw(st.sampled_from(LONE))
    if draw(st.booleans()) and obj:
        obj[draw(st.sampled_from(sorted(obj)))] = lone
    else:
        obj[lone] = draw(st.sampled_from(["x", lone, 1]))
    return doc


@pytest.fixture
def no_lone_surrogate_to_jsonschema_rs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails a test in which jsonschema-rs is handed a document orjson cannot write (orjson refuses a
    lone surrogate): whatever the version installed, the class of crash is caught."""
    compiled = entry.compiled_violations

    def guarded(doc: Any, kind: str, profile: str, *, parsed: bool = False) -> Any:
        if parsed:
            orjson.dumps(doc)  # raises on a lone surrogate in a value or a member's name
        return compiled(doc, kind, profile, parsed=parsed)

    monkeypatch.setattr(entry, "compiled_violations", guarded)


@pytest.mark.usefixtures("no_lone_surrogate_to_jsonschema_rs")
@given(doc=with_a_lone_surrogate(), kind=st.sampled_from(["auto", "binding", "binding-page", "error"]))
def test_text_dict_and_reference_path_give_one_report(doc: Any, kind: str) -> None:
    text = json.dumps(doc).encode()  # the surrogate as an escape: valid JSON text
    assert b"\\ud" in text
    reports = [
        check(text, kind),
        check(doc, kind),
        check_parsed(json.loads(text), kind, text=text),  # as the command line and cassettes read it
        check_parsed(json.loads(text), kind),  # a parser's document without its text
        check_parsed(doc, kind, parsed=False, fast=False),
    ]
    seen = [(r.ok, {(v.rule, v.path, v.severity) for v in r.findings}) for r in reports]
    assert all(s == seen[-1] for s in seen), seen
