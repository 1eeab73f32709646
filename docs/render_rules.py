"""Write docs/rules.md from the rule catalogue: every rule's declaration and a sample finding.

Each sample is produced by the rule's own mutant and rendered as the text output renders it: a
payload rule's by ``invalid_payloads(kind, rule=...)`` (the first kind that can break it), checked as
``validate`` checks a file; a rule that needs a request, a listing walk or the HTTP exchange by a
valid payload put in that context (``check_interaction``, ``check(..., walk=...)``), reported as
``check`` reports a cassette's interaction. Drawing is derandomized: the same catalogue writes the
same page. Run ``make docs`` (or ``python docs/render_rules.py``) after changing a rule;
tests/test_docs.py fails while the page is stale.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis.strategies import SearchStrategy

from binding_contracts import KINDS, Report, check
from binding_contracts.generation.mutations import why_not_alone
from binding_contracts.interactions import Interaction, Session, check_interaction
from binding_contracts.rules import RULES, Rule
from binding_contracts.strategies import invalid_payloads, page_walks, payloads, targetable_rules
from binding_contracts.traffic.cassette_files import parse

PAGE = Path(__file__).resolve().with_name("rules.md")
COMMAND = "make docs"
CASSETTE = "cassette.yaml"

_SETTINGS = settings(
    database=None,
    derandomize=True,
    max_examples=1,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
OTHER_BS = "BS" + "f" * 32
OTHER_IS = "IS" + "f" * 32
OTHER_US = "US" + "f" * 32

Doc = dict[str, Any]


def draw(strategy: SearchStrategy[Any]) -> Any:
    """The first, simplest example of ``strategy``: the same on every run."""
    return find(strategy, lambda _: True, settings=_SETTINGS)


def binding(kind: str = "binding") -> Doc:
    return dict(draw(payloads(kind)))


def walk(**pins: Any) -> list[Doc]:
    """Two pages of one binding each, the second reached by the first's next_page_url."""
    return [dict(p) for p in draw(page_walks(total=2, page_size=1, **pins))]


def list_url(page: Doc) -> str:
    return str(page["meta"]["url"]).split("?", 1)[0]


def exchange(index: int, method: str, url: str, status: int, body: Any = None) -> Interaction:
    """An interaction as ``check`` reads it from a cassette: its source names the cassette."""
    text = body if body is None or isinstance(body, str) else json.dumps(body)
    return Interaction(method, url, status, text, source=f"{CASSETTE}#{index} {method} {url}")


def replay(*interactions: Interaction) -> Report:
    """The report of the last of ``interactions``, checked in one session."""
    session, report = Session(), None
    for it in interactions:
        report = check_interaction(it, session=session)
    assert report is not None
    return report


def _fetch_of(url: Callable[[Doc], str], kind: str = "binding") -> Callable[[], Report]:
    def sample() -> Report:
        doc = binding(kind)
        return replay(exchange(0, "GET", url(doc), 200, doc))

    return sample


def _read_with(query: str) -> Callable[[], Report]:
    def sample() -> Report:
        page = walk(binding_type="apn", identity="kim")[1]
        return replay(exchange(0, "GET", list_url(page) + query, 200, page))

    return sample


def _walk_broken(change: Callable[[Doc, Doc], None]) -> Callable[[], Report]:
    def sample() -> Report:
        first, second = walk()
        change(first, second)
        url = str(first["meta"]["next_page_url"])
        return replay(
            exchange(0, "GET", str(first["meta"]["url"]), 200, first), exchange(1, "GET", url, 200, second)
        )

    return sample


def _page_number() -> Report:
    """Pages whose urls agree cannot skip a number without breaking a page rule: the page before is
    renumbered instead, as a walk of ``check(page, walk=[...])`` sees it."""
    first, second = walk()
    earlier = copy.deepcopy(first)
    earlier["meta"]["page"] = 3
    url = str(first["meta"]["next_page_url"])
    return check(second, "binding-page", walk=[earlier], source=f"{CASSETTE}#1 GET {url}")


