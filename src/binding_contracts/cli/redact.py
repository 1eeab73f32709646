"""``binding-contracts redact``: existing cassettes rewritten with the redaction of recording.

Every cassette is read and rewritten in memory first: one that ``check`` would refuse (a Python
tag, an alias bomb, a FIFO) or a link stops the command before anything is written. Without
``--in-place`` the inputs are never written to; with it, each file is replaced atomically (a
temporary file beside it, then ``os.replace``), keeping its permissions.
"""

from __future__ import annotations

import argparse
import os
import stat
import tempfile
from pathlib import Path
from typing import IO, Any

from .._inputs import read_file
from .._printable import printable
from ..errors import InputError, UsageError
from ..traffic.cassettes import MAX_FILE_BYTES, find
from ..traffic.recording import DEFAULT_PII_KEY, Redactor
from ..traffic.scrub import redacted
from .common import BAD_INPUT, OK, print_error


def add_parser(commands: Any) -> None:
    c = commands.add_parser(
        "redact", help="rewrite vcrpy cassettes with the redaction of recording (credentials, PII)"
    )
    c.add_argument("paths", nargs="+", metavar="PATH", help="cassette files or directories (recursive)")
    where = c.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", metavar="DIR", help="write the redacted cassettes under DIR")
    where.add_argument("--in-place", action="store_true", help="replace each cassette (atomically)")
    c.add_argument("--pii", action="store_true", help="pseudonymise identities and endpoints too")
    c.add_argument(
        "--pii-key",
        metavar="KEY",
        default=DEFAULT_PII_KEY,
        help="the key of the pseudonyms: the pii_key of the vcr_config that plays the cassettes back",
    )


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """Redact every cassette found; exit 0 when all were written, 2 when any was refused (then none is)."""
    redactor = Redactor(redact_pii=args.pii, redact_account=True, pii_key=args.pii_key, check="off")
    plan: list[tuple[str, Path, bytes, bool]] = []
    refused = 0
    for path, target in _targets(args.paths, args.out):
        try:
            data = _read(path)
            new = redacted(path, data, redactor)
        except InputError as exc:
            print_error(exc, err)
            refused += 1
            continue
        plan.append((path, target, new, new != data))
    if refused:
        print(f"{refused} cassette(s) refused: nothing written", file=err)
        return BAD_INPUT
    for path, target, new, changed in plan:
        if args.in_place and not changed:
            print(printable(f"{path}: unchanged"), file=out)
            continue
        _write(target, new, like=path)
        print(printable(f"{path}: {'redacted' if args.in_place else 'written to ' + str(target)}"), file=out)
    print(f"{len(plan)} cassette(s), {sum(p[3] for p in plan)} changed by redaction", file=out)
    return OK


def _targets(paths: list[str], out: str | None) -> list[tuple[str, Path]]:
    """Each cassette and where its redacted form goes: itself in place; under ``--out`` the path
    relative to the directory named (a file named alone: its name)."""
    found: list[tuple[str, Path]] = []
    for name in paths:
        root = Path(name)
        for path in find([name]):
            if out is None:
                found.append((path, Path(path)))
            else:
                relative = Path(path).relative_to(root) if root.is_dir() else Path(Path(path).name)
                found.append((path, Path(out) / relative))
    if not found:
        raise InputError(", ".join(paths), "holds no cassette (*.yaml, *.yml, *.json)")
    targets = [t.resolve() for _, t in found]
    if len(set(targets)) < len(targets):
        raise UsageError("two cassettes would be written to the same file under --out: name them apart")
    if out is not None:
        inputs = {Path(p).resolve() for p, _ in found}
        if any(t in inputs for t in targets):
            raise UsageError("--out would overwrite an input cassette: use --in-place to rewrite inputs")
    return found


def _read(path: str) -> bytes:
    if os.path.islink(path):
        raise InputError(path, "is a symbolic link; redact rewrites regular files only")
    return read_file(path, MAX_FILE_BYTES, "a cassette")


def _write(target: Path, data: bytes, *, like: str) -> None:
    """``data`` in ``target`` atomically: written to a temporary file in the same directory, then
    moved over the target, with the mode of the input ``like``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(os.stat(like).st_mode)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
