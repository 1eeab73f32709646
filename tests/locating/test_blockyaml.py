"""vcrpy's regular layout read without the YAML parser (``locating/blockyaml.py``) gives what the
parser gives, or nothing: the same document (the cassette loader's own safe loader) and the same
marks (PyYAML's events), on the bundled cassettes, on documents PyYAML writes in every style and
width, and on those texts made hostile (comments, anchors, tags, flow style, odd quoting, CRLF,
tabs, a BOM, several documents). Findings are placed from the bytes where the events place them."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_runs import _pointers

from binding_contracts.errors import InputError
from binding_contracts.locating import blockyaml
from binding_contracts.locating.cassette_places import locate_findings, locate_in_file, locate_regular
from binding_contracts.locating.positions import Lines
from binding_contracts.traffic import cassette_files
from binding_contracts.traffic.cassette_files import _Loader

CASSETTES = sorted((Path(__file__).parents[2] / "cassettes").glob("*.yaml"))

# every character YAML quotes, escapes or folds, and some it writes as it is
_TRICKY = st.sampled_from(list("\"\\'\t \n\r/{}:#-,[]&*!|>?%@`~\x00\x1b\x85\u2028\xa0é\U0001f600"))
texts = st.text(_TRICKY | st.characters(codec="utf-8"), max_size=30)
words = st.sampled_from(
    ["a", "Content-Type", "yes", "on", "null", "1", "1.5", "2021-01-01", "x y", "<<", "="]
)
scalars = st.none() | st.booleans() | st.integers(-(10**20), 10**20) | texts | words
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(words | texts, inner, max_size=3),
    max_leaves=10,
)


quoted_bodies = st.builds(lambda doc, tail: json.dumps(doc, ensure_ascii=False) + tail, documents, texts)
"""Bodies PyYAML writes in double quotes (a character it escapes, such as one past ASCII, beside the
quotes of JSON), folded at the width with escaped line breaks."""


def _cassette(bodies: list[str], extra: Any) -> dict[str, Any]:
    interactions = [
        {
            "request": {"body": None, "headers": {}, "method": "GET", "uri": "https://example.com/a?b=1"},
            "response": {
                "body": {"string": body},
                "headers": {"Content-Type": ["application/json"], "X-Extra": extra},
                "status": {"code": 200, "message": "OK"},
            },
        }
        for body in bodies
    ]
    return {"interactions": interactions, "version": 1}


def _dumped(doc: Any, style: str | None, width: int, unicode: bool) -> bytes:
    return yaml.dump(
        doc, Dumper=yaml.SafeDumper, default_style=style, width=width, allow_unicode=unicode
    ).encode("utf-8")


def _events(data: bytes) -> list[tuple[Any, ...]]:
    """The nodes of ``data`` as PyYAML's events mark them, in document order, keys left out."""
    out: list[tuple[Any, ...]] = []
    open_: list[list[Any]] = []  # per open collection: whether a mapping, and the nodes read in it
    for event in yaml.parse(data.decode("utf-8"), Loader=_Loader):
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            open_.pop()
            continue
        if not isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent | yaml.ScalarEvent):
            continue
        is_key = bool(open_) and open_[-1][0] and open_[-1][1] % 2 == 0
        if open_:
            open_[-1][1] += 1
        if isinstance(event, yaml.ScalarEvent):
            if not is_key:
                out.append(
                    ("scalar", event.start_mark.index, event.end_mark.index, event.value, event.style or "")
                )
        else:
            if not is_key:
                out.append(("collection", event.start_mark.index))
            open_.append([isinstance(event, yaml.MappingStartEvent), 0])
    return out


def _nodes(data: bytes, node: blockyaml.Node) -> list[tuple[Any, ...]]:
    """The same list from the regular reader's nodes."""
    if isinstance(node, blockyaml.Scalar):
        return [("scalar", node.start, node.end, blockyaml.text(data, node), node.style)]
    out: list[tuple[Any, ...]] = [("collection", node.start)]
    for _, child in node.members:
        out += _nodes(data, child)
    return out


