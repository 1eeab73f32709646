"""Cut a Twilio OpenAPI file to its Binding paths and the components they reference.

    python scripts/trim_openapi.py SPEC.json > OUT.json

Used for the twilio-oai revisions in tests/data/oai-history/ (see tests/data/README.md): the document's
``openapi``, ``info`` and ``servers``, the paths whose template ends in ``/Bindings`` or
``/Bindings/{Sid}``, and every ``#/components/...`` node they reach; nothing else is changed.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node)) if node else set()
    return set()


def trim(doc: dict[str, Any]) -> dict[str, Any]:
    paths = {p: item for p, item in doc["paths"].items() if p.endswith(("/Bindings", "/Bindings/{Sid}"))}
    out: dict[str, Any] = {k: doc[k] for k in ("openapi", "info", "servers") if k in doc}
    out["paths"] = paths
    components: dict[str, dict[str, Any]] = {}
    pending, seen = _refs(paths), set()
    while pending:
        ref = pending.pop()
        if ref in seen or not ref.startswith("#/components/"):
            continue
        seen.add(ref)
        section, name = ref.split("/")[2:4]
        node = doc["components"][section][name]
        components.setdefault(section, {})[name] = node
        pending |= _refs(node)
    out["components"] = {s: dict(sorted(n.items())) for s, n in sorted(components.items())}
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        print(json.dumps(trim(json.load(f)), indent=2))
