"""RFC 3339 date-times as written: leap seconds, lower-case ``t``/``z``, offsets and fractions.

The verdict of every checking path (the text, the parsed document, the reference path) is compared
with an RFC 3339 grammar check written here, independently of spec/formats.py, over date-times drawn
from the grammar with every field sometimes out of range; and ``binding.dates-ordered`` with an order
computed here. The generators and the fake take what ``check`` accepts."""

from __future__ import annotations

import calendar
import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from binding_contracts import check
from binding_contracts.checking.entry import check_parsed
from binding_contracts.fake import FakeBindingAPI
from binding_contracts.spec.formats import date_time_instant, is_date_time
from binding_contracts.strategies import payloads
from conftest import example as payload_example
from conftest import fewer_examples

_GRAMMAR = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(\.\d+)?(?:[Zz]|([+-])(\d\d):(\d\d))", re.ASCII
)


def oracle(text: str) -> tuple[int, int, Fraction] | None:
    """RFC 3339 section 5.6 (``T``/``Z`` in either case, its note), ranges of section 5.7, a leap
    second only in the last minute of a UTC day: the time as (UTC minute from an epoch, second
    0-60, fraction), or None. Year 0000 is no Gregorian year."""
    m = _GRAMMAR.fullmatch(text)
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    off_hour, off_minute = int(m[9] or 0), int(m[10] or 0)
    if not (year >= 1 and 1 <= month <= 12 and hour <= 23 and minute <= 59 and second <= 60):
        return None
    if not (1 <= day <= calendar.monthrange(year, month)[1] and off_hour <= 23 and off_minute <= 59):
        return None
    offset = (off_hour * 60 + off_minute) * (-1 if m[8] == "-" else 1)
    local = hour * 60 + minute
    if second == 60 and (local - offset) % 1440 != 23 * 60 + 59:
        return None
    days = sum(365 + calendar.isleap(y) for y in range(1, year)) + sum(
        calendar.monthrange(year, mo)[1] for mo in range(1, month)
    )
    return (
        (days + day) * 1440 + local - offset,
        second,
        Fraction(m[7][1:]) / 10 ** len(m[7][1:]) if m[7] else Fraction(0),
    )


def _two(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda n: f"{n:02d}")


@st.composite
def date_times(draw: st.DrawFn) -> str:
    """A date-time of RFC 3339's grammar, its fields now and then out of range, leap seconds often."""
    year = draw(st.sampled_from(["0000", "0001", "1972", "1998", "2000", "2016", "2100", "9999"]) | _year())
    month = draw(_two(1, 12) | _two(0, 19))
    day = draw(st.sampled_from(["28", "29", "30", "31"]) | _two(0, 39))
    leap = draw(st.booleans())
    hour = "23" if leap else draw(_two(0, 29))
    minute = "59" if leap else draw(_two(0, 69))
    second = draw(st.sampled_from(["59", "60", "61"]) if leap else _two(0, 69))
    fraction = draw(st.none() | st.text("0123456789", min_size=1, max_size=12))
    zone = draw(
        st.sampled_from(["Z", "z", "+00:00", "-00:00", "-08:00", "+23:59", "-23:59", "+24:00", "+01:60"])
        | st.builds(lambda s, h, m: f"{s}{h}:{m}", st.sampled_from("+-"), _two(0, 25), _two(0, 61))
    )
    t = draw(st.sampled_from(["T", "t", " ", "T", "t"]))
    frac = f".{fraction}" if fraction is not None else ""
    text = f"{year}-{month}-{day}{t}{hour}:{minute}:{second}{frac}{zone}"
    if leap and zone not in ("Z", "z") and second == "60":  # the leap second where the offset puts it
        sign, hh, mm = zone[0], int(zone[1:3]), int(zone[4:6])
        if hh <= 23 and mm <= 59:
            local = (23 * 60 + 59 + (hh * 60 + mm) * (1 if sign == "+" else -1)) % 1440
            text = f"{year}-{month}-{day}{t}{local // 60:02d}:{local % 60:02d}:60{frac}{zone}"
    return text


def _year() -> st.SearchStrategy[str]:
    return st.integers(0, 9999).map(lambda n: f"{n:04d}")


def _reports(doc: dict[str, Any]) -> list[tuple[str, tuple[bool, set[tuple[str, str]]]]]:
    def seen(report: Any) -> tuple[bool, set[tuple[str, str]]]:
        return report.ok, {(v.rule, v.path) for v in report.findings}

    text = json.dumps(doc).encode()
    return [
        ("bytes", seen(check(text))),
        ("str", seen(check(text.decode()))),
        ("dict", seen(check(doc))),
        ("reference", seen(check_parsed(doc, "auto", parsed=False, fast=False))),
    ]


