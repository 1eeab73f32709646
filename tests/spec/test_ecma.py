"""Schema patterns read as ECMA-262 reads them: ``$`` is the end of the string, not "before a final
newline" as in Python's ``re``; the reference path and jsonschema-rs agree on it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from binding_contracts.checking.entry import check_parsed
from binding_contracts.spec import facts
from binding_contracts.spec.ecma import search, translate
from binding_contracts.spec.schemas import defs
from binding_contracts.strategies import payloads
from conftest import fewer_examples

SID_PATTERNS = [str(node["pattern"]) for node in defs().values() if "pattern" in node]
SID_KINDS = [kind for kind in ("binding", "user-binding") if facts.sid_members(kind)]


@pytest.mark.parametrize("pattern", SID_PATTERNS)
@given(data=st.data())
def test_a_sid_pattern_matches_exactly_the_whole_sids(pattern: str, data: st.DataObject) -> None:
    # from_regex follows Python's reading, so it offers SIDs with a newline after them.
    text = data.draw(st.from_regex(pattern) | st.text(max_size=40))
    whole = re.fullmatch(pattern.removeprefix("^").removesuffix("$"), text)
    assert search(pattern, text) is (whole is not None)


@given(st.text(max_size=12))
def test_an_anchor_at_the_end_refuses_a_final_newline(text: str) -> None:
    pattern = f"^{re.escape(text)}$"
    assert search(pattern, text)
    assert not search(pattern, text + "\n")


@pytest.mark.parametrize(
    ("pattern", "written"),
    [
        ("^a$", r"^a\Z"),
        (r"a\$", r"a\$"),
        ("[$]$", r"[$]\Z"),
        (r"[\]$]b", r"[\]$]b"),
        (r"\\$", r"\\\Z"),
    ],
)
def test_translate_touches_the_anchor_only(pattern: str, written: str) -> None:
    assert translate(pattern) == written


@pytest.mark.parametrize("kind", SID_KINDS)
@pytest.mark.parametrize("fast", [True, False])
@fewer_examples(2)
@given(data=st.data())
def test_a_sid_with_a_final_newline_breaks_its_pattern(kind: str, fast: bool, data: st.DataObject) -> None:
    doc = data.draw(payloads(kind))
    member = data.draw(st.sampled_from(sorted(facts.sid_members(kind))))
    doc[member] = f"{doc[member]}\n"
    for profile in ("strict", "published"):
        report = check_parsed(doc, kind, profile, parsed=False, fast=fast)
        assert ("schema.pattern", f"/{member}") in {(v.rule, v.path) for v in report.findings}
