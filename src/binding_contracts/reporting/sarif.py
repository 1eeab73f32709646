"""SARIF 2.1.0 (OASIS): one run whose driver lists every rule of the catalogue with its help inline,
an invocation that says whether every input was read, and one result per finding with its physical
location (the file as given, as a relative URI reference; the line and column of the member).
Columns count Unicode code points (``columnKind``), as the text output does."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any, Final
from urllib.parse import quote

from .._printable import json_text
from .located import Located, RuleInfo, Tool, Unread

SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION: Final = "2.1.0"


def uri(path: str) -> str:
    """A path as a URI reference: relative ones stay relative (``/`` separated, percent-encoded),
    absolute ones become ``file:`` URIs. The path's bytes are encoded, as the file system holds
    them: a name that is not UTF-8 (undecodable bytes kept as surrogates) is percent-encoded too."""
    if os.path.isabs(path) and os.name == "nt":
        return PurePath(path).as_uri()
    try:
        raw = os.fsencode(path.replace(os.sep, "/"))
    except UnicodeEncodeError:  # a surrogate no file system name holds: given from Python
        raw = path.replace(os.sep, "/").encode("utf-8", "surrogatepass")
    return ("file://" if os.path.isabs(path) else "") + quote(raw, safe="/")


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    """A rule's descriptor, its help inline (``fullDescription``, ``help`` as text and Markdown):
    code scanning shows it beside each result, with no page to open."""
    out: dict[str, Any] = {
        "id": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.description or rule.summary},
        "defaultConfiguration": {"level": rule.level},
    }
    if rule.help:
        out["help"] = {"text": plain(rule.help), "markdown": rule.help}
    return out


def plain(markdown: str) -> str:
    """Help written in Markdown as plain text: the code spans' backticks dropped."""
    return markdown.replace("`", "")


def _result(finding: Located, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": finding.level,
        "message": {"text": f"{finding.pointed()}: {finding.described()}"},
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    name = finding.key + (finding.pointer or ("" if "/" in finding.key else "/"))  # "#3/request/uri"
    location: dict[str, Any] = {"logicalLocations": [{"fullyQualifiedName": name, "kind": "member"}]}
    if finding.path is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri(finding.path)}}
        if finding.line is not None:
            physical["region"] = {"startLine": finding.line, "startColumn": finding.column or 1}
        location["physicalLocation"] = physical
    result["locations"] = [location]
    return result


def log(findings: Iterable[Located], tool: Tool, unread: Iterable[Unread] = ()) -> dict[str, Any]:
    """The SARIF log of one run; its invocation says whether every input was read, and names each
    that was not (``executionSuccessful: false`` and a notification per input: a run that read
    nothing is not a clean scan)."""
    index = {rule.id: n for n, rule in enumerate(tool.rules)}
    driver = {
        "name": tool.name,
        "version": tool.version,
        "rules": [_descriptor(rule) for rule in tool.rules],
    }
    notifications = [_notification(u) for u in unread]
    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index) for f in findings],
    }
    return {"$schema": SCHEMA, "version": VERSION, "runs": [run]}


def _notification(unread: Unread) -> dict[str, Any]:
    out: dict[str, Any] = {"level": "error", "message": {"text": unread.message}}
    if unread.path is not None:
        out["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": uri(unread.path)}}}]
    return out


def render(findings: Iterable[Located], tool: Tool, unread: Iterable[Unread] = ()) -> str:
    return json_text(log(findings, tool, unread))