class TestOneVerdictOnEveryPath:
    @fewer_examples(1)
    @example("2016-12-31T23:59:60Z")
    @example("2016-12-31t23:59:60z")
    @example("1998-12-31T15:59:60.123-08:00")
    @example("2016-10-21t11:37:03z")
    @example("2016-12-31T23:58:60Z")
    @example("2016-12-31T23:59:61Z")
    @example("0000-01-01T00:00:00Z")
    @example("2016-02-29T00:00:00Z")
    @example("2015-02-29T00:00:00Z")
    @example("2016-10-21T11:37:03.000000000001+23:59")
    @given(date_times())
    def test_a_date_time_is_judged_as_the_grammar_says_on_every_path(self, value: str) -> None:
        valid = oracle(value) is not None
        assert is_date_time(value) == valid
        for name, prefix in (("binding", ""), ("user-binding", ""), ("binding-page", "/bindings/1")):
            for member in ("date_created", "date_updated"):
                doc = payload_example(name)
                (doc["bindings"][1] if prefix else doc)[member] = value
                reports = _reports(doc)
                expected = reports[0][1]
                assert (("schema.format", f"{prefix}/{member}") not in expected[1]) == valid, reports
                for path, seen in reports:
                    assert seen == expected, (path, seen, expected)

    @fewer_examples(1)
    @example("2016-12-31T23:59:60Z", "2016-12-31T23:59:59.5Z")
    @example("2016-12-31T23:59:60.5Z", "2016-12-31T23:59:60.25z")
    @example("2016-12-31T15:59:60-08:00", "2016-12-31T23:59:59.999999999Z")
    @example("2017-01-01T00:00:00Z", "2016-12-31T23:59:60Z")
    @example("2016-10-21t11:37:03.0000001z", "2016-10-21T11:37:03.00000001Z")
    @given(date_times(), date_times())
    def test_dates_ordered_orders_as_time_does_on_every_path(self, created: str, updated: str) -> None:
        a, b = oracle(created), oracle(updated)
        doc = {**payload_example("binding"), "date_created": created, "date_updated": updated}
        reports = _reports(doc)
        for path, seen in reports:
            assert seen == reports[0][1], (path, seen, reports[0][1])
        fired = ("binding.dates-ordered", "/date_updated") in reports[0][1][1]
        assert fired == (a is not None and b is not None and b < a)
        if a is not None and b is not None:
            instant_a, instant_b = date_time_instant(created), date_time_instant(updated)
            assert instant_a is not None
            assert instant_b is not None
            assert (instant_a < instant_b) == (a < b)
            assert (instant_a == instant_b) == (a == b)


class TestInstants:
    def test_a_leap_second_is_after_every_instant_of_second_59_and_before_the_next_day(self) -> None:
        leap = date_time_instant("2016-12-31T23:59:60Z")
        assert leap is not None
        assert date_time_instant("2016-12-31T23:59:59.999999999Z") < leap  # type: ignore[operator]
        assert leap < date_time_instant("2016-12-31T23:59:60.000000001Z")  # type: ignore[operator]
        assert leap < date_time_instant("2017-01-01T00:00:00Z")  # type: ignore[operator]
        assert leap == date_time_instant("2016-12-31t15:59:60-08:00")
        assert leap.floor().isoformat() == "2016-12-31T23:59:59+00:00"
        assert leap.ceiling().isoformat() == "2017-01-01T00:00:00+00:00"


class TestGeneratorsAndTheFake:
    @pytest.mark.parametrize(
        "pins",
        [
            {"date_created": "2016-12-31T23:59:60Z"},
            {"date_updated": "2016-12-31T23:59:60Z"},
            {"date_created": "2016-10-21t11:37:03.5z"},
            {"date_updated": "2016-10-21t11:37:03.5+01:00"},
            {"date_created": "2016-12-31T15:59:60-08:00", "date_updated": "2016-12-31T23:59:60Z"},
        ],
    )
    @fewer_examples(4)
    @given(data=st.data())
    def test_a_pinned_leap_second_or_lower_case_date_draws_valid_payloads(
        self, pins: dict[str, str], data: st.DataObject
    ) -> None:
        doc = data.draw(payloads("binding", **pins))
        assert {k: doc[k] for k in pins} == pins
        assert check(doc).ok, check(doc).violations

    @pytest.mark.parametrize(
        ("created", "updated"),
        [
            ("2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z"),
            ("2016-10-21t11:37:03.5z", "2016-10-21T11:37:03Z"),
        ],
    )
    def test_a_pinned_update_before_a_leap_second_creation_is_refused(
        self, created: str, updated: str
    ) -> None:
        from binding_contracts.errors import UsageError

        with pytest.raises(UsageError, match=r"binding\.dates-ordered"):
            payloads("binding", date_created=created, date_updated=updated)

    @fewer_examples(2)
    @given(data=st.data(), profile=st.sampled_from(["strict", "published"]))
    def test_the_generators_write_dates_as_twilio_does(self, data: st.DataObject, profile: str) -> None:
        # Twilio writes upper-case T and Z, to the second: the generators (either profile) draw no
        # leap second and no lower case, which a client meets only from another writer or a pin.
        doc = data.draw(payloads("binding-page", profile=profile))
        for item in doc["bindings"]:
            for member in ("date_created", "date_updated"):
                assert item.get(member) is None or _TWILIO.fullmatch(item[member]), item[member]


_TWILIO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-5][0-9]Z")


class TestTheFakeFromCassettes:
    @pytest.mark.parametrize(
        ("leap", "before"),
        [
            ("2016-12-31T23:59:60Z", "2016-12-31T23:59:59.5Z"),
            ("2016-12-31t15:59:60.25-08:00", "2016-12-31T23:59:60.125Z"),
        ],
    )
    def test_a_binding_is_kept_as_last_updated_a_leap_second_included(
        self, tmp_path: Path, leap: str, before: str
    ) -> None:
        doc = payload_example("binding")
        created = "2016-01-01T00:00:00Z"
        late = {**doc, "date_created": created, "date_updated": leap, "endpoint": "late"}
        early = {**doc, "date_created": created, "date_updated": before, "endpoint": "early"}
        interactions = [
            {
                "request": {"method": "GET", "uri": doc["url"]},
                "response": {"status": {"code": 200}, "body": {"string": json.dumps(body)}},
            }
            for body in (late, early)  # recorded out of order: the fake keeps the later update
        ]
        cassette = tmp_path / "c.yaml"
        cassette.write_text(yaml.safe_dump({"version": 1, "interactions": interactions}))
        api = FakeBindingAPI.from_cassettes(cassette)
        assert api.rejected == ()
        record = api.store.get(doc["service_sid"], doc["sid"])
        assert record is not None
        assert (record.endpoint, record.date_updated) == ("late", leap)
