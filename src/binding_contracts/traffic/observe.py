"""What recorded traffic shows of each kind's members (how often present, null, which values), and
the profile file that accepts it: strict but where a member was seen null or missing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .._inputs import MAX_BYTES, parse_json, read_file
from .._json import type_name
from .._printable import printable
from ..checking.entry import KindNotDetected, detect_kind
from ..checking.rules.item import reserved_message
from ..errors import InputError
from ..spec.kinds import ITEMS_KEY, PAGE_ITEM_KIND
from ..spec.profile_files import DETECTED_BY, ProfileFile
from ..spec.routes import parse_url, route
from ..spec.schemas import known_properties, raw_schemas, resolve, schema_file, validator
from .cassette_files import MAX_FILE_BYTES, find, load, parse
from .interactions import Interaction

__all__ = ["MemberSeen", "Observed", "observe_paths"]


@dataclass
class MemberSeen:
    """One member of one kind, over the payloads observed."""

    present: int = 0
    null: int = 0
    types: Counter[str] = field(default_factory=Counter)
    values: Counter[str] = field(default_factory=Counter)
    """The enum values seen (a string member with an ``enum``, the items of an array of strings)."""
    reserved: int = 0
    """Identities with a URI-reserved character (binding.identity-reserved)."""
    hosts: Counter[str] = field(default_factory=Counter)
    """The hosts of the urls the member holds (itself, or its members: ``links``, ``meta``)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "present": self.present,
            "null": self.null,
            "types": dict(sorted(self.types.items())),
            "values": dict(sorted(self.values.items())),
            "reserved": self.reserved,
            "hosts": dict(sorted(self.hosts.items())),
        }


@dataclass
class Observed:
    """The payloads observed, by kind, and their members."""

    payloads: Counter[str] = field(default_factory=Counter)
    missing: dict[str, Counter[str]] = field(default_factory=dict)
    """By kind, the members the strict schema required of a payload that lacked them."""
    members: dict[str, dict[str, MemberSeen]] = field(default_factory=dict)
    files: int = 0
    interactions: int = 0
    ignored: int = 0
    """Interactions that are no Binding operation, or carry no body (a delete's 204)."""
    unread: list[str] = field(default_factory=list)
    """Why a body or payload file was left out (not JSON, not an object, no kind told)."""

    def add(self, doc: Any, kind: str) -> None:
        """Count a payload of ``kind``; a page's items are counted as their own kind too."""
        self.payloads[kind] += 1
        seen = self.members.setdefault(kind, {})
        for member in known_properties(kind)[""]:
            seen.setdefault(member, MemberSeen())
        for member, value in doc.items():
            _note(seen.setdefault(member, MemberSeen()), member, value, _enum(kind, member))
        self.missing.setdefault(kind, Counter()).update(_missing(kind, doc))
        item_kind = PAGE_ITEM_KIND.get(kind)
        items = doc.get(ITEMS_KEY)
        if item_kind is not None and isinstance(items, list):
            for item in items:
                if isinstance(item, dict):
                    self.add(item, item_kind)

    def profile(self, source: str) -> tuple[ProfileFile, list[str]]:
        """The profile file accepting what was observed: a documented member seen null is nullable,
        a required one seen missing optional. Also what it cannot loosen (a member that tells the
        kind: :data:`DETECTED_BY`), one line each."""
        nullable: dict[str, frozenset[str]] = {}
        optional: dict[str, frozenset[str]] = {}
        kept: list[str] = []
        for kind, seen in sorted(self.members.items()):
            documented = raw_schemas()[schema_file(kind)]["properties"]
            nulls = {m for m, s in seen.items() if s.null and m in documented}
            missing = set(self.missing.get(kind, ()))
            for group in DETECTED_BY[kind]:
                if set(group) <= missing:
                    missing -= set(group)
                    kept.append(f"{kind}: {', '.join(group)} kept required (the kind is told by it)")
            if nulls:
                nullable[kind] = frozenset(nulls)
            if missing:
                optional[kind] = frozenset(missing)
        return ProfileFile(source, nullable, optional), kept

    def to_dict(self) -> dict[str, Any]:
        return {
            "kinds": {
                kind: {
                    "payloads": self.payloads[kind],
                    "members": {m: s.to_dict() for m, s in sorted(self.members[kind].items())},
                }
                for kind in sorted(self.members)
            },
            "read": {"files": self.files, "interactions": self.interactions, "ignored": self.ignored},
            "left_out": self.unread,
        }

    def render_text(self) -> str:
        lines: list[str] = []
        for kind in sorted(self.members):
            n = self.payloads[kind]
            lines.append(f"{kind} ({n} payload{'s' if n != 1 else ''})")
            rows = [("member", "present", "null", "types", "seen")]
            documented = known_properties(kind)[""]
            for member, s in sorted(self.members[kind].items()):
                name = printable(member if member in documented else f"{member} (undocumented)")
                types = next(iter(s.types)) if len(s.types) == 1 else _counts(s.types)
                rows.append((name, f"{s.present}/{n}", str(s.null), types, _seen(s)))
            widths = [max(len(r[i]) for r in rows) for i in range(4)]
            for row in rows:
                cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)]
                lines.append(("  " + "  ".join([*cells, row[4]])).rstrip())
            lines.append("")
        left_out = f", {len(self.unread)} left out" if self.unread else ""
        lines.append(
            f"{sum(self.payloads.values())} payloads observed from {self.files} file(s): "
            f"{self.interactions} interaction(s), {self.ignored} without a Binding body{left_out}"
        )
        return "\n".join(lines)


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{printable(k)} {n}" for k, n in sorted(counter.items()))