def _same_as_the_parser(data: bytes) -> bool:
    """Whether the regular reader read ``data`` (False: it left it to the parser), asserting that
    what it read is what the parser reads, and that its layout knows these bytes from others."""
    layout, doc = blockyaml.document(data)
    if layout is None:
        return False
    assert doc == yaml.load(data, Loader=_Loader)
    assert layout.root == blockyaml.read(data)
    lines = layout.lines(io.BytesIO(data))
    assert lines is not None
    assert lines.starts == Lines(data.decode(), yaml=True).starts
    assert layout.lines(io.BytesIO(data + b"\n")) is None
    assert layout.lines(io.BytesIO(data[:-1] + b"#")) is None
    assert _nodes(data, layout.root) == _events(data)
    return True


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: p.name)
def test_the_bundled_cassettes_are_read_as_the_parser_reads_them(path: Path) -> None:
    assert _same_as_the_parser(path.read_bytes())


@settings(max_examples=300, deadline=None)
@given(
    st.lists(texts | documents.map(json.dumps) | quoted_bodies, min_size=1, max_size=3),
    documents,
    st.sampled_from([None, "'", '"']),
    st.sampled_from([20, 80, 1 << 20]),
    st.booleans(),
)
@example(['{"a": "it\'s"}'], None, None, 80, False)
@example(['a\\"b\\\\"c\u00fc\n\n x  '], "x", '"', 20, False)
@example(["  lead and trail  ", "\n\nempty lines\n\n"], [], "'", 20, False)
def test_what_pyyaml_writes_is_read_as_the_parser_reads_it(
    bodies: list[str], extra: Any, style: str | None, width: int, unicode: bool
) -> None:
    _same_as_the_parser(_dumped(_cassette(bodies, extra), style, width, unicode))


HOSTILE = [
    b"# a comment\n", b" # c", b"&a ", b"*a", b"!!str ", b"!!binary ", b"{a: 1}", b"[1, 2]", b"? ",
    b"---\n", b"...\n", b"--- \n", b"\r\n", b"\r", b"\t", b"\xef\xbb\xbf", b"|\n  x", b">\n  x",
    b"'", b'"', b"''", b'\\"', b"\\", b"\\x4", b"\\q", b": ", b"- ", b"-", b"\n", b"\n\n", b"  ",
    b" ", b"%YAML 1.1\n", b"<<: ", b"null", b"~", b"0x1F", b"1_000", b"\x85", b"\xc3\xa9", b"\\/",
    b"\\x41", b"\\u00e9", b"\\U0010FFFF", b"\\U00110000", b"\\N", b"\\ ", b"\\\n", b"\n  \n",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        texts | quoted_bodies | st.text(st.characters(min_codepoint=32, max_codepoint=126)),
        min_size=1,
        max_size=2,
    ),
    st.sampled_from([None, None, '"']),
    st.sampled_from([20, 1 << 20]),
    st.lists(st.tuples(st.floats(0, 1), st.sampled_from(HOSTILE), st.booleans()), min_size=1, max_size=3),
)
@example(["x"], None, 1 << 20, [(0.5, b"\r\n", True)])
@example(["x"], None, 1 << 20, [(1.0, b"---\nversion: 2\n", False)])
@example(["a b"], '"', 20, [(0.9, b"\\", False)])
def test_hostile_layouts_are_read_as_the_parser_reads_them_or_left_to_it(
    bodies: list[str], style: str | None, width: int, edits: list[tuple[float, bytes, bool]]
) -> None:
    data = _dumped(_cassette(bodies, None), style, width, False)
    for where, piece, replace in edits:
        at = int(where * len(data))
        data = data[:at] + piece + data[at + (len(piece) if replace else 0) :]
    try:
        yaml.load(data, Loader=_Loader)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        assert blockyaml.document(data) == (None, None)
        return
    _same_as_the_parser(data)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(documents, min_size=1, max_size=3),
    st.sampled_from([None, "'", '"']),
    st.booleans(),
    st.sampled_from(["same", "bytes", "other", "none", "not utf-8"]),
)
def test_findings_are_placed_from_the_bytes_as_the_events_place_them(
    docs: list[Any], style: str | None, wide: bool, judged: str
) -> None:
    """Whatever the body judged is beside the string: the same text, its bytes, another text (a
    body decoded from its string), none, bytes no UTF-8 string writes."""
    strings = [json.dumps(doc) for doc in docs]
    data = _dumped(_cassette(strings, None), style, 1 << 20 if wide else 40, False)
    bodies: dict[str, Any] = {
        "same": lambda s: s,
        "bytes": lambda s: s.encode(),
        "other": lambda s: s[:-1] + " ",
        "none": lambda s: None,
        "not utf-8": lambda s: s.encode() + b"\xff",
    }
    findings = {
        n: (bodies[judged](s), _pointers(doc)) for n, (s, doc) in enumerate(zip(strings, docs, strict=True))
    }
    placed = locate_regular(data, findings)
    if style is None:  # vcrpy's own layout: read without the parser
        assert placed is not None
    if placed is not None:
        assert placed == locate_findings(data.decode("utf-8"), is_json=False, findings=findings)
        layout = blockyaml.layout(data)
        assert layout is not None
        with tempfile.TemporaryFile() as file:
            file.write(data)
            file.seek(0)
            assert locate_in_file(file, layout, findings) == placed
            file.seek(0)
            file.write(b"#")  # changed since it was read: placed from the whole text instead
            file.seek(0)
            assert locate_in_file(file, layout, findings) is None


