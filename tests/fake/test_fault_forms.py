"""Every fault's text form is written once (``fake.faults.FORMS``) and said in three places that
must agree: the parser (``Fault.parse``), ``serve --inject``'s help and docs/fake.md."""

from __future__ import annotations

import argparse
import re
from typing import get_args

import pytest

from binding_contracts.cli.main import build_parser
from binding_contracts.fake.faults import FORMS, Fault, FaultKind
from conftest import ROOT

EXAMPLE_OF: dict[str, str] = {"SECONDS": "0.1", "RULE": "page.key", "RETRY_AFTER": "2"}
"""A value for each placeholder of a form."""


def example(form: str) -> str:
    """The form with its optional parts written and its placeholders filled."""
    text = form.replace("[", "").replace("]", "")
    return re.sub(r"[A-Z_]+", lambda m: EXAMPLE_OF[m.group()], text)


def _serve() -> argparse.ArgumentParser:
    commands = next(a for a in build_parser("serve")._actions if isinstance(a, argparse._SubParsersAction))
    parser: argparse.ArgumentParser = commands.choices["serve"]
    return parser


def name(form: str) -> str:
    return re.split(r"[:\[]", form)[0]


@pytest.mark.parametrize("form", FORMS)
def test_a_form_parses_and_serve_s_help_and_the_docs_name_it(form: str) -> None:
    Fault.parse(example(form))
    Fault.parse(f"read-bindings={example(form)}")
    inject = next(a for a in _serve()._actions if "--inject" in a.option_strings)
    assert form in (inject.help or "").split(": ", 1)[1].split(", ")
    faults = (ROOT / "docs" / "fake.md").read_text("utf-8").split("- **Faults**", 1)[1].split("\n- ", 1)[0]
    assert re.search(rf"[`\"=]{re.escape(name(form))}\b", faults), f"say {form} in docs/fake.md's Faults"


def test_every_kind_of_fault_has_a_form() -> None:
    assert {Fault.parse(example(form)).kind for form in FORMS} == set(get_args(FaultKind))