def _deleted_fetched() -> Report:
    doc = binding()
    url = str(doc["url"])
    return replay(exchange(0, "DELETE", url, 204), exchange(1, "GET", url, 200, doc))


def _answer(method: str, status: int, body: Callable[[Doc], Any]) -> Callable[[], Report]:
    def sample() -> Report:
        doc = binding()
        return replay(exchange(0, method, str(doc["url"]), status, body(doc)))

    return sample


def _recorded(headers: dict[str, list[str]], *, require_redacted: bool = False) -> Callable[[], Report]:
    """A fetch as a cassette recorded it (request headers included), read as ``check`` reads it."""

    def sample() -> Report:
        doc = binding()
        request = {"method": "GET", "uri": str(doc["url"]), "headers": headers, "body": None}
        response = {
            "status": {"code": 200, "message": "OK"},
            "headers": {},
            "body": {"string": json.dumps(doc)},
        }
        text = json.dumps({"interactions": [{"request": request, "response": response}], "version": 1})
        (it,) = parse(CASSETTE, text.encode()).interactions
        report = check_interaction(it, session=Session(), require_redacted=require_redacted)
        assert report is not None
        return report

    return sample


def _duplicate_sid(first: Doc, second: Doc) -> None:
    second["bindings"][0] = copy.deepcopy(first["bindings"][0])


def _other_token(first: Doc, second: Doc) -> None:
    second["meta"]["url"] = str(second["meta"]["url"]).replace("PageToken=", "PageToken=x")


CONTEXT: dict[str, tuple[str, Callable[[], Report]]] = {
    "request.sid": (
        "A binding answering a fetch of another sid",
        _fetch_of(lambda d: str(d["url"]).replace(d["sid"], OTHER_BS)),
    ),
    "request.service": (
        "A binding answering a fetch in another service",
        _fetch_of(lambda d: str(d["url"]).replace(d["service_sid"], OTHER_IS)),
    ),
    "request.user": (
        "A user binding answering a fetch of another user's binding",
        _fetch_of(lambda d: str(d["url"]).replace(d["user_sid"], OTHER_US), "user-binding"),
    ),
    "request.filter-binding-type": (
        "An `apn` binding listed in answer to `BindingType=fcm`",
        _read_with("?BindingType=fcm"),
    ),
    "request.filter-identity": (
        "A binding of `kim` listed in answer to `Identity=sam`",
        _read_with("?Identity=sam"),
    ),
    "request.page-size": ("A page of page_size 1 answering `PageSize=10`", _read_with("?PageSize=10")),
    "sequence.meta-url": (
        "The second page of a walk whose meta.url is not the next_page_url that was followed",
        _walk_broken(_other_token),
    ),
    "sequence.page-number": ("Page 1 of a walk whose page before is numbered 3", _page_number),
    "sequence.unique-sids": (
        "The second page of a walk listing the first page's binding again",
        _walk_broken(_duplicate_sid),
    ),
    "sequence.deleted-fetched": (
        "A fetch that answers 200 after a delete of the same binding answered 204",
        _deleted_fetched,
    ),
    "delete.empty-body": (
        "A delete answered 204 with the binding as its body",
        _answer("DELETE", 204, lambda d: d),
    ),
    "response.json": (
        "A fetch answered 200 with an HTML page",
        _answer("GET", 200, lambda d: "<html>Service Unavailable</html>"),
    ),
    "response.status": ("A fetch answered 201", _answer("GET", 201, lambda d: d)),
    "cassette.secret": (
        "A fetch recorded with its Authorization header",
        _recorded({"Authorization": ["Basic QUMwMDAwMDAwMDA6ZjNhOWMyZDFlMGI3YTZjNTg0OTNkMmUxZjBhOWI4Yzc="]}),
    ),
    "cassette.pii": (
        "A fetch recorded without pseudonyms, checked with `--require-redacted`",
        _recorded({}, require_redacted=True),
    ),
}
"""The rules a payload alone cannot break: what puts a valid payload in the wrong context."""


