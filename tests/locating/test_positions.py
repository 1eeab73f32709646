"""Positions: the place the scanner finds for a pointer is where a writer put that member, however
the JSON is written; inside cassettes, through YAML's quoting, folding and escapes."""

from __future__ import annotations

import copy
import gzip
import json
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from binding_contracts._json import escape
from binding_contracts.locating import jsontext, yamltext
from binding_contracts.locating.cassette_places import locate_findings
from binding_contracts.locating.positions import Lines, Position, position

Doc = dict[str, Any]

_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x85\u2028\u2029")
keys = st.text(_chars, max_size=8)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
values = st.recursive(
    scalars | st.text(_chars, max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)
documents = st.dictionaries(keys, values, max_size=6)


def _escaped(key: str) -> str:
    """A member name with every character as a \\u escape (two for a character past the BMP)."""
    units = key.encode("utf-16-be")
    return '"' + "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2)) + '"'


WRITERS: dict[str, tuple[str, str, str, Callable[[str], str], bool]] = {
    # name: (after an item, after a colon, indentation unit, the member name written, ensure_ascii)
    "compact": (",", ":", "", lambda k: json.dumps(k, ensure_ascii=False), False),
    "indented": (",", ": ", "  ", lambda k: json.dumps(k, ensure_ascii=False), False),
    "escaped": (", ", " : ", "", _escaped, True),
    "crlf": (",\r\n\t", ":\t", " ", lambda k: json.dumps(k), True),
}


def write(doc: Any, style: str) -> tuple[str, dict[str, int]]:
    """JSON text written in ``style``, and where each pointer's member name (an element: its value)
    starts: the oracle, written without the scanner."""
    comma, colon, unit, name, ascii_only = WRITERS[style]
    parts: list[str] = []
    spots: dict[str, int] = {"": 0}
    size = 0

    def emit(text: str) -> None:
        nonlocal size
        parts.append(text)
        size += len(text)

    def walk(value: Any, ptr: str, depth: int) -> None:
        newline = ("\n" + unit * (depth + 1)) if unit else ""
        if isinstance(value, dict):
            emit("{")
            for i, (k, v) in enumerate(value.items()):
                emit((comma if i else "") + newline)
                spots[f"{ptr}/{escape(k)}"] = size
                emit(name(k) + colon)
                walk(v, f"{ptr}/{escape(k)}", depth + 1)
            emit("}")
        elif isinstance(value, list):
            emit("[")
            for i, v in enumerate(value):
                emit((comma if i else "") + newline)
                spots[f"{ptr}/{i}"] = size
                walk(v, f"{ptr}/{i}", depth + 1)
            emit("]")
        else:
            emit(json.dumps(value, ensure_ascii=ascii_only))

    walk(doc, "", 0)
    return "".join(parts), spots


def at(text: str, where: Position) -> str:
    """The text from a line and column on, as an editor counts them (lines split at LF)."""
    return text.split("\n")[where.line - 1][where.column - 1 :]


class TestJsonText:
    @given(documents, st.sampled_from(sorted(WRITERS)))
    @example({"a": {"a~/b": [1, {"": None}]}}, "escaped")
    @example({"\U0001f600": "x", '"\\': {"/": 1}}, "crlf")
    def test_each_pointer_is_found_where_its_member_s_name_starts(self, doc: Doc, style: str) -> None:
        text, spots = write(doc, style)
        assert json.loads(text) == doc
        for ptr, offset in spots.items():
            spot = jsontext.locate(text, ptr)
            assert spot.found
            assert spot.start == offset, ptr
            assert at(text, position(text, offset)) == text[offset:].split("\n")[0]

    @given(documents)
    def test_a_member_that_is_missing_is_placed_at_the_nearest_member_that_is_not(self, doc: Doc) -> None:
        text, spots = write({"outer": doc}, "indented")
        spot = jsontext.locate(text, "/outer/\u0000missing/deeper")
        assert not spot.found
        assert spot.start == spots["/outer"]

    def test_a_member_named_twice_is_the_last_as_readers_take_it(self) -> None:
        text = '{"sid": 1, "x": {"sid": 2}, "sid": 3}'
        assert text[jsontext.locate(text, "/sid").start :].startswith('"sid": 3')

    def test_text_that_is_not_json_gives_the_deepest_place_reached(self) -> None:
        text = '{"links": {"user": [1, 2'
        assert jsontext.locate(text, "/links/user/1").start == text.index("2")
        assert jsontext.locate(text, "/links/user/5").start == text.index('"user"')
        assert jsontext.locate("", "/a").start == 0

    def test_lines_and_columns_are_1_based_and_count_characters(self) -> None:
        text = '{\n  "é": {\n    "ü": 1}}'
        assert position(text, jsontext.locate(text, "/é/ü").start) == Position(3, 5)


def cassette(bodies: list[Any], headers: dict[str, list[str]] | None = None) -> Doc:
    one = {
        "request": {"method": "GET", "uri": "https://chat.twilio.com/v2/Services/IS1/Bindings/BS1"},
        "response": {"status": {"code": 200}, "headers": headers or {}, "body": {"string": None}},
    }
    interactions = []
    for body in bodies:
        item = copy.deepcopy(one)
        item["response"]["body"]["string"] = body
        interactions.append(item)
    return {"version": 1, "interactions": interactions}


DUMPS: dict[str, Callable[[Doc], str]] = {
    "vcrpy": lambda doc: yaml.safe_dump(doc),
    "narrow": lambda doc: yaml.safe_dump(doc, width=24),
    "unicode": lambda doc: yaml.safe_dump(doc, allow_unicode=True, width=30),
    "double-quoted": lambda doc: yaml.safe_dump(doc, default_style='"', width=28),
    "one line": lambda doc: yaml.safe_dump(doc, width=1 << 30),
    "literal": lambda doc: yaml.safe_dump(doc, default_style="|"),
    "json": lambda doc: json.dumps(doc, indent=4),
    "json ascii": lambda doc: json.dumps(doc, ensure_ascii=True),
}


def pointers(doc: Any, ptr: str = "") -> dict[str, str | None]:
    """Every pointer in ``doc``, each with the member name it ends in (None: an array element)."""
    out: dict[str, str | None] = {}
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for k, v in items:
        here = f"{ptr}/{escape(k)}"
        out[here] = k if isinstance(k, str) else None
        out.update(pointers(v, here))
    return out


class TestCassettes:
    @given(documents, st.booleans(), st.sampled_from(sorted(DUMPS)))
    @example({"sid": "BS1", "meta": {"key": "it's"}}, False, "vcrpy")
    @example({"a": "x " * 30, "b": ["  y  "] * 5}, True, "narrow")
    def test_a_member_of_a_body_is_found_inside_the_body_string(
        self, doc: Doc, ascii_only: bool, dump: str
    ) -> None:
        body = json.dumps(doc, ensure_ascii=ascii_only)
        text = DUMPS[dump](cassette(["{}", body]))
        names = pointers(doc)
        wanted = list(names)
        findings = {1: (body.encode(), [*wanted, ""])}
        found = locate_findings(text, is_json=dump.startswith("json"), findings=findings)
        assert set(found) == {(1, p) for p in [*wanted, ""]}
        assert at(text, found[1, ""]).startswith("{")  # inside the string: its map was exact
        places = [found[1, p] for p in wanted]
        assert len(set(places)) == len(places)  # every member at a place of its own
        for ptr, where in zip(wanted, places, strict=True):
            written, name = at(text, where), names[ptr]
            if name is None:
                continue
            assert written.startswith(('"', '\\"')), (ptr, written)
            shown = json.dumps(name, ensure_ascii=ascii_only)  # as the body writes it
            if dump == "one line" and written.startswith('"') and "'" not in name:  # single-quoted
                assert written.startswith(shown)
            elif dump == "json":
                assert written.startswith(json.dumps(shown)[1:-1])

    def test_a_base64_body_is_placed_on_its_string(self) -> None:
        body = json.dumps({"sid": "BS1"}).encode()
        text = yaml.safe_dump(cassette([body]))
        where = locate_findings(text, is_json=False, findings={0: (body, ["/sid"])})[0, "/sid"]
        assert "string: !!binary" in text.split("\n")[where.line - 1]

    def test_a_gzip_body_is_placed_on_its_string(self) -> None:
        body = json.dumps({"sid": "BS1"}).encode()
        text = json.dumps(cassette([gzip.compress(body).decode("latin-1")], {"Content-Encoding": ["gzip"]}))
        where = locate_findings(text, is_json=True, findings={0: (body, ["/sid", ""])})
        assert where[0, "/sid"] == where[0, ""]
        assert at(text, where[0, "/sid"]).startswith('"\\u001f')

    def test_an_interaction_the_cassette_does_not_have_is_left_out(self) -> None:
        text = yaml.safe_dump(cassette(["{}"]))
        assert locate_findings(text, is_json=False, findings={3: (b"{}", ["/sid"])}) == {}
        assert locate_findings("{}", is_json=True, findings={0: (b"{}", ["/sid"])}) == {}

    def test_an_alias_is_placed_where_it_is_written(self) -> None:
        body = '{"sid": "BS1"}'
        doc = cassette([body])
        doc["interactions"].append(doc["interactions"][0])
        text = yaml.safe_dump(doc)
        where = locate_findings(text, is_json=False, findings={1: (body.encode(), ["/sid"])})[1, "/sid"]
        assert at(text, where).startswith("*id")


class TestLines:
    def test_yaml_counts_every_break_yaml_knows_json_only_lf(self) -> None:
        text = "a\r\nb\rc\x85d\u2028e\nf"
        offset = text.index("f")
        assert position(text, offset, yaml=True) == Position(6, 1)
        assert Lines(text, yaml=True).position(offset) == Position(6, 1)
        assert position(text, offset) == Lines(text).position(offset) == Position(3, 1)

    def test_many_offsets_are_placed_as_one_is(self) -> None:
        text = "x\n" * 5 + "\u00e9y\n"
        lines = Lines(text)
        for offset in range(len(text)):
            assert lines.position(offset) == position(text, offset)


class TestCassetteShapes:
    def test_interactions_without_a_body_string_do_not_lose_the_next_ones(self) -> None:
        doc = cassette(["{}", "{}", '{"sid": "BS1"}'])
        doc["interactions"][0]["response"]["body"] = {}
        del doc["interactions"][1]["response"]["body"]
        doc["interactions"][1]["response"]["extra"] = {"a": [1, {"b": 2}]}
        for dump in ("vcrpy", "json"):
            text = DUMPS[dump](doc)
            wanted = {i: (b'{"sid": "BS1"}', ["/sid"]) for i in range(3)}
            found = locate_findings(text, is_json=dump == "json", findings=wanted)
            lines = text.split("\n")
            assert "body" in lines[found[0, "/sid"].line - 1]
            assert at(text, found[1, "/sid"]).startswith(("extra", "{"))  # the response, without a body
            assert at(text, found[2, "/sid"]).startswith(('"sid"', '\\"sid\\"'))

    def test_a_body_stored_as_the_body_itself_is_read_as_older_vcrpy_wrote_it(self) -> None:
        doc = cassette(["{}"])
        doc["interactions"][0]["response"]["body"] = '{"sid": "BS1"}'
        for dump in ("vcrpy", "json"):
            text = DUMPS[dump](doc)
            found = locate_findings(text, is_json=dump == "json", findings={0: (b'{"sid": "BS1"}', ["/sid"])})
            assert at(text, found[0, "/sid"]).startswith(('"sid"', '\\"sid\\"'))

    @pytest.mark.parametrize(
        ("scalar", "value"),
        [
            ('"\\x41\\u00e9\\U0001F600\\t\\/"', "Aé\U0001f600\t/"),
            ("'it''s'", "it's"),
            ("plain\n  folded\n\n  twice", "plain folded\ntwice"),
            ('"escaped \\\n  break"', "escaped break"),
            ('|\n  {"a":\n   1}\n', '{"a":\n 1}\n'),
        ],
    )
    def test_scalars_decode_as_the_parser_reads_them(self, scalar: str, value: str) -> None:
        text = f"k: {scalar}\n"
        event = next(e for e in yaml.parse(text) if isinstance(e, yaml.ScalarEvent) and e.value != "k")
        assert event.value == value
        source_map = yamltext.scalar_map(text, event)
        assert source_map is not None
        assert source_map.text().rstrip("\n") == value.rstrip("\n")

    @pytest.mark.parametrize("scalar", ["|2\n   x\n", ">\n  folded\n", "!!binary aGk="])
    def test_scalars_a_map_cannot_follow_exactly_have_none(self, scalar: str) -> None:
        text = f"k: {scalar}\n"
        events = [e for e in yaml.parse(text) if isinstance(e, yaml.ScalarEvent)]
        assert yamltext.scalar_map(text, events[1]) is None

    def test_json_strings_map_their_escapes_and_refuse_what_they_cannot_follow(self) -> None:
        text = '"a\\u00e9\\ud83d\\ude00\\n\\"b"'
        source_map = jsontext.string_map(text, 0)
        assert source_map is not None
        assert source_map.text() == 'aé\U0001f600\n"b'
        assert source_map.source(source_map.text().index("b")) == text.index("b")
        assert jsontext.string_map('"\\x"', 0) is None
        assert jsontext.string_map('"open', 0) is None
        assert jsontext.string_map("1", 0) is None
