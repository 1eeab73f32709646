"""The cost of ``--binding-contracts-usage`` when on: one member read of a twilio SDK Binding
instance while a test runs (traced: noted, then answered by the class's lookup), against the same
read before the class is traced. Run alone: ``python bench/bench_usage.py``."""

from __future__ import annotations

import statistics
import timeit
from typing import Any

Row = tuple[str, float, "float | None", str]
READS = 200_000


def _instance() -> Any:
    from twilio.rest import Client
    from twilio.rest.chat.v2.service.binding import BindingInstance

    client = Client("AC" + "0" * 32, "token")
    body = {"sid": "BS" + "a" * 32, "service_sid": "IS" + "a" * 32, "binding_type": "apn", "endpoint": "e"}
    return BindingInstance(client.chat.v2, body, body["service_sid"], body["sid"])


def _per_read(instance: Any, runs: int) -> float:
    code = "i.binding_type; i.endpoint; i.sid; i.service_sid"
    times = timeit.repeat(code, globals={"i": instance}, number=READS // 4, repeat=runs)
    return statistics.median(times) / READS


def usage_rows(runs: int = 5) -> list[Row]:
    """One row: a traced member read (a test running) against an untraced one (measured first)."""
    from binding_contracts.traffic.usage import TRACER, trace_sdk

    instance = _instance()
    untraced = _per_read(instance, runs)
    trace_sdk()
    TRACER.start("bench::read")
    try:
        traced = _per_read(instance, runs)
    finally:
        TRACER.finish()
    return [("usage recording: a member read of an SDK Binding", traced, untraced, "us")]


if __name__ == "__main__":
    for name, ours, ref, _ in usage_rows():
        print(f"{name}: {ours * 1e6:.3f} us traced, {ref * 1e6:.3f} us untraced ({ours / ref:.1f}x)")
