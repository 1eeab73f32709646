"""``binding-contracts redact``: existing cassettes rewritten with the redaction of recording.

All or nothing. Every cassette is read and rewritten in memory first: one that ``check`` would
refuse (a Python tag, an alias bomb, a FIFO), a symbolic link, or with ``--in-place`` a file with
more than one hard link (another name would keep the unredacted copy) stops the command before
anything is written. Then every output is staged (a temporary file beside its target, written,
flushed to disk, given the input's mode and, in place, its owner and group) and only when all are
staged are they renamed over their targets; a failure at any step (a read-only directory, a full
disk, ``ulimit -f``, an owner the caller cannot give) removes what was staged, puts back what was
renamed, and is one error line, exit 2. Without ``--in-place`` the inputs are never written to.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .._inputs import read_file
from .._printable import printable
from ..errors import InputError, UsageError
from ..traffic.cassette_files import MAX_FILE_BYTES, find
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
    """Redact every cassette found; exit 0 when all were written, 2 when any was refused or could not
    be written (then none is)."""
    redactor = Redactor(redact_pii=args.pii, redact_account=True, pii_key=args.pii_key, check="off")
    if args.out is not None and os.path.lexists(args.out) and not os.path.isdir(args.out):
        raise UsageError(f"--out {args.out} is not a directory: name a directory to write the cassettes in")
    plan: list[tuple[str, Path, bytes, bool]] = []
    refused = 0
    for path, target in _targets(args.paths, args.out):
        try:
            data = _read(path, in_place=args.in_place)
            new = redacted(path, data, redactor)
        except InputError as exc:
            print_error(exc, err)
            refused += 1
            continue
        plan.append((path, target, new, new != data))
    if refused:
        print(f"{refused} cassette(s) refused: nothing written", file=err)
        return BAD_INPUT
    writes = [(path, target, new) for path, target, new, changed in plan if changed or not args.in_place]
    try:
        with _file_size_errors():
            _commit(writes, keep_owner=args.in_place)
    except _Failed as exc:
        print_error(f"{exc}: nothing written", err)
        return BAD_INPUT
    for path, target, _, changed in plan:
        if args.in_place:
            print(printable(f"{path}: {'redacted' if changed else 'unchanged'}"), file=out)
        else:
            print(printable(f"{path}: written to {target}"), file=out)
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


def _read(path: str, *, in_place: bool) -> bytes:
    if os.path.islink(path):
        raise InputError(path, "is a symbolic link; redact rewrites regular files only")
    data = read_file(path, MAX_FILE_BYTES, "a cassette")
    links = os.stat(path).st_nlink
    if in_place and links > 1:
        raise InputError(
            path,
            f"has {links} hard links: rewriting one name would leave the unredacted copy under the "
            "others (copy it to a file of its own, or redact with --out)",
        )
    return data


class _Failed(Exception):
    """A write that failed: one line naming the file and why."""


@contextlib.contextmanager
def _file_size_errors() -> Iterator[None]:
    """A write past ``ulimit -f`` fails with EFBIG instead of killing the process (SIGXFSZ)."""
    sigxfsz = getattr(signal, "SIGXFSZ", None)
    try:
        before = signal.signal(sigxfsz, signal.SIG_IGN) if sigxfsz is not None else None
    except ValueError:  # not the main thread: the signal stays as it was
        before = None
    try:
        yield
    finally:
        if before is not None:
            signal.signal(sigxfsz, before)  # type: ignore[arg-type]  # set only when SIGXFSZ exists


def _commit(writes: list[tuple[str, Path, bytes]], *, keep_owner: bool) -> None:
    """Every ``(input, target, data)`` written, or none: each staged beside its target first, then
    all renamed; on any failure the staged files, the directories made and the renames are undone."""
    staged: list[tuple[str, Path]] = []
    made: list[Path] = []
    renamed: list[tuple[Path, str | None]] = []
    backups: list[str] = []
    try:
        for path, target, data in writes:
            _make_directories(target.parent, made)
            staged.append((_stage(target, data, like=path, keep_owner=keep_owner), target))
        for temporary, target in staged:
            backup = _backup(target)
            backups += [backup] if backup is not None else []
            _step(target, "cannot be replaced", os.replace, temporary, target)
            renamed.append((target, backup))
    except BaseException:
        for target, backup in reversed(renamed):
            if backup is not None:
                with contextlib.suppress(OSError):
                    os.replace(backup, target)
            else:
                Path(target).unlink(missing_ok=True)
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    finally:
        for backup in backups:
            Path(backup).unlink(missing_ok=True)


def _step(where: Path | str, doing: str, action: Any, *args: Any) -> Any:
    try:
        return action(*args)
    except OSError as exc:
        raise _Failed(f"{where}: {doing} ({exc.strerror or exc})") from None


def _make_directories(folder: Path, made: list[Path]) -> None:
    missing = [p for p in [folder, *folder.parents] if not p.exists()]
    for p in reversed(missing):
        _step(p, "cannot be made a directory", p.mkdir)
        made.append(p)


def _backup(target: Path) -> str | None:
    """A second name for the file about to be replaced (None: there is none), to put it back if a
    later rename fails."""
    if not target.exists():
        return None
    backup = f"{target.parent}/.{target.name}.{os.getpid()}.orig"
    _step(target, "cannot be linked to keep it until every file is written", os.link, target, backup)
    return backup


def _stage(target: Path, data: bytes, *, like: str, keep_owner: bool) -> str:
    """``data`` in a temporary file beside ``target``, flushed to disk, with the mode of the input
    ``like`` and, ``keep_owner``, its owner and group; the temporary file's name."""
    info = os.stat(like)
    fd: int
    temporary: str
    fd, temporary = _step(
        target, "cannot be written", tempfile.mkstemp, "", f".{target.name}.", str(target.parent)
    )
    closed = False
    try:
        view = memoryview(data)
        while view:
            view = view[_step(target, "cannot be written", os.write, fd, view) :]
        _step(target, "cannot be written", os.fsync, fd)
        closed = True
        _step(target, "cannot be written", os.close, fd)
        now = os.stat(temporary)
        if keep_owner and (now.st_uid, now.st_gid) != (info.st_uid, info.st_gid):
            owner = f"{info.st_uid}:{info.st_gid}"
            _step(target, f"cannot keep its owner {owner}", os.chown, temporary, info.st_uid, info.st_gid)
        _step(target, "cannot keep its mode", os.chmod, temporary, stat.S_IMODE(info.st_mode))
    except BaseException:
        if not closed:
            with contextlib.suppress(OSError):
                os.close(fd)
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary
