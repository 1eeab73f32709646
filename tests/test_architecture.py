"""ARCHITECTURE.md is a map that holds: what it says of the tree, the layers and the rule ids is
checked here against the whole tree (every module under src/, every import-linter contract), and
every module or file a docstring, a comment or a docs page names exists.

A claim a test cannot hold (what a module is for, how a recipe goes) is held by reading; the recipes
are walked by adding a toy rule, fault and output format and running the tests they name.
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from binding_contracts import RULES
from conftest import ROOT

ARCHITECTURE = ROOT / "ARCHITECTURE.md"
PACKAGE = ROOT / "src" / "binding_contracts"
RULE_MODULES = PACKAGE / "checking" / "rules"


def modules() -> list[Path]:
    """Every module of the package, as a path relative to it (``checking/rules/page.py``)."""
    return sorted(p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py"))


def section(title: str) -> str:
    text = ARCHITECTURE.read_text("utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def first_block(text: str) -> str:
    match = re.search(r"^```\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)
    assert match is not None
    return match.group(1)


# -- the tree ---------------------------------------------------------------------------------


def tree_entries() -> set[Path]:
    """The files and folders the tree names, as paths under the repository root; an entry's folder is
    the nearest less indented folder above it."""
    folders: list[tuple[int, Path]] = []
    out: set[Path] = set()
    for line in first_block(section("The tree")).splitlines():
        match = re.match(r"( *)([\w.]+(?:/[\w.]+)*/|[\w.]+\.py)(?: |$)", line)
        if match is None:
            continue  # the continuation of a description
        indent, name = len(match.group(1)), match.group(2)
        while folders and folders[-1][0] >= indent:
            folders.pop()
        path = (folders[-1][1] if folders else Path()) / name.rstrip("/")
        out.add(path)
        if name.endswith("/"):
            folders.append((indent, path))
    return out


class TestTheTree:
    def test_names_every_module_of_the_package(self) -> None:
        named = {p.relative_to("src/binding_contracts") for p in tree_entries() if p.suffix == ".py"}
        # a subpackage's __init__ is the folder's line; it is named where it holds more (plugin's hooks)
        expected = {m for m in modules() if m.name != "__init__.py" or m.parent == Path()}
        assert expected - named == set(), "add these modules to ARCHITECTURE.md's tree"

    def test_names_nothing_that_does_not_exist(self) -> None:
        missing = sorted(str(p) for p in tree_entries() if not (ROOT / p).exists())
        assert missing == []


# -- the layers -------------------------------------------------------------------------------


def contracts() -> dict[str, list[set[str]]]:
    """The import-linter contracts of pyproject.toml: the layers of each container ("" for the
    package), each layer a set of names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    out: dict[str, list[set[str]]] = {}
    for contract in config["tool"]["importlinter"]["contracts"]:
        assert contract["type"] == "layers", contract["name"]
        (container,) = contract.get("containers", ["binding_contracts"])
        package = container.removeprefix("binding_contracts").removeprefix(".")
        out[package] = [
            {name.strip().removeprefix("binding_contracts.") for name in layer.split("|")}
            for layer in contract["layers"]
        ]
    return out


def drawn_layers() -> dict[str, list[set[str]]]:
    """The layers ARCHITECTURE.md draws: the package's (a block, top layer first) and each
    subpackage's (``- `spec`: facts > schemas > routes, formats``, nested ``in `rules`: …``)."""
    layers = section("Layers")
    names = {m.parts[0].removesuffix(".py") for m in modules()} - {"__init__"}
    out: dict[str, list[set[str]]] = {"": []}
    for line in first_block(layers).splitlines():
        words = line.split()
        layer = set()
        for word in words:
            if word not in names:
                break
            layer.add(word)
        out[""].append(layer)
    bullets = re.sub(r"\n  +", " ", layers.split("Inside the subpackages", 1)[1])
    for bullet in re.findall(r"^- (.+)$", bullets, flags=re.M):
        package = ""
        for part in bullet.split("; in "):
            match = re.fullmatch(r"`(\w+)`: (.+?)\s*(?:\(.*\))?", part.strip())
            assert match is not None, part
            name = match.group(1) if not package else f"{package}.{match.group(1)}"
            package = package or name
            out[name] = [{n.strip() for n in layer.split(",")} for layer in match.group(2).split(" > ")]
    return out


