"""Untrusted text as every output writes it: one line that no terminal or CI runner executes and that
every format's grammar takes.

Whatever a payload, a cassette, a spec or a file name holds reaches stdout and stderr only through
:func:`printable` (a line of text) or :func:`printable_json` (a JSON document's strings): a character
Python's ``repr`` would escape (C0 and C1 controls, DEL, line and paragraph separators, bidi and
other format controls, lone surrogates, noncharacters such as U+FFFE) is written as ``repr`` writes
it (``\\x1b``, ``\\n``, ``\\u202e``, ``\\ud800``); a ``:`` that would open a GitHub Actions workflow
command (``::`` at the start of a line) and the ``#`` that opens a legacy, Azure Pipelines or
TeamCity command (``##[``, ``##vso[``, ``##teamcity[``) are written ``\\x3a`` and ``\\x23``. A
backslash is left as it is: the escapes are for reading, not for decoding. docs/cli.md, "Untrusted
text in output", says the same.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Final

__all__ = ["json_text", "printable", "printable_json"]

_NAMED: Final = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_LOGGING_COMMAND: Final = re.compile(r"#(?=#(?:vso|teamcity)?\[)", re.IGNORECASE)
"""The ``#`` that opens ``##[command]`` (GitHub's legacy form), ``##vso[command]`` (Azure
Pipelines) or ``##teamcity[message]`` (TeamCity), which runners may look for anywhere in a line."""


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` as one line of printable characters that no runner reads as a command (see the
    module's docstring); text that needs none of it is returned as it is. Applying it twice changes
    nothing more."""
    if not text.isprintable():
        text = "".join(c if c.isprintable() else _escape(c) for c in text)
    if text.lstrip(" ").startswith("::"):  # runners trim a line before looking for "::"
        at = text.index(":")
        text = f"{text[:at]}\\x3a{text[at + 1 :]}"
    if "##" in text:
        text = _LOGGING_COMMAND.sub(r"\\x23", text)
    return text


def printable_json(value: Any) -> Any:
    """A JSON value with every string in it, member names too, made :func:`printable`: what a JSON
    output (``--format json``, ``sarif``, ``gitlab``) writes, so that its text holds nothing the
    text output would not."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, Mapping):
        return {printable(str(k)): printable_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable_json(v) for v in value]
    return value


def json_text(value: Any) -> str:
    """The JSON document every JSON output prints: :func:`printable_json`, indented, non-ASCII
    characters written as they are (valid UTF-8: no lone surrogate is left to encode)."""
    return json.dumps(printable_json(value), indent=2, ensure_ascii=False)
