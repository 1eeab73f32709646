"""Read a JSON document from a file or stdin, in bounded time and memory, or say why not."""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from collections.abc import Iterable
from typing import IO, Any, BinaryIO, Final

import orjson

from .errors import InputError

MAX_BYTES: Final = 16 * 1024 * 1024
"""Largest payload file read (16 MiB): a page of 50 bindings is about 40 KB."""

MAX_DEPTH: Final = 64
"""Deepest nesting accepted: the contract's documents are 4 levels deep."""


def read_bytes(path: str, stdin: IO[bytes] | None = None) -> tuple[str, bytes]:
    """``(source name, content)`` of a path, or of stdin for ``-``."""
    if path == "-":
        if stdin is None:
            raise InputError("<stdin>", "no standard input to read")
        data = stdin.read(MAX_BYTES + 1)
        return "<stdin>", _sized("<stdin>", data)
    return path, read_file(path, MAX_BYTES, "a JSON file")


_NOT_REGULAR: Final = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def _regular(path: str, info: os.stat_result, limit: int, expected: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, f"is a directory, expected {expected}")
    if not stat.S_ISREG(info.st_mode):
        what = next((name for test, name in _NOT_REGULAR if test(info.st_mode)), "a special file")
        raise InputError(path, f"is not a regular file ({what}), expected {expected}")
    if info.st_size > limit:
        raise InputError(path, f"is {info.st_size:,} bytes, more than the {limit:,}-byte limit")


def open_file(path: str, limit: int, expected: str) -> BinaryIO:
    """The regular file at ``path`` of at most ``limit`` bytes, open for reading; else
    :class:`InputError` naming the file and the problem (``expected`` says what it should have been).

    The file is opened without blocking and judged by what was opened (``fstat``), not by its name:
    a FIFO never hangs the reader, a device (``/dev/zero``) or a link to one is never read."""
    return os.fdopen(_opened(path, limit, expected)[0], "rb")


