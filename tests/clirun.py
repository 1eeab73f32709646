"""Running the command line in-process, and the files and assertions its tests share."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any, Final
from xml.etree import ElementTree as ET

from hypothesis import strategies as st

from binding_contracts.cli.main import run


def call(*argv: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err, io.BytesIO(stdin) if stdin is not None else None)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, name: str, content: bytes | str | Any) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return str(path)


def input_path(tmp_path: Path, content: bytes | str | Path | Any) -> str:
    """A path to give a command: None a missing file, "DIR" a directory, a Path itself, else a
    file written with ``content``."""
    if content is None:
        return str(tmp_path / "nope.json")
    if content == "DIR":
        return str(tmp_path)
    if isinstance(content, Path):
        return str(content)
    return write(tmp_path, "in.json", content)


def assert_bad_input(code: int, err: str, path: str, problem: str) -> None:
    """Exit 2, and one line on stderr that names the file and the problem (no traceback)."""
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith(f"binding-contracts: error: {path}: ")
    assert problem in err
    assert "Traceback" not in err


HOSTILE: Final = (
    "\x1b[31m",  # ANSI: a colour
    "\x1b]8;;https://evil.example\x07",  # OSC 8: a hyperlink
    "\x1b]0;title\x1b\\",  # OSC: the window title
    "\x9b31m",  # C1 CSI
    "\x85",  # C1 NEL: a line break to some readers
    "\n::add-mask::z",
    "\r\n::error file=README.md,line=1::forged",
    "::warning::x",
    "  ::notice::indented",
    "%0A::add-mask::y",
    "##vso[task.setvariable variable=x]1",
    "##[set-env name=x;]y",
    "##teamcity[setParameter name='x' value='y']",
    "\u202e",
    "\u202a",
    "\u2066",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u2028",
    "\u2029",
    "\x00",
    "\x0c",
    "\x0b",
    "\t",
    "\x7f",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
    "\udcff",  # an undecodable byte of a file name, as Python keeps it
    "\\x1b",  # an escape's own text
    "é漢😀",
    " ",
    "a",
    ":",
    "#",
)
"""Fragments that a payload, a cassette, a spec or a file name may carry into an output."""

hostile_text = st.one_of(
    st.lists(st.sampled_from(HOSTILE), max_size=6).map("".join),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=40),
)

FORBIDDEN: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
"""What no output line may hold raw: C0, DEL, C1, line and paragraph separators, bidi controls,
lone surrogates, the noncharacters XML 1.0 forbids."""
LOGGING_COMMAND: Final = re.compile(r"##(vso|teamcity)?\[", re.IGNORECASE)


def assert_safe_line(line: str) -> None:
    """One line no runner or terminal executes and every format's grammar takes."""
    assert line.isprintable(), ascii(line)
    assert FORBIDDEN.search(line) is None, ascii(line)
    line.encode("utf-8")  # strict: no lone surrogate left
    assert not line.lstrip(" ").startswith("::"), ascii(line)
    assert LOGGING_COMMAND.search(line) is None, ascii(line)


CI_COMMAND: Final = re.compile(
    r"^::(error|warning) (file=[^,:]+,line=[0-9]+,col=[0-9]+,)?title=[A-Za-z0-9._-]+::"
)
"""A workflow command as ``--format github`` writes it: the only line that may start with ``::``."""


def assert_output(fmt: str, text: str) -> None:
    """What a command wrote on stdout or stderr in format ``fmt``: every line safe (a command's line
    but for its own opening), and the document well-formed in its format's grammar."""
    for line in text.split("\n"):
        if fmt == "github" and CI_COMMAND.match(line):
            line = line[line.index("::", 2) + 2 :]
        assert_safe_line(line)
    if fmt == "junit":
        ET.fromstring(text)
    elif fmt in ("json", "sarif", "gitlab"):
        doc = json.loads(text.encode("utf-8"))
        if fmt == "gitlab":
            fingerprints = [issue["fingerprint"] for issue in doc]
            assert len(set(fingerprints)) == len(fingerprints)
