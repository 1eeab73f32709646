"""A cassette is known by its file: every way pytest-recording and vcrpy name a cassette, each with
a cassette that breaks a rule, one that keeps the contract and one with no Binding traffic. Each
finding and each result of the JSON report names a file that exists, holding at that index the
interaction quoted, and judged as ``binding-contracts check`` judges that file; the summary names
the files with no Binding traffic; the unused report lists exactly the cassettes no test opened. In
one process and under pytest-xdist."""

from __future__ import annotations

import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Imported before the in-process runs: pytester drops the modules a run imported, and vcrpy imported
# afresh beside the yaml module already loaded cannot load a cassette.
import vcr  # noqa: F401
import yaml

from binding_contracts.cli import run as cli
from binding_contracts.fake import FakeBindingAPI
from recordings import record_session

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow

VARIANTS = ("good", "fault", "other")
"""A cassette that keeps the contract, one whose fetch breaks binding.url-sid (#3), one with no
Binding operation."""

HELPERS = '''
import pytest, requests, yaml

def replay(*paths):
    """Every request of the cassette files, in order: vcrpy answers them."""
    for path in paths:
        with open(path) as f:
            doc = yaml.safe_load(f)
        for i in doc["interactions"]:
            requests.request(i["request"]["method"], i["request"]["uri"], timeout=5)

def record(api, variant):
    """Requests to a running fake: a listing and a fetch (its url broken for "fault"), or a request
    that is no Binding operation ("other")."""
    svc = next(iter(api.store.services))
    if variant == "other":
        requests.get(f"{api.base_url}/v2/Services", timeout=5)
        return
    if variant == "fault":
        api.inject("fetch-binding=break:binding.url-sid")
    base = f"{api.base_url}/v2/Services/{svc}/Bindings"
    sid = requests.get(base, timeout=5).json()["bindings"][0]["sid"]
    requests.get(f"{base}/{sid}", timeout=5)
'''

CONFTEST = """
import pytest
from binding_contracts.cli import run as cli
from binding_contracts.fake import FakeBindingAPI

@pytest.fixture
def vcr_config():
    return {"allow_playback_repeats": True}

@pytest.fixture
def fake():
    with FakeBindingAPI(seed=0, auth=False, services=1, bindings=3) as api:
        yield api
"""

HEADS = {
    "test_marks": "import pytest\nfrom named_ways import record, replay\nfrom pathlib import Path\n"
    "HERE = Path(__file__).parent\nMARKS = HERE / 'cassettes' / 'test_marks'\n",
    "test_elsewhere": "import pytest\nfrom named_ways import replay\nfrom pathlib import Path\n"
    "HERE = Path(__file__).parent\n\n@pytest.fixture(scope='module')\ndef vcr_cassette_dir():\n"
    "    return str(HERE / 'elsewhere')\n",
    "test_named": "import pytest\nfrom named_ways import replay\nfrom pathlib import Path\n"
    "HERE = Path(__file__).parent\n\n@pytest.fixture\ndef default_cassette_name(request):\n"
    "    return request.node.name.replace('test_', 'given-')\n",
    "test_plain": "import pytest, vcr\nfrom named_ways import record, replay\nfrom pathlib import Path\n"
    "HERE = Path(__file__).parent\nMINE = vcr.VCR(cassette_library_dir=str(HERE / 'library'), "
    "record_mode='none')\n",
}


@dataclass(frozen=True)
class Way:
    """One way of naming a cassette: the test (``{v}``: the variant), the files laid before the run
    (path -> variant), and the file the test's own interactions end up in."""

    module: str
    test: str
    laid: Callable[[str], dict[str, str]]
    target: Callable[[str], str]

    def quiet(self, v: str) -> set[str]:
        """The files the summary lists as holding no Binding traffic after the run."""
        laid = self.laid(v)
        files = {path for path, kind in laid.items() if kind == "other" and path != self.target(v)}
        if v == "other" and laid.get(self.target(v), "other") == "other":
            files.add(self.target(v))
        return files