def _opened(path: str, limit: int, expected: str) -> tuple[int, int]:
    """:func:`open_file`'s descriptor, and the size ``fstat`` gave."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, os.strerror(exc.errno) if exc.errno else str(exc)) from None
    try:
        info = os.fstat(fd)
        _regular(path, info, limit, expected)
    except InputError:
        os.close(fd)
        raise
    return fd, info.st_size


def read_file(path: str, limit: int, expected: str) -> bytes:
    """The content of the regular file at ``path`` (opened as :func:`open_file` opens it), at most
    ``limit`` bytes; else :class:`InputError` naming the file and the problem. The bound holds for
    whatever the file has become between a look and the read.

    Read from the descriptor itself (a file object and a second ``fstat`` would cost a command on
    10,000 small files a tenth of its time): what the file held when looked at, and one byte more
    to see whether it has grown, then the rest of the bound only if it has, to its end."""
    fd, size = _opened(path, limit, expected)
    chunks: list[bytes] = []
    total = 0
    try:
        while total <= limit:
            chunk = os.read(fd, size + 1 - total if total <= size else limit + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise InputError(path, os.strerror(exc.errno) if exc.errno else str(exc)) from None
    finally:
        os.close(fd)
    if total > limit:
        raise InputError(path, f"is more than the {limit:,}-byte limit")
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _sized(source: str, data: bytes) -> bytes:
    if len(data) > MAX_BYTES:
        raise InputError(source, f"is more than the {MAX_BYTES:,}-byte limit")
    return data


_LONG_NUMBER: Final = re.compile(rb"[:,\[][ \t\r\n]*-?(?:[0-9]{19}|[0-9.]+[eE]\+?[0-9]{3})")
"""Text that may hold an integer past 64 bits (19 digits in a row: orjson reads one as an inexact
float) or a number past a double's range (an infinity once read): a number where JSON puts values,
after a colon, a comma or a bracket. The same digits inside a string (a hex SID's ``e706``) only
look like one; a string that holds such a number text costs the slow path, never a wrong answer."""
_LONG_DOCUMENT: Final = re.compile(rb"[ \t\r\n]*-?(?:[0-9]{19}|[0-9.]+[eE]\+?[0-9]{3})")
"""The same, for a document that is one number."""


_CLASSES: Final = bytes(
    ord(":") if c in b":,[" else ord(" ") if c in b" \t\r\n" else ord("e") if c in b"eE" else
    ord("0") if c in b"0123456789" else c if c in b".-+" else ord("x")
    for c in range(256)
)  # fmt: skip
_LONG_CLASSES: Final = re.compile(rb":[ ]*-?(?:0{19}|[0.]+e\+?000)")
""":data:`_LONG_NUMBER` over the text with each byte replaced by its class in it (the classes are
disjoint): a pattern starting with one byte, which the matcher finds as fast as ``find``, where
the class it starts with costs a try at every byte."""


def long_numbers(data: bytes) -> bool:
    """Whether JSON text may hold a number that orjson and jsonschema-rs do not take exactly."""
    found = _LONG_CLASSES.search(data.translate(_CLASSES)) is not None
    return found or _LONG_DOCUMENT.match(data) is not None


def parse_json(source: str, data: bytes) -> Any:
    """The JSON document in ``data``: UTF-8, not empty, at most :data:`MAX_DEPTH` deep, every
    integer exact.

    orjson reads what it can; what it refuses (not JSON, a BOM, NaN, a lone surrogate, a number past
    a double's range) or may read inexactly (an integer past 64 bits, which it makes a float: text
    with 19 digits in a row) goes through the standard library, which says why or reads it exactly.
    ``NaN`` and ``Infinity`` are not JSON (RFC 8259), nor is an integer of more digits than Python
    converts (4,300 by default)."""
    return parse_screened(source, data)[0]


_LONG_INTEGERS: Final = (b":" + b"0" * 19, b":-" + b"0" * 19)
"""19 digits in a row where JSON puts a value, in the text's classes (:data:`_CLASSES`) with its
whitespace left out: all :data:`_LONG_NUMBER` looks for that orjson reads without refusing."""
_LONG_DOCUMENTS: Final = tuple(run[1:] for run in _LONG_INTEGERS)
"""The same, for a document that is one number."""
_JSON_WHITESPACE: Final = b" \t\r\n"


def parse_screened(source: str, data: bytes) -> tuple[Any, bool]:
    """:func:`parse_json` of ``data``, and whether its document may hold what orjson would not read
    exactly (``True``: the standard library read it). orjson refuses a number past a double's range
    (any version this package takes), so only integers of 19 digits or more are looked for: with
    ``bytes.translate`` and ``in``, at memory speed (a string holding such digits costs the standard
    library's reading, never a wrong one)."""
    classes = data.translate(_CLASSES, _JSON_WHITESPACE)
    slow = any(run in classes for run in _LONG_INTEGERS) or classes.startswith(_LONG_DOCUMENTS)
    if not slow:
        try:
            doc = orjson.loads(data)
        except orjson.JSONDecodeError:
            slow = True
    if slow:
        doc = _parse_slowly(source, data)
    return _not_too_deep(source, doc, data.count(b"[") + data.count(b"{")), slow


def parse_text(source: str, text: str) -> Any:
    """The JSON document in ``text``, already decoded (a ``str`` holding a lone surrogate, which no
    UTF-8 encodes), read as :func:`parse_json` reads the bytes of such text once decoded: the
    standard library's reading, as ``json.loads(text)`` reads it, under the same bounds."""
    if not text.strip(_ASCII_SPACE):
        raise InputError(source, "is empty, expected a JSON document")
    doc = _parse_decoded(source, text.removeprefix("\ufeff"))
    return _not_too_deep(source, doc, text.count("[") + text.count("{"))


_ASCII_SPACE: Final = " \t\n\r\x0b\x0c"
"""What ``bytes.strip()`` strips: the same text is empty as bytes and as ``str``."""


def _not_too_deep(source: str, doc: Any, brackets: int) -> Any:
    # Nesting is no deeper than the count of brackets: most documents need no walk at all.
    if brackets > MAX_DEPTH and _too_deep(doc, MAX_DEPTH):
        raise InputError(source, f"is JSON nested deeper than {MAX_DEPTH} levels")
    return doc


def parse_unique_json(source: str, data: bytes) -> Any:
    """The JSON document in ``data`` as :func:`parse_json` reads it, refusing an object that names a
    key twice (RFC 8259 leaves which one wins to the reader): for files a user writes to configure
    a run, where a key silently dropped is a setting silently ignored."""
    doc = parse_json(source, data)
    if data.count(b'"') > 2:  # a document of no two strings holds no key twice
        json.loads(data.decode("utf-8-sig"), object_pairs_hook=lambda pairs: _unique(source, pairs))
    return doc


def _unique(source: str, pairs: list[tuple[str, Any]]) -> None:
    key = first_repeated(k for k, _ in pairs)
    if key is not None:
        raise InputError(source, f"has the key {key[:80]!r} twice in one object")


def first_repeated(names: Iterable[str]) -> str | None:
    """The first name met a second time, or None."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return name
        seen.add(name)
    return None


def _parse_slowly(source: str, data: bytes) -> Any:
    if not data.strip():
        raise InputError(source, "is empty, expected a JSON document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(source, f"is not UTF-8 (byte {exc.start}: {data[exc.start]:#04x})") from None
    return _parse_decoded(source, text)


def _parse_decoded(source: str, text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_not_a_number)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except _NotANumber as exc:
        raise InputError(source, f"is not JSON: {exc} is not a JSON number") from None
    except ValueError:  # int(): more digits than sys.get_int_max_str_digits()
        limit = sys.get_int_max_str_digits()
        problem = f"holds an integer of more than {limit:,} digits, more than Python reads"
        raise InputError(source, problem) from None
    except RecursionError:
        raise InputError(source, f"is JSON nested deeper than {MAX_DEPTH} levels") from None


class _NotANumber(Exception):
    """``NaN``, ``Infinity`` or ``-Infinity``: the standard library reads them, JSON has none."""


def _not_a_number(name: str) -> Any:
    raise _NotANumber(name)


def _too_deep(node: Any, room: int) -> bool:
    """Whether containers nest in ``node`` (itself included) more than ``room`` levels deep."""
    if type(node) is dict:
        children: Any = node.values()
    elif type(node) is list:
        children = node
    else:
        return False
    if room == 0:
        return True
    # A loop that calls only for containers: any() over every child is three times slower.
    for child in children:
        if (type(child) is dict or type(child) is list) and _too_deep(child, room - 1):
            return True
    return False


def read_json(path: str, stdin: IO[bytes] | None = None) -> tuple[str, Any]:
    source, data = read_bytes(path, stdin)
    return source, parse_json(source, data)
