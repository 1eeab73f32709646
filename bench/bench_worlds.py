"""Examples per second of an @given test drawing api_worlds() and loading each into one running
fake, its body a listing through the twilio SDK (delays left out: they sleep by definition)."""

from __future__ import annotations

import contextlib
import statistics
import time

from hypothesis import HealthCheck, given, settings

from binding_contracts.fake import FakeBindingAPI
from binding_contracts.generation.worlds import CLASSES
from binding_contracts.strategies import api_worlds

EXAMPLES = 200
RUNS = 3


def row(runs: int = RUNS) -> tuple[str, float, None, str]:
    rates = []
    with FakeBindingAPI(seed=0) as api:
        client = api.twilio_client(check="off")

        @settings(
            max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(world=api_worlds(variations=[c for c in CLASSES if c != "delay"]))
        def listing(world: object) -> None:
            api.load(world)  # type: ignore[arg-type]
            for service in api.world.services:  # type: ignore[union-attr]
                with contextlib.suppress(Exception):  # the answers vary on purpose
                    client.chat.v2.services(service).bindings.list()

        for _ in range(runs):
            start = time.perf_counter()
            listing()
            rates.append(EXAMPLES / (time.perf_counter() - start))
    return ("api_worlds() @given through the SDK", statistics.median(rates), None, "examples/s")


if __name__ == "__main__":
    print(row())
