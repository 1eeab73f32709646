"""Hypothesis strategies of Binding API payloads: valid by construction, or broken in one named way.

Built from ``schemas/`` (patterns, enums, formats, required members) and from the URL templates;
pins are checked when a strategy is built, not when it draws. See
:mod:`binding_contracts.generation.mutations` for what each kind can break.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import cache
from typing import Any

from .._extras import needs
from ..errors import UsageError
from ..spec.kinds import PAGE_KINDS
from ..spec.profiles import ProfileArg
from ..spec.schemas import check_kind, check_profile
from . import drawing
from .breakers.schema import Breakage
from .builders import assemble, page
from .mutations import Mutant, mutate, plans, targetable_rules, untargetable_rules
from .pins import resolve
from .worlds import World, check_classes, draw_world

with needs("generate", "binding_contracts.strategies"):
    from hypothesis import strategies as st

__all__ = [
    "Mutant",
    "World",
    "api_worlds",
    "invalid_payloads",
    "page_walks",
    "payloads",
    "targetable_rules",
    "untargetable_rules",
]

Draw = Callable[[st.SearchStrategy[Any]], Any]


@cache
def _integers(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


@cache
def _text(alphabet: str, min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=min_size, max_size=max_size)


class DrawSource:
    """A :class:`~binding_contracts.generation.source.Source` drawing through Hypothesis, so every
    choice shrinks."""

    __slots__ = ("_draw",)

    def __init__(self, draw: Draw) -> None:
        self._draw = draw

    def integer(self, low: int, high: int) -> int:
        value: int = self._draw(_integers(low, high))
        return value

    def bits(self, n: int) -> int:
        value: int = self._draw(_integers(0, (1 << n) - 1))
        return value

    def text(self, alphabet: str, min_size: int, max_size: int) -> str:
        value: str = self._draw(_text(alphabet, min_size, max_size))
        return value


def payloads(kind: str, profile: ProfileArg = "strict", **pins: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Valid payloads of ``kind``; any member can be pinned: ``payloads("binding", binding_type="apn")``.

    ``profile="published"``: payloads valid under Twilio's published spec, as a client must be ready
    for: a binding's members null or left out where the spec allows, undocumented members added,
    every member present still consistent with the others (a url whose sid is not there is null).
    Each departure from the strict body is a choice of its own that shrinks to the strict member,
    so a failing test shrinks to the strict payload with the one member it could not handle (a
    page's meta is kept whole; its items are loosened one by one). Pinned members stay as pinned.
    A profile file's path (:func:`~binding_contracts.check`'s ``profile``): its items' members null
    or left out where the file allows (a url only when it may be null too), nothing undocumented.

    A page pins ``page``, ``page_size``, ``key`` and its items' members (``service_sid``,
    ``binding_type``, …); a user's page also ``user_path="sid"`` or ``"identity"``, how its meta
    urls name the user (``/Users/US…`` or ``/Users/kim``; drawn when not pinned). A pin that would
    break a rule raises :class:`UsageError` here.
    """
    check_kind(kind)
    needs = drawing.Needs(profile=check_profile(profile))
    return _payloads(kind, resolve(kind, pins), needs)


@st.composite
def _payloads(draw: Draw, kind: str, pins: dict[str, Any], needs: drawing.Needs) -> dict[str, Any]:
    return assemble(kind, drawing.parts(DrawSource(draw), kind, pins, needs))


def invalid_payloads(
    kind: str, rule: str | None = None, profile: str = "strict", **pins: Any
) -> st.SearchStrategy[Mutant]:
    """:class:`Mutant`\\ s of ``kind`` breaking ``rule`` (any of :func:`targetable_rules` when None)
    and nothing else: ``m.report()`` has ``m.rule`` as its only finding.

    ``profile="published"``: the rules that profile judges (``targetable_rules(kind, "published")``:
    a SID's pattern, an enum, a format, and kind detection; every schema rule of an error body),
    each mutant's only finding under ``check(..., profile="published")``."""
    check_kind(kind)
    checked = resolve(kind, pins)
    return _mutants(kind, plans(kind, rule, checked, profile), checked, profile)


@st.composite
def _mutants(
    draw: Draw, kind: str, options: dict[str, tuple[Breakage, ...]], pins: dict[str, Any], profile: str
) -> Mutant:
    source = DrawSource(draw)
    rules = sorted(options)
    return mutate(source, kind, options[rules[source.integer(0, len(rules) - 1)]], pins, profile)


def page_walks(
    kind: str = "binding-page",
    *,
    total: int | None = None,
    page_size: int | None = None,
    profile: str = "strict",
    **pins: Any,
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Whole listings: the pages a client gets by following next_page_url from page 0.

    Each page's meta.url is the previous page's next_page_url, pages number 0, 1, 2…, no sid
    appears twice, and the last page has no next_page_url. ``total`` items (drawn when None),
    ``page_size`` a page (drawn when None). Hypothesis holds a few hundred bindings per example at
    most; for a larger listing use the Faker provider's ``binding_listing``. ``profile`` as for
    :func:`payloads`: ``"published"`` loosens the items.
    """
    if kind not in PAGE_KINDS:
        raise UsageError(f"Got kind={kind!r}, but a listing is made of {' or '.join(PAGE_KINDS)} pages")
    if "page" in pins:
        raise UsageError("Got pin 'page', but a walk starts at page 0 and numbers its pages itself")
    checked = resolve(kind, {**pins, **({} if page_size is None else {"page_size": page_size})})
    if total is not None and (not isinstance(total, int) or total < 0):
        raise UsageError(f"Got total={total!r}, but a listing holds a whole number of items, 0 or more")
    return _walks(kind, checked, total, page_size, drawing.Needs(profile=check_profile(profile)))


@st.composite
def _walks(
    draw: Draw,
    kind: str,
    pins: dict[str, Any],
    total: int | None,
    page_size: int | None,
    needs: drawing.Needs,
) -> list[dict[str, Any]]:
    return [page(p) for p in drawing.walk(DrawSource(draw), kind, pins, total, page_size, needs)]


def api_worlds(
    profile: ProfileArg = "published", *, variations: Collection[str] | None = None
) -> st.SearchStrategy[World]:
    """Whole worlds for ``FakeBindingAPI.load(world)``: one or two services, users (reserved and
    non-ASCII identities among them), bindings of every type, and the ways answers vary.

    ``variations`` names the classes drawn (all of them when None; see
    :data:`binding_contracts.generation.worlds.CLASSES`): ``"null"``, ``"missing"`` and
    ``"undocumented"`` members as ``profile`` allows (none under ``"strict"``), ``"unknown-enum"``
    values, ``"empty"`` listings and ``"page-boundary"`` ones (exactly a page, a page and one,
    many pages), bindings ``"deleted"`` meanwhile (between two pages, a fetch answered 404, a page
    token gone stale), error answers (``"429"`` with Retry-After, ``"5xx"``, ``"401"``) and
    transport faults (``"truncated"``, ``"blank"`` 200/202 bodies, ``"delay"``). Each variation is
    a choice of its own whose first option is the plain answer: a world that breaks a test shrinks
    to the one variation that breaks it.
    """
    return _worlds(check_profile(profile), check_classes(variations))


@st.composite
def _worlds(draw: Draw, profile: str, classes: tuple[str, ...]) -> World:
    return draw_world(DrawSource(draw), profile, classes)