class TestTheLayers:
    def test_are_the_import_linter_contracts(self) -> None:
        assert drawn_layers() == contracts()

    @pytest.mark.parametrize("package", sorted(p for p in contracts() if p))
    def test_a_subpackage_s_contract_places_each_of_its_modules(self, package: str) -> None:
        folder = PACKAGE / package.replace(".", "/")
        own = {p.stem for p in folder.glob("*.py") if p.name != "__init__.py"}
        own |= {p.parent.name for p in folder.glob("*/__init__.py")}
        assert own == set().union(*contracts()[package])


# -- rule ids ---------------------------------------------------------------------------------


def string_constants(path: Path) -> Iterator[tuple[ast.Constant, ast.AST | None]]:
    """The string constants of a module but its docstrings, each with the call it is the first
    argument of (None when it is not one)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    first_of = {id(n.args[0]): n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.args}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node, first_of.get(id(node))


def _called(call: ast.AST | None) -> str | None:
    func = call.func if isinstance(call, ast.Call) else None
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


DECLARED = {r.id for r in RULES.values() if r.func is not None}
"""The semantic rules: each declared by ``@rule`` on its function."""
UNDECLARED = set(RULES) - DECLARED
"""The rules no function declares: the schema keywords', kind.undetected and the interaction rules."""
WRITERS_OF_UNDECLARED_IDS = {
    "checking/catalogue.py": "declares kind.undetected (and schema.<keyword> from SCHEMA_KEYWORDS)",
    "checking/rules/request.py": "declares the interaction rules in its tables",
    "checking/entry.py": "finds kind.undetected and response.json",
    "checking/schema/reference.py": "finds schema.required (a missing member, pointed at the member)",
    "checking/schema/compiled.py": "finds schema.required, as the reference path does",
    "traffic/interactions.py": "finds the interaction rules",
    "traffic/tally.py": "finds response.json (a cassette body no JSON parser reads)",
    "traffic/leaks.py": "finds cassette.secret",
    "traffic/pseudonyms.py": "finds cassette.pii",
    "generation/breakers/schema.py": "breaks the schema keywords",
    "generation/breakers/item.py": "breaks schema.pattern and kind.undetected in an item",
    "generation/breakers/page.py": "breaks schema.format, schema.minimum and kind.undetected in a page",
    "generation/breakers/document.py": "breaks the schema keywords and kind.undetected in an error",
    "generation/mutations.py": "lists the schema keywords and kind.undetected the published profile judges",
}
"""The modules that write an id no function declares, and why: the ones that declare, find or
break that rule. A semantic rule's id is written in its declaration alone."""


class TestRuleIds:
    def test_a_semantic_rule_s_id_is_written_only_in_its_declaration(self) -> None:
        written = [
            f"{path}:{node.lineno}: {node.value}"
            for path in modules()
            for node, call in string_constants(PACKAGE / path)
            if node.value in DECLARED
            and not (path.parent == RULE_MODULES.relative_to(PACKAGE) and _called(call) == "rule")
        ]
        assert written == [], "name the rule by its function (checking.rule.id_of(func) is its id)"

    def test_an_undeclared_rule_s_id_is_written_only_where_it_is_declared_found_or_broken(self) -> None:
        writers = {
            str(path)
            for path in modules()
            if any(node.value in UNDECLARED for node, _ in string_constants(PACKAGE / path))
        }
        assert writers == set(WRITERS_OF_UNDECLARED_IDS)


# -- schema facts ----------------------------------------------------------------------------

SCHEMA_READERS = {"defs", "raw_schemas"}
FACT_KEYS = {"enum", "minimum", "maximum", "default"}


def _reads_schemas(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in SCHEMA_READERS
        for n in ast.walk(node)
    )


