"""``binding-contracts migrate-check CHAT_CASSETTES CONVERSATIONS_CASSETTES``: what a client saw of the
same identities from Chat v2 and from Conversations v1, compared (:mod:`..traffic.migration`)."""

from __future__ import annotations

import argparse
from typing import IO, Any

from .._printable import json_text, printable
from ..spec.kinds import CHAT, CONVERSATIONS
from ..traffic.migration import Comparison, compare, observe
from .common import OK, VIOLATION


def add_parser(commands: Any) -> None:
    m = commands.add_parser(
        "migrate-check", help="compare the bindings Chat v2 and Conversations v1 cassettes show"
    )
    m.add_argument("chat", metavar="CHAT_CASSETTES", help="a Chat v2 cassette file or a directory of them")
    m.add_argument(
        "conversations",
        metavar="CONVERSATIONS_CASSETTES",
        help="a Conversations v1 cassette file or directory",
    )
    m.add_argument("--format", default="text", choices=("text", "json"), help="default: text")


def run(args: argparse.Namespace, out: IO[str]) -> int:
    """Exit 0 when the identities seen from both APIs have the same bindings, 1 when they differ
    (or no identity is seen from both); unreadable input raises (exit 2)."""
    result = compare(observe([args.chat], CHAT), observe([args.conversations], CONVERSATIONS))
    if args.format == "json":
        body = {"differences": [d.to_dict() for d in result.differences], "summary": _counts(result)}
        print(json_text(body), file=out)
    else:
        for difference in result.differences:
            print(printable(difference.line()), file=out)
        print(_summary(result), file=out)
    return OK if result.ok else VIOLATION


def _counts(result: Comparison) -> dict[str, int]:
    return {
        "compared": result.compared,
        "differences": len(result.differences),
        "only_chat": result.only_chat,
        "only_conversations": result.only_conversations,
    }


def _summary(result: Comparison) -> str:
    if not result.compared:
        return "no identity is seen from both APIs: nothing to compare"
    return (
        f"{result.compared} identit{'y' if result.compared == 1 else 'ies'} compared: "
        f"{len(result.differences)} difference(s); seen from one API only (not compared): "
        f"{result.only_chat} in Chat, {result.only_conversations} in Conversations"
    )
