"""Running the command line in-process, and the files and assertions its tests share."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

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