def payload_sample(rule: Rule) -> tuple[str, Report]:
    kind = next((k for k in KINDS if rule.id in targetable_rules(k)), None)
    if kind is None:
        raise SystemExit(f"{rule.id}: no kind can break it alone, and CONTEXT in {__file__} has no sample")
    mutant = draw(invalid_payloads(kind, rule=rule.id))
    report = check(mutant.payload, mutant.check_kind, status=mutant.status, source=f"{kind}.json")
    why = why_not_alone(mutant, report)
    if why is not None:
        raise SystemExit(f"{rule.id}: {why}")
    how = f'`invalid_payloads("{kind}", rule="{rule.id}")`'
    if mutant.status is not None:
        made = f"A `{kind}` broken this way ({how}), checked with HTTP status {mutant.status}"
    else:
        made = f"A `{kind}` broken this way ({how}), as `validate` reports the file"
        if mutant.check_kind != kind:
            made += f" with `--kind {mutant.check_kind}`"
    return made, report


def sample(rule: Rule) -> tuple[str, list[str]]:
    """How the sample was made, and its finding lines: the rule's, and no other rule's."""
    if rule.id in CONTEXT:
        made, make = CONTEXT[rule.id]
        made, report = made + ", as `check` reports the cassette's interaction", make()
    else:
        made, report = payload_sample(rule)
    lines = [v.line() for v in report.findings]
    others = {v.rule for v in report.findings} - {rule.id}
    if not lines or others:
        raise SystemExit(f"{rule.id}: its sample finds {sorted(others) or 'nothing'} instead")
    return made, lines


def kinds_of(rule: Rule) -> str:
    return "all" if set(rule.kinds) == set(KINDS) else ", ".join(f"`{k}`" for k in rule.kinds)


HEAD = """\
# Rules

<!-- Generated by docs/render_rules.py from the rule catalogue: run `{command}` after changing a rule. -->

Rule ids are stable public API, `family.name`. Schema failures get one id per JSON Schema
keyword. Warnings do not fail a check; `strict_fields=True` (`--strict-fields`) makes
`field.unknown` an error. The *needs* column says what a rule needs beyond the payload:
`request` rules run when `check()` is given `request=Request(method, url)` (and `status`),
`sequence` rules when given `previous=` or `walk=` (the pages before, in a listing walk),
`interaction` rules judge the HTTP exchange itself and run in `check_interaction()` (the pytest
plugin, `binding-contracts check` and live checking give every rule its context). The decisions
behind the rules are in [Checking](checking.md#decisions-where-twilios-docs-are-silent).

Each rule below shows a sample finding, produced by a payload broken in exactly that way and
rendered as the text output renders it (`SOURCE: POINTER: RULE: message`). The Python
`Report` holds the same as `Violation(rule, path, message, severity, source)`.

| rule | severity | needs | kinds | what it checks |
|---|---|---|---|---|
"""


def anchor(rule_id: str) -> str:
    return "rule-" + rule_id.replace(".", "-").lower()


def render() -> str:
    rules = sorted(RULES.values(), key=lambda r: r.id)
    out = [HEAD.format(command=COMMAND)]
    for r in rules:
        out.append(
            f"| [`{r.id}`](#{anchor(r.id)}) | {r.severity} | {r.needs} | {kinds_of(r)} | {r.summary} |\n"
        )
    for r in rules:
        made, lines = sample(r)
        out.append(
            f"\n({anchor(r.id)})=\n## `{r.id}`\n\n{r.summary}.\n\n"
            f"Severity {r.severity} · needs {r.needs} · kinds {kinds_of(r)}\n\n"
            f"{made}:\n\n```text\n" + "\n".join(lines) + "\n```\n"
        )
    return "".join(out)


def main() -> None:
    text = render()
    if PAGE.exists() and PAGE.read_text(encoding="utf-8") == text:
        return
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE}", file=sys.stderr)


if __name__ == "__main__":
    main()