def _one(path: str) -> Callable[[str], dict[str, str]]:
    return lambda v: {path.format(v=v): v}


MARKS = "cassettes/test_marks/"
WAYS = {
    "marker-name": Way(
        "test_marks",
        '@pytest.mark.vcr("named-{v}.yaml")\ndef test_marker_name_{v}():\n'
        '    replay(MARKS / "named-{v}.yaml")\n',
        _one(MARKS + "named-{v}.yaml"),
        lambda v: f"{MARKS}named-{v}.yaml",
    ),
    "marker-names": Way(
        "test_marks",
        '@pytest.mark.vcr("first-{v}.yaml", "second-{v}.yaml")\ndef test_marker_names_{v}():\n'
        '    replay(MARKS / "first-{v}.yaml", MARKS / "second-{v}.yaml")\n',
        lambda v: {f"{MARKS}first-{v}.yaml": "other", f"{MARKS}second-{v}.yaml": v},
        lambda v: f"{MARKS}second-{v}.yaml",
    ),
    "two-markers": Way(
        "test_marks",
        '@pytest.mark.vcr("upper-{v}.yaml")\n@pytest.mark.vcr("lower-{v}.yaml")\n'
        "def test_two_markers_{v}():\n"
        '    replay(MARKS / "lower-{v}.yaml", MARKS / "upper-{v}.yaml")\n',
        lambda v: {f"{MARKS}lower-{v}.yaml": "other", f"{MARKS}upper-{v}.yaml": v},
        lambda v: f"{MARKS}upper-{v}.yaml",
    ),
    "marker-absolute": Way(
        "test_marks",
        '@pytest.mark.vcr(str(HERE / "shared" / "absolute-{v}.yaml"))\ndef test_marker_absolute_{v}():\n'
        '    replay(HERE / "shared/absolute-{v}.yaml")\n',
        _one("shared/absolute-{v}.yaml"),
        lambda v: f"shared/absolute-{v}.yaml",
    ),
    "json-serializer": Way(
        "test_marks",
        '@pytest.mark.vcr("as-json-{v}.json", serializer="json")\ndef test_json_serializer_{v}():\n'
        '    replay(MARKS / "as-json-{v}.json")\n',
        _one(MARKS + "as-json-{v}.json"),
        lambda v: f"{MARKS}as-json-{v}.json",
    ),
    "default-cassette-marker": Way(
        "test_marks",
        '@pytest.mark.default_cassette("by-marker-{v}.yaml")\n@pytest.mark.vcr\n'
        "def test_default_cassette_marker_{v}():\n"
        '    replay(MARKS / "by-marker-{v}.yaml")\n',
        _one(MARKS + "by-marker-{v}.yaml"),
        lambda v: f"{MARKS}by-marker-{v}.yaml",
    ),
    "vcr-cassette-dir": Way(
        "test_elsewhere",
        "@pytest.mark.vcr\ndef test_cassette_dir_{v}():\n"
        '    replay(HERE / "elsewhere/test_cassette_dir_{v}.yaml")\n',
        _one("elsewhere/test_cassette_dir_{v}.yaml"),
        lambda v: f"elsewhere/test_cassette_dir_{v}.yaml",
    ),
    "default-cassette-name": Way(
        "test_named",
        "@pytest.mark.vcr\ndef test_default_name_{v}():\n"
        '    replay(HERE / "cassettes/test_named/given-default_name_{v}.yaml")\n',
        _one("cassettes/test_named/given-default_name_{v}.yaml"),
        lambda v: f"cassettes/test_named/given-default_name_{v}.yaml",
    ),
    "use-cassette": Way(
        "test_plain",
        "def test_use_cassette_{v}():\n"
        '    with vcr.use_cassette("plain/{v}.yaml", record_mode="none", allow_playback_repeats=True):\n'
        '        replay(HERE / "plain/{v}.yaml")\n',
        _one("plain/{v}.yaml"),
        lambda v: f"plain/{v}.yaml",
    ),
    "use-cassette-decorator": Way(
        "test_plain",
        '@vcr.use_cassette("plain/decorated-{v}.yaml", record_mode="none", allow_playback_repeats=True)\n'
        "def test_decorated_{v}():\n"
        '    replay(HERE / "plain/decorated-{v}.yaml")\n',
        _one("plain/decorated-{v}.yaml"),
        lambda v: f"plain/decorated-{v}.yaml",
    ),
    "own-vcr": Way(
        "test_plain",
        "def test_own_vcr_{v}():\n"
        '    with MINE.use_cassette("{v}.yaml", allow_playback_repeats=True):\n'
        '        replay(HERE / "library/{v}.yaml")\n',
        _one("library/{v}.yaml"),
        lambda v: f"library/{v}.yaml",
    ),
    "record-once": Way(
        "test_marks",
        '@pytest.mark.vcr(record_mode="once")\ndef test_record_once_{v}(fake):\n    record(fake, "{v}")\n',
        lambda v: {},
        lambda v: f"{MARKS}test_record_once_{v}.yaml",
    ),
    "record-named": Way(  # pytest-recording reads the names and saves to the test's own cassette
        "test_marks",
        '@pytest.mark.vcr("asked-{v}.yaml", record_mode="once")\ndef test_record_named_{v}(fake):\n'
        '    record(fake, "{v}")\n',
        lambda v: {},
        lambda v: f"{MARKS}test_record_named_{v}.yaml",
    ),
    "record-new-episodes": Way(  # recorded after what the cassette held
        "test_marks",
        '@pytest.mark.vcr(record_mode="new_episodes")\ndef test_record_new_episodes_{v}(fake):\n'
        '    record(fake, "{v}")\n',
        lambda v: {f"{MARKS}test_record_new_episodes_{v}.yaml": "other"},
        lambda v: f"{MARKS}test_record_new_episodes_{v}.yaml",
    ),
    "record-all": Way(
        "test_marks",
        '@pytest.mark.vcr(record_mode="all")\ndef test_record_all_{v}(fake):\n    record(fake, "{v}")\n',
        lambda v: {},
        lambda v: f"{MARKS}test_record_all_{v}.yaml",
    ),
    "record-use-cassette": Way(
        "test_plain",
        "def test_record_use_cassette_{v}(fake):\n"
        '    with vcr.use_cassette("recorded/{v}.yaml", record_mode="once"):\n        record(fake, "{v}")\n',
        lambda v: {},
        lambda v: f"recorded/{v}.yaml",
    ),
}