def _parsed(data: bytes) -> Any:
    try:
        cassette = cassette_files.parse("c.yaml", data)
    except InputError as exc:
        return str(exc)
    return cassette.interactions


@settings(max_examples=200, deadline=None)
@given(
    st.lists(texts | quoted_bodies | documents.map(json.dumps), min_size=0, max_size=3),
    documents,
    st.lists(
        st.tuples(st.floats(0, 1), st.sampled_from([*HOSTILE, b"version: 2\n", b"- "]), st.booleans()),
        max_size=2,
    ),
)
@example([], None, [(0.0, b"interactions: {}", True)])
@example(["x"], None, [(1.0, b"version: 2\n", False)])
def test_a_cassette_is_judged_the_same_read_either_way(
    bodies: list[str], extra: Any, edits: list[tuple[float, bytes, bool]]
) -> None:
    """``parse`` gives the same interactions, or the same one-line error, with the regular reader
    as with the YAML parser alone."""
    data = _dumped(_cassette(bodies, extra), None, 80, False)
    for where, piece, replace in edits:
        at = int(where * len(data))
        data = data[:at] + piece + data[at + (len(piece) if replace else 0) :]
    regular = _parsed(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(blockyaml, "layout", lambda data: None)
        assert regular == _parsed(data)


@pytest.mark.parametrize("depth", [10, 20, 40, 120])
def test_a_deep_cassette_is_read_alike_or_left_to_the_parser(depth: int) -> None:
    """Nesting past the deepest indent read goes to the parser: never a recursion error."""
    deep: Any = "x"
    for _ in range(depth):
        deep = {"k": [deep]}
    data = _dumped(_cassette(["{}"], deep), None, 80, False)
    read = _same_as_the_parser(data)
    assert read == (depth <= 20)
    assert _parsed(data) == _parsed(data)  # one answer, no traceback


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"code: 200", b"code: " + b"9" * 5000),
        (b"code: 200", b"code: 99999999999999999999"),
        (b"code: 200", b"code: -0"),
        (b"code: 200", b"code: 0x1F"),
        (b"version: 1", b"version: 1.0"),
        (b"version: 1", b"version: " + b"1" * 19),
        (b"message: OK", b"message: 2021-02-30"),
        (b"message: OK", b"message: yes"),
    ],
)
def test_a_plain_scalar_out_of_the_ordinary_is_read_alike(old: bytes, new: bytes) -> None:
    """A plain scalar no string, null or short integer is left to the parser: the same error line
    (an integer past Python's digits), or the same interactions."""
    data = _dumped(_cassette(["{}"], None), None, 80, False).replace(old, new)
    _same_as_the_parser(data)
    regular = _parsed(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(blockyaml, "layout", lambda data: None)
        assert regular == _parsed(data)
