"""Profile files: the strict profile with members of a kind made nullable or optional, in a
versioned JSON format (docs/checking.md, "Profile files"); read and shape-checked here, their members
checked and their schemas derived in :mod:`.schemas`."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from .._inputs import first_repeated, parse_unique_json, read_file
from ..errors import InputError, UsageError, did_you_mean

FILE_KEY: Final = "binding_contracts_profile"
FILE_VERSION: Final = 1
"""A profile file is ``{"binding_contracts_profile": 1, "base": "strict", "loosen": {KIND:
{"nullable": [MEMBER...], "optional": [MEMBER...]}}}``: docs/checking.md describes it."""
LOOSENINGS: Final = ("nullable", "optional")
MAX_FILE_BYTES: Final = 1024 * 1024

DETECTED_BY: Final[Mapping[str, tuple[tuple[str, ...], ...]]] = {
    "error": (("status",), ("message",)),
    "binding": (("sid", "binding_type", "links"),),
    "user-binding": (("user_sid",),),
    "conversations-binding": (("chat_service_sid",),),
    "binding-page": (("meta",),),
    "user-binding-page": (("meta",),),
    "conversations-binding-page": (("meta",),),
}
"""The members ``detect_kind`` tells a kind by (checking/entry.py): of each group, one at least must
stay required, or a payload of the kind could lack all and be taken for another kind or none."""


class ProfileFileError(InputError, UsageError):
    """A profile file that cannot be used: names the file and what is wrong with it."""


@dataclass(frozen=True)
class ProfileFile:
    """A profile file as read: the strict profile, but for the members each kind may send as null
    (``nullable``) or leave out (``optional``)."""

    source: str
    nullable: Mapping[str, frozenset[str]]
    optional: Mapping[str, frozenset[str]]

    def to_json(self) -> dict[str, Any]:
        """The file's JSON document, its lists sorted (so that a written file diffs cleanly)."""
        loosen: dict[str, dict[str, list[str]]] = {}
        for how, table in (("nullable", self.nullable), ("optional", self.optional)):
            for kind, members in table.items():
                if members:
                    loosen.setdefault(kind, {})[how] = sorted(members)
        return {FILE_KEY: FILE_VERSION, "base": "strict", "loosen": dict(sorted(loosen.items()))}


def read_profile_file(path: str | os.PathLike[str], kinds: tuple[str, ...]) -> ProfileFile:
    """A profile file read and its shape checked (its kinds among ``kinds``); whether its members
    exist is the schemas' to say (:func:`.schemas.check_profile`). :class:`ProfileFileError`."""
    source = os.fspath(path)
    try:
        doc = parse_unique_json(source, read_file(source, MAX_FILE_BYTES, "a profile file"))
    except InputError as exc:
        raise ProfileFileError(source, exc.problem) from None

    def bad(problem: str) -> ProfileFileError:
        return ProfileFileError(source, problem)

    if not isinstance(doc, dict) or doc.get(FILE_KEY) is None:
        raise bad(f"is not a profile file (expected a JSON object with {FILE_KEY!r}: {FILE_VERSION})")
    version = doc[FILE_KEY]
    if type(version) is not int:  # JSON true, 1.0 and "1" are not the integer 1
        raise bad(f"has {FILE_KEY} {json.dumps(version)[:40]}, expected the integer {FILE_VERSION}")
    if version != FILE_VERSION:
        raise bad(f"is a profile file of version {version!r}; version {FILE_VERSION} is supported")
    extra = sorted(set(doc) - {FILE_KEY, "base", "loosen"})
    if extra:
        raise bad(f"has the unknown key {extra[0]!r} (expected {FILE_KEY}, base, loosen)")
    base = doc.get("base", "strict")
    if base != "strict":
        raise bad(f"has base {json.dumps(base)[:40]}, but a profile file loosens 'strict' only")
    loosen = doc.get("loosen", {})
    if not isinstance(loosen, dict):
        raise bad(f"has a 'loosen' that is a JSON {type(loosen).__name__}, expected an object of kinds")
    tables: dict[str, dict[str, frozenset[str]]] = {"nullable": {}, "optional": {}}
    for kind, how in loosen.items():
        if kind not in kinds:
            raise bad(f"names the unknown kind {kind!r}{did_you_mean(kind, kinds)}")
        if not isinstance(how, dict) or set(how) - set(LOOSENINGS):
            raise bad(f"loosens kind {kind!r} with something other than an object of nullable, optional")
        for name, members in how.items():
            if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
                raise bad(f"has a {kind}.{name} that is not a list of member names")
            twice = first_repeated(members)
            if twice is not None:
                raise bad(f"names {twice[:80]!r} twice in {kind}.{name}")
            tables[name][kind] = frozenset(members)
    return ProfileFile(source, tables["nullable"], tables["optional"])