@pytest.fixture(scope="module")
def cassettes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The three variants, from one real recording against the fake."""
    folder = tmp_path_factory.mktemp("variants")
    with FakeBindingAPI(seed=21, auth=False, services=1, bindings=7) as api:
        good = record_session(api, folder / "good.yaml")
    doc = yaml.safe_load(good.read_text())
    fetched = json.loads(doc["interactions"][3]["response"]["body"]["string"])
    fetched["url"] = fetched["url"][:-4] + "ffff"
    doc["interactions"][3]["response"]["body"]["string"] = json.dumps(fetched)
    (folder / "fault.yaml").write_text(yaml.safe_dump(doc))
    doc["interactions"] = doc["interactions"][-1:]  # GET /v2/Services: no Binding operation
    (folder / "other.yaml").write_text(yaml.safe_dump(doc))
    return {v: folder / f"{v}.yaml" for v in VARIANTS}


@dataclass
class Project:
    root: Path
    variants: tuple[str, ...]
    stale: set[str]

    def tests(self) -> dict[str, tuple[Way, str]]:
        return {_name(way, v): (way, v) for way in WAYS.values() for v in self.variants}


def _name(way: Way, v: str) -> str:
    return re.search(r"def (test_\w+)\(", way.test.format(v=v)).group(1)  # type: ignore[union-attr]


def lay(pytester: pytest.Pytester, cassettes: dict[str, Path], variants: tuple[str, ...]) -> Project:
    """The project: every way and variant, the files they open, and a stale cassette in each
    folder the session's cassettes are in."""
    root = pytester.path
    pytester.makeconftest(CONFTEST)
    (root / "named_ways.py").write_text(HELPERS)
    modules: dict[str, list[str]] = {module: [head] for module, head in HEADS.items()}
    folders: set[str] = set()
    for way in WAYS.values():
        for v in variants:
            modules[way.module].append(way.test.format(v=v))
            folders.add(str(Path(way.target(v)).parent))
    relay(root, cassettes, variants)
    for module, parts in modules.items():
        (root / f"{module}.py").write_text("\n\n".join(parts))
    stale = set()
    for folder in folders:
        (root / folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(cassettes["good"], root / folder / "stale.yaml")
        stale.add(f"{folder}/stale.yaml")
    return Project(root, variants, stale)


def relay(root: Path, cassettes: dict[str, Path], variants: tuple[str, ...]) -> None:
    """The files each way opens, as before any run (what a run recorded removed)."""
    for way in WAYS.values():
        for v in variants:
            (root / way.target(v)).unlink(missing_ok=True)
            for path, kind in way.laid(v).items():
                (root / path).parent.mkdir(parents=True, exist_ok=True)
                if path.endswith(".json"):  # vcrpy's json serializer: the same document
                    doc = yaml.safe_load(cassettes[kind].read_text())
                    (root / path).write_text(json.dumps(doc, indent=2))
                else:
                    shutil.copy(cassettes[kind], root / path)


FINDING = re.compile(r"^(?P<path>\S+)#(?P<index>\d+) (?P<method>[A-Z]+) (?P<uri>\S+?)(?=: |$)")


def names_its_interaction(root: Path, source: str) -> Path:
    """The file a finding's source names, after checking that it exists and holds the quoted
    interaction at the index given."""
    found = FINDING.match(source)
    assert found, source
    path = (root / found["path"]).resolve()
    assert path.is_file(), source
    interaction = yaml.safe_load(path.read_text())["interactions"][int(found["index"])]
    assert (interaction["request"]["method"], interaction["request"]["uri"]) == (
        found["method"],
        found["uri"],
    ), source
    return path


def run(project: Project, pytester: pytest.Pytester, xdist: bool, *options: str) -> Any:
    args = ["-p", "no:cacheprovider", "--binding-contracts", "--junitxml=junit.xml", *options]
    if xdist:
        return pytester.runpytest_subprocess(*args, "-n", "2")
    pytester.syspathinsert()
    return pytester.runpytest_inprocess(*args)


def unused_listed(text: str) -> set[str]:
    if "binding contracts: unused cassettes" not in text:
        return set()
    section = text.split("binding contracts: unused cassettes", 1)[1].split(" no test opened (", 1)[0]
    return set(section.splitlines()[1:-1])


@pytest.mark.parametrize("xdist", [False, True], ids=["one-process", "xdist"])
def test_every_finding_summary_and_unused_report_names_the_file_vcrpy_opened(
    pytester: pytest.Pytester, cassettes: dict[str, Path], xdist: bool
) -> None:
    project = lay(pytester, cassettes, VARIANTS)
    result = run(
        project, pytester, xdist, "--binding-contracts-unused=warn", "--binding-contracts-report=r.json"
    )
    tests = project.tests()
    failing = {name for name, (_, v) in tests.items() if v == "fault"}
    result.assert_outcomes(passed=len(tests) - len(failing), failed=len(failing))
    root = project.root.resolve()

    # each failure names the file the broken interaction is in, at its index there
    for case in ET.parse(project.root / "junit.xml").getroot().iter("testcase"):
        failure = case.find("failure")
        assert (failure is not None) == (case.get("name") in failing), case.get("name")
        if failure is None:
            continue
        way, v = tests[str(case.get("name"))]
        lines = [line for line in (failure.text or "").splitlines() if FINDING.match(line)]
        assert any("binding.url-sid" in line for line in lines), failure.text
        for line in lines:
            assert names_its_interaction(project.root, line) == root / way.target(v), line

    # every checked interaction in the JSON report, and the summary's files with no Binding traffic
    results = json.loads((project.root / "r.json").read_text())
    assert results["results"]
    for checked in results["results"]:
        names_its_interaction(project.root, checked["source"])
    # each file judged as `binding-contracts check` judges it: the same results, in the same order
    files: dict[str, list[Any]] = {}
    for checked in results["results"]:
        files.setdefault(FINDING.match(checked["source"])["path"], []).append(checked)  # type: ignore[index]
    for path, judged in files.items():
        out = io.StringIO()
        cli(["check", "--format", "json", path], out, io.StringIO())
        assert json.loads(out.getvalue())["results"] == judged, path
    quiet = {root / path for way in WAYS.values() for v in VARIANTS for path in way.quiet(v)}
    (line,) = [line for line in result.outlines if line.startswith("cassettes with no Binding traffic: ")]
    named = line.split(": ", 1)[1].split(", ")
    assert {(project.root / path).resolve() for path in named} == quiet
    assert f"rules fired: binding.url-sid x{len(failing)}" in result.outlines

    # the unused report lists exactly the cassettes no test opened
    assert unused_listed(result.stdout.str()) == project.stale


@pytest.mark.parametrize("xdist", [False, True], ids=["one-process", "xdist"])
def test_unused_fail_passes_when_every_cassette_was_used_and_fails_when_one_was_not(
    pytester: pytest.Pytester, cassettes: dict[str, Path], xdist: bool
) -> None:
    project = lay(pytester, cassettes, ("good", "other"))
    result = run(project, pytester, xdist, "--binding-contracts-unused=fail")
    result.assert_outcomes(passed=len(project.tests()))
    assert result.ret == 1
    assert unused_listed(result.stdout.str()) == project.stale
    for path in project.stale:
        (project.root / path).unlink()
    relay(project.root, cassettes, project.variants)
    result = run(project, pytester, xdist, "--binding-contracts-unused=fail")
    assert result.ret == 0, result.stdout.str()
    assert unused_listed(result.stdout.str()) == set()


def test_a_persister_a_conftest_registers_loads_and_the_findings_name_its_files(
    pytester: pytest.Pytester, cassettes: dict[str, Path]
) -> None:
    pytester.makeconftest(
        """
import pytest
from vcr.persisters.filesystem import FilesystemPersister

LOADED = []

class Mine(FilesystemPersister):
    @classmethod
    def load_cassette(cls, cassette_path, serializer):
        LOADED.append(str(cassette_path))
        return super().load_cassette(cassette_path, serializer)

def pytest_recording_configure(config, vcr):
    vcr.register_persister(Mine)

@pytest.fixture
def loaded():
    return LOADED
"""
    )
    (pytester.path / "named_ways.py").write_text(HELPERS)
    folder = pytester.path / "cassettes" / "test_mine"
    folder.mkdir(parents=True)
    shutil.copy(cassettes["fault"], folder / "test_mine.yaml")
    pytester.makepyfile(
        test_mine="""
import pytest
from named_ways import replay

@pytest.mark.vcr(allow_playback_repeats=True)
def test_mine(loaded, vcr_cassette_dir):
    replay(f"{vcr_cassette_dir}/test_mine.yaml")
    assert loaded == [f"{vcr_cassette_dir}/test_mine.yaml"]
"""
    )
    pytester.syspathinsert()
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--binding-contracts")
    result.assert_outcomes(failed=1)
    # one finding, though pytest repeats it in its short summary where it prints messages whole (on CI)
    (line,) = {line for line in result.outlines if FINDING.match(line) and "binding.url-sid" in line}
    assert names_its_interaction(pytester.path, line) == (folder / "test_mine.yaml").resolve()
