"""Whatever a payload or a file holds, check() reports and the CLI exits 0, 1 or 2: never a traceback."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from binding_contracts import KINDS, check
from binding_contracts.cli import run

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=20,
)
KEYS = ["sid", "url", "links", "meta", "bindings", "status", "message", "user_sid", "page", "identity"]


def shaped(base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A real payload with some members replaced by arbitrary JSON."""
    return st.dictionaries(st.sampled_from([*KEYS, *base]), json_values, max_size=6).map(
        lambda changes: {**base, **changes}
    )


class TestCheckNeverRaises:
    @given(payload=json_values, kind=st.sampled_from(["auto", *KINDS]))
    def test_any_json_value_gets_a_report(self, payload: Any, kind: str) -> None:
        report = check(payload, kind=kind)
        assert all(v.rule and v.message for v in report.findings)

    @given(data=st.data())
    def test_a_real_payload_with_arbitrary_members_gets_a_report(self, data: st.DataObject) -> None:
        from conftest import example

        base = example(data.draw(st.sampled_from(["binding", "user-binding", "binding-page", "error-404"])))
        payload = data.draw(shaped(base))
        report = check(payload)
        assert report.ok or report.violations


class TestCommandNeverTracebacks:
    @given(content=st.binary(max_size=200))
    def test_any_bytes_exit_0_1_or_2_with_no_traceback(self, content: bytes, tmp_path_factory: Any) -> None:
        path: Path = tmp_path_factory.mktemp("in") / "f.json"
        path.write_bytes(content)
        out, err = io.StringIO(), io.StringIO()
        assert run(["validate", str(path)], out, err) in (0, 1, 2)
        assert "Traceback" not in err.getvalue()