def _seen(s: MemberSeen) -> str:
    parts = [_counts(s.values)] if s.values else []
    if s.reserved:
        parts.append(f"{s.reserved} with reserved characters")
    if s.hosts:
        parts.append("hosts: " + _counts(s.hosts))
    return "; ".join(parts)


def _missing(kind: str, doc: dict[str, Any]) -> Iterator[str]:
    """The members the strict schema requires of ``doc`` that it lacks (the error envelope's code and
    more_info only on a 4xx)."""
    for error in validator(kind).iter_errors(doc):
        if error.validator == "required" and not error.absolute_path:
            yield from (m for m in error.validator_value if m not in doc)


def _enum(kind: str, member: str) -> bool:
    """Whether the values of a member are worth listing: an enum, or an array of them."""
    node = raw_schemas()[schema_file(kind)]["properties"].get(member)
    if not isinstance(node, dict):
        return False
    node = resolve(node)
    return "enum" in node or (node.get("type") == "array" and node.get("items", {}).get("type") == "string")


def _note(s: MemberSeen, member: str, value: Any, enum: bool) -> None:
    s.present += 1
    s.types[type_name(value)] += 1
    if value is None:
        s.null += 1
    elif enum and isinstance(value, str):
        s.values[value] += 1
    elif enum and isinstance(value, list):
        s.values.update(v for v in value if isinstance(v, str))
    if member == "identity" and isinstance(value, str) and reserved_message(value) is not None:
        s.reserved += 1
    s.hosts.update(_hosts(value))


def _hosts(value: Any) -> Iterator[str]:
    urls = value.values() if isinstance(value, dict) else (value,)
    for url in urls:
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            parts = parse_url(url)  # None: a URL urlsplit refuses, whose host is no host
            host = parts.hostname if parts is not None else None
            if host:
                yield host


def observe_paths(paths: Iterable[str], observed: Observed | None = None) -> Iterator[InputError]:
    """Observe every cassette and JSON payload file found under ``paths`` (directories searched as
    ``check`` searches them); yield an :class:`InputError` for each file refused, as ``check``
    refuses it."""
    observed = observed if observed is not None else Observed()
    for path in find(list(paths)):
        try:
            _observe_file(path, observed)
        except InputError as exc:
            yield exc


def _observe_file(path: str, observed: Observed) -> None:
    if not path.endswith(".json"):
        interactions = load(path).interactions
    else:
        data = read_file(path, MAX_FILE_BYTES, "a cassette or a JSON payload")
        doc = parse_json(path, data) if len(data) <= MAX_BYTES else None
        if doc is None or (isinstance(doc, dict) and "interactions" in doc and "sid" not in doc):
            interactions = parse(path, data).interactions
        else:
            observed.files += 1
            _observe_payload(doc, None, path, observed)
            return
    observed.files += 1
    for interaction in interactions:
        observe_interaction(interaction, observed)


def observe_interaction(it: Interaction, observed: Observed) -> None:
    observed.interactions += 1
    r = route(it.method, it.url)
    body = it.body.encode("utf-8", "surrogatepass") if isinstance(it.body, str) else it.body
    if r is None or (r.kind is None and it.status < 400) or not body or not body.strip():
        observed.ignored += 1
        return
    source = it.source or it.request_line
    if it.body_problem is not None:
        observed.unread.append(f"{source}: {it.body_problem}")
        return
    try:
        doc = parse_json(source, body)
    except InputError as exc:
        observed.unread.append(str(exc))
        return
    _observe_payload(doc, "error" if it.status >= 400 else r.kind, source, observed)


def _observe_payload(doc: Any, kind: str | None, source: str, observed: Observed) -> None:
    if not isinstance(doc, dict):
        observed.unread.append(f"{source}: is a JSON {type_name(doc)}, but every kind is an object")
        return
    if kind is None:
        try:
            kind = detect_kind(doc)
        except KindNotDetected as exc:
            observed.unread.append(f"{source}: {exc}")
            return
    observed.add(doc, kind)
