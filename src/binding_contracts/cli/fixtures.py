"""The ``fixtures`` command: generated payloads, valid or breaking one rule, as JSON files or lines.

Deterministic: the same arguments write the same bytes. A directory gets one ``.json`` file per
payload (each one ``validate`` checks); a file already there is only replaced with ``--force``.
Needs neither Hypothesis nor Faker: it draws from a seeded ``random.Random``.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Final

from .._files import replace_file
from .._printable import printable
from ..errors import InputError, UsageError
from ..generation import builders, drawing, mutations
from ..generation.pins import resolve
from ..generation.source import RandomSource
from ..spec import facts
from ..spec.kinds import KINDS, PAGE_ITEM_KIND, PAGE_KINDS, article, service_member
from ..spec.routes import ascii_int
from .common import add_profile

LISTING: Final = "listing"
MAX_COUNT: Final = 100_000
"""Most payloads one run writes; ``--format jsonl`` streams them, so memory stays flat."""
NO_FILE_RULES: Final = {
    mutations.STATUS_RULE: "it compares the body with the HTTP status, which a payload file does not carry "
    f"(in Python: invalid_payloads('error', '{mutations.STATUS_RULE}') gives the status with each payload)",
}


def _count(text: str) -> int:
    value = ascii_int(text)
    value = -1 if value is None else value
    if not 1 <= value <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to {MAX_COUNT}, got {text!r}")
    return value


PIN_OPTIONS: Final = {
    "service_sid": "--service-sid",
    "account_sid": "--account-sid",
    "user_sid": "--user-sid",
    "identity": "--identity",
    "binding_type": "--binding-type",
}
"""The members the command line pins, by their option. ``service_sid`` is the kind's service
member (``chat_service_sid`` in Conversations: the same ``IS…`` sids)."""


def add_parser(commands: Any) -> None:
    """Register ``fixtures`` on the subcommand group of the ``binding-contracts`` parser."""
    f = commands.add_parser("fixtures", help="write generated payloads: valid, or breaking one rule")
    f.add_argument("--kind", required=True, choices=(*KINDS, LISTING), help="listing: a whole paged listing")
    f.add_argument("--count", type=_count, default=1, help="payloads, or a listing's bindings (default: 1)")
    f.add_argument("--seed", type=int, default=0, help="the same seed writes the same files (default: 0)")
    f.add_argument("--invalid", metavar="RULE", help="break this rule id, and only it, in every payload")
    add_profile(f, ": payloads valid under it, with the nulls and left-out members it allows")
    f.add_argument("--page-size", type=int, help="page kinds and listing: PageSize (default: Twilio's)")
    f.add_argument("--out", default="-", metavar="DIR|-", help="a directory, or - for stdout (default)")
    f.add_argument("--format", default="json", choices=("json", "jsonl"), help="default: json")
    f.add_argument("--force", action="store_true", help="replace files of the same names in DIR")
    pins = f.add_argument_group(
        "pins", "the same value in every payload (and every item of a page), checked as the Python pins are"
    )
    for member, option in PIN_OPTIONS.items():
        pins.add_argument(option, dest=member, metavar=member.rsplit("_", 1)[-1].upper())


def run(args: argparse.Namespace, out: IO[str]) -> int:
    if args.out != "-" and args.format == "jsonl":
        raise UsageError(
            "--format jsonl writes to stdout (--out -); a directory gets one .json file per payload"
        )
    pins = {m: getattr(args, m) for m in PIN_OPTIONS if getattr(args, m) is not None}
    docs = generate(args.kind, args.count, args.seed, args.invalid, args.page_size, pins, args.profile)
    if args.out == "-":
        _stream(docs, args.format, args.kind == LISTING or args.count > 1, out)
    else:
        for path in _write(Path(args.out), list(docs), args.force):
            print(printable(str(path)), file=out)
    return 0


def generate(
    kind: str,
    count: int,
    seed: int,
    invalid: str | None = None,
    page_size: int | None = None,
    pins: Mapping[str, Any] | None = None,
    profile: str = "strict",
) -> Iterator[tuple[str, Any]]:
    """``(file name stem, payload)`` pairs, drawn as they are taken: ``count`` payloads of ``kind``
    (breaking ``invalid``), or the pages of a listing of ``count`` bindings. ``pins`` (members named
    as in :data:`PIN_OPTIONS`) fix those members in every payload; ``profile`` is the one they are
    valid (or break ``invalid``) under. Arguments are checked before the first pair is drawn."""
    source = RandomSource(random.Random(seed))
    needs = drawing.Needs(profile=profile)
    if page_size is not None and kind not in (LISTING, *PAGE_KINDS):
        raise UsageError(f"Got --page-size for --kind {kind}, but only pages and listings have one")
    members = _members(kind, pins or {})
    if kind == LISTING:
        if invalid is not None:
            raise UsageError("Got --invalid with --kind listing, but only single payloads are broken")
        size = facts.page_size_bounds()[2] if page_size is None else page_size
        checked = resolve("binding-page", {**members, "page_size": size})
        pages = drawing.walk(source, "binding-page", checked, count, size, needs)
        return iter([(f"listing-page-{p.page:04d}", builders.page(p)) for p in pages])
    pins = resolve(kind, members if page_size is None else {**members, "page_size": page_size})
    width = max(4, len(str(count)))
    if invalid is None:
        return (
            (f"{kind}-{i:0{width}d}", builders.assemble(kind, drawing.parts(source, kind, pins, needs)))
            for i in _n(count)
        )
    if invalid in NO_FILE_RULES:
        raise UsageError(f"Got --invalid {invalid}, but {NO_FILE_RULES[invalid]}")
    variants = mutations.plan(kind, invalid, pins, profile)
    return (
        (f"{kind}-{invalid}-{i:0{width}d}", mutations.mutate(source, kind, variants, pins, profile).payload)
        for i in _n(count)
    )


def _members(kind: str, pins: Mapping[str, Any]) -> dict[str, Any]:
    """The pins named as the members of ``kind``'s payloads (of a page's items); a member the kind
    does not have is refused naming its option."""
    item = PAGE_ITEM_KIND.get(kind, "binding" if kind == LISTING else kind)
    out: dict[str, Any] = {}
    for name, value in pins.items():
        member = service_member(item) if name == "service_sid" and item != "error" else name
        if member not in facts.properties(item):
            raise UsageError(
                f"Got {PIN_OPTIONS[name]} with --kind {kind}, but {article(item)} has no {member}"
            )
        out[member] = value
    return out


def _n(count: int) -> range:
    return range(1, count + 1)


def _stream(docs: Iterable[tuple[str, Any]], form: str, many: bool, out: IO[str]) -> None:
    if form == "jsonl":
        for _, doc in docs:
            print(json.dumps(doc, ensure_ascii=False), file=out)
    else:
        payloads = [doc for _, doc in docs]
        print(json.dumps(payloads if many else payloads[0], indent=2, ensure_ascii=False), file=out)


def _write(folder: Path, docs: list[tuple[str, Any]], force: bool) -> list[Path]:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(folder), f"cannot be made a directory ({exc.strerror or exc})") from None
    paths = [folder / f"{name}.json" for name, _ in docs]
    taken = [p for p in paths if p.exists()]
    if taken and not force:
        more = f" (and {len(taken) - 1} more)" if len(taken) > 1 else ""
        raise InputError(str(taken[0]), f"exists{more}; pass --force to replace files of the same names")
    for path, (_, doc) in zip(paths, docs, strict=True):
        replace_file(path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return paths