def schema_facts_read(path: Path) -> list[str]:
    """Where a module takes an enum or a bound (``["enum"]``, ``["maximum"]``…) from what ``defs()``
    or ``raw_schemas()`` returned, directly or through a name it assigned it to."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and _reads_schemas(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    return [
        f"{node.lineno}: {node.slice.value}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Constant)
        and node.slice.value in FACT_KEYS
        and (_reads_schemas(node.value) or (isinstance(node.value, ast.Name) and node.value.id in names))
    ]


def test_enums_and_bounds_are_read_through_spec_facts() -> None:
    """One accessor for the schema facts code draws or judges by (``spec/facts.py``): ``enum``,
    ``page_size_bounds``, ``error_status_bounds``."""
    read = [
        f"{path}:{where}"
        for path in modules()
        if path.parts[0] != "spec"
        for where in schema_facts_read(PACKAGE / path)
    ]
    assert read == []


# -- names in docstrings, comments and docs ---------------------------------------------------

TEXTS = ("src/**/*.py", "docs/*.md", "docs/*.py", "bench/README.md", "bench/*.py", "*.md")
FILE_NAME = re.compile(r"(?<![\w/.\-:])((?:\.\./)?(?:[\w\-]+/)*[\w\-]+\.(?:py|md))\b")
EXAMPLES = {
    "test_sync.py": "the test module of a user's project, in docs/pytest-plugin.md",
    "test_first.py": "the test module of a user's project, in docs/fake.md",
    "test_replay.py": "the test module bench/bench_pytest.py writes into the project it times",
    "page.md": "any page, in a comment of docs/conf.py on heading anchors",
    "tests/test_push.py": "a test module of a user's project, in docs/freshness.md's usage file",
    "inventory.py": "a user's module, in docs/consumer-robustness.md",
    "test_inventory.py": "its test module, in docs/consumer-robustness.md",
}
"""File names the docs use for a user's files, not this repository's."""


@cache
def repository_files() -> tuple[str, ...]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return tuple(f for f in listed if (ROOT / f).exists())


def texts() -> list[Path]:
    return sorted({p for pattern in TEXTS for p in ROOT.glob(pattern)} - {ROOT / "CHANGELOG.md"})


def _exists(name: str, where: Path) -> bool:
    if name in EXAMPLES:
        return True
    if name.startswith("../"):
        return (where.parent / name).exists()
    if "/" not in name:
        return any(f.rsplit("/", 1)[-1] == name for f in repository_files())
    return any(f == name or f.endswith("/" + name) for f in repository_files())


def absolute(reference: str, module: str) -> str:
    """A reference written in ``module`` (``.rule.rule``, ``..spec.urls``) as a dotted name."""
    if not reference.startswith("."):
        return reference
    dots = len(reference) - len(reference.lstrip("."))
    return ".".join([*module.split(".")[:-dots], reference.lstrip(".")])


def found(reference: str, module: str, role: str = "func") -> bool:
    """Whether a reference written in ``module`` resolves: relative to it (``..spec.urls``), or, with
    one leading dot and for a name in a module, as Sphinx reads it too: the name at the end of any
    module's (``.proof.Seen``). A module (``:mod:``) is named relative to the one that names it."""
    if resolves(absolute(reference, module)):
        return True
    if role == "mod" or not reference.startswith(".") or reference.startswith(".."):
        return False
    names = (".".join(("binding_contracts", *m.with_suffix("").parts)) for m in modules())
    return any(resolves(name.removesuffix(".__init__") + reference) for name in names)


def resolves(name: str) -> bool:
    """Whether a dotted name of the package is a module, or an attribute of one (``a.b.C.d``)."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(value, attribute):
                annotations = getattr(value, "__annotations__", {})
                fields = getattr(value, "__dataclass_fields__", {})
                if attribute not in annotations and attribute not in fields:
                    return False
                value = None
            else:
                value = getattr(value, attribute)
        return True
    return False


class TestNamesInTheText:
    def test_every_file_named_exists(self) -> None:
        missing = [
            f"{path.relative_to(ROOT)}: {name}"
            for path in texts()
            for name in FILE_NAME.findall(path.read_text("utf-8"))
            if not _exists(name, path)
        ]
        assert missing == []

    def test_every_module_or_name_a_docstring_refers_to_exists(self) -> None:
        """``:mod:`.reference```, and ``:func:`` and the other roles where they name a module
        (relative, or from binding_contracts): a name another module's docstring gives resolves."""
        missing = []
        for path in modules():
            module = ".".join(("binding_contracts", *path.with_suffix("").parts))
            text = (PACKAGE / path).read_text("utf-8")
            for role, reference in re.findall(r":(\w+):`~?([\w.]+)`", text):
                ours = reference.startswith((".", "binding_contracts"))
                if ours and not found(reference, module, role):
                    missing.append(f"{path}: :{role}:`{reference}`")
        assert missing == []
