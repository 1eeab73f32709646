"""The CI formats of one finding: GitHub's escaping, GitLab's fingerprints, SARIF's URIs."""

from __future__ import annotations

import json

from binding_contracts.reporting import github, gitlab, sarif
from binding_contracts.reporting.located import STDIN, Located

MESSAGE = "'apns' is not one of gcm, apn, fcm"
FINDING = Located("schema.enum", "error", MESSAGE, "/binding_type", "b.json", 3, 5)


class TestGithub:
    def test_a_finding_is_one_error_command_with_file_line_col_and_the_rule_as_title(self) -> None:
        props = "file=b.json,line=3,col=5,title=schema.enum"
        assert github.command(FINDING) == f"::error {props}::/binding_type: {MESSAGE}"

    def test_a_warning_is_a_warning_command(self) -> None:
        warning = Located("field.unknown", "warning", "m", "/x", "b.json", 1, 1)
        assert github.command(warning).startswith("::warning ")

    def test_percent_is_escaped_in_the_message_and_colon_and_comma_in_properties(self) -> None:
        """CR and LF never reach the runner: they are written visibly first (``\\r``, ``\\n``)."""
        odd = Located("r", "error", "100% a\r\nb: c, d", "/a", "dir,x/a:b%\n.json", 1, 1)
        line = github.command(odd)
        assert "\n" not in line
        assert "\r" not in line
        assert line == (
            "::error file=dir%2Cx/a%3Ab%25\\n.json,line=1,col=1,title=r::/a: 100%25 a\\r\\nb: c, d"
        )

    def test_standard_input_has_no_file(self) -> None:
        assert github.command(Located("r", "error", "m", "", STDIN, 1, 1)) == "::error title=r::(root): m"


class TestGitlab:
    def test_the_fingerprint_is_stable_and_tells_apart_all_but_the_place_in_the_file(self) -> None:
        moved = Located(FINDING.rule, "error", MESSAGE, FINDING.pointer, "b.json", 9, 1)
        assert gitlab.fingerprint(moved) == gitlab.fingerprint(FINDING)
        others = [
            Located(FINDING.rule, "error", MESSAGE, FINDING.pointer, "c.json", 3, 5),
            Located(FINDING.rule, "error", MESSAGE, "/sid", "b.json", 3, 5),
            Located("schema.type", "error", MESSAGE, FINDING.pointer, "b.json", 3, 5),
            Located(FINDING.rule, "error", MESSAGE, FINDING.pointer, "b.json", 3, 5, key="#2"),
            Located(FINDING.rule, "error", "another value", FINDING.pointer, "b.json", 3, 5),
            Located(FINDING.rule, "error", MESSAGE, FINDING.pointer, "b.json", 3, 5, context="#0 GET /x"),
        ]
        assert len({gitlab.fingerprint(f) for f in [FINDING, *others]}) == 7

    def test_findings_alike_in_all_but_their_line_get_one_fingerprint_each_in_report_order(self) -> None:
        """Six secrets of one interaction at one pointer: GitLab shows an issue per fingerprint."""
        same = [Located("cassette.secret", "error", "m", "", "c.yaml", n, 1, key="#0") for n in range(6)]
        issues = json.loads(gitlab.render(same))
        assert len({i["fingerprint"] for i in issues}) == 6
        assert json.loads(gitlab.render(same)) == issues  # stable from run to run

    def test_an_issue_has_every_member_gitlab_reads(self) -> None:
        assert gitlab.issue(FINDING) == {
            "description": "/binding_type: 'apns' is not one of gcm, apn, fcm",
            "check_name": "schema.enum",
            "fingerprint": gitlab.fingerprint(FINDING),
            "severity": "major",
            "location": {"path": "b.json", "lines": {"begin": 3}},
        }


class TestSarif:
    def test_a_relative_path_stays_relative_and_is_percent_encoded(self) -> None:
        assert sarif.uri("cassettes/a b#1.yaml") == "cassettes/a%20b%231.yaml"

    def test_an_absolute_path_is_a_file_uri(self) -> None:
        assert sarif.uri("/tmp/x y.json") == "file:///tmp/x%20y.json"
