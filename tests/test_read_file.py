"""read_file: a file's bytes whatever it became between the look (``fstat``) and the read, and never
more than the bound."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binding_contracts import _inputs
from binding_contracts.errors import InputError


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=3000), data=st.data())
def test_the_whole_file_is_read_up_to_the_bound_whatever_the_look_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, data: st.DataObject
) -> None:
    # the file as looked at: shorter (it grew since), as long, or longer (it shrank); the bound
    # below, at or above what it holds now
    looked = data.draw(st.integers(0, len(content) + 5), label="looked")
    limit = data.draw(st.integers(max(0, len(content) - 5), len(content) + 5), label="limit")
    path = tmp_path / "file.json"
    path.write_bytes(content)
    real = os.fstat

    def stale(fd: int) -> os.stat_result:  # the size as it was when looked at, before it changed
        info = real(fd)
        fields = list(info)
        fields[6] = min(looked, limit)  # st_size
        return os.stat_result(fields)

    with monkeypatch.context() as patch:
        patch.setattr(_inputs.os, "fstat", stale)
        if len(content) > limit:
            with pytest.raises(InputError, match="limit"):
                _inputs.read_file(str(path), limit, "a JSON file")
        else:
            assert _inputs.read_file(str(path), limit, "a JSON file") == content


def test_a_file_past_the_bound_when_looked_at_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"x" * 11)
    with pytest.raises(InputError, match="11 bytes, more than the 10-byte limit"):
        _inputs.read_file(str(path), 10, "a JSON file")
