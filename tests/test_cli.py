"""The `navigator` command: exit codes, output formats, and ten broken catalogues."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from navigator.cli import cli
from tests.conftest import FIXTURES, REPO, MakeCatalog

VALID = (FIXTURES / "valid" / "mieli.yaml").read_bytes()

# Ten hand-made broken catalogues: a valid file plus one broken one, and where it breaks.
BROKEN = {
    "unknown-field": "services/ngo/broken.yaml:27:9: error unknown-field: 'phon' is not a "
    "field of a channel; did you mean 'phone'?",
    "missing-field": "services/ngo/broken.yaml:9:5: error missing-field:",
    "unknown-need": "services/ngo/broken.yaml:23:29: error unknown-need:",
    "unknown-municipality": "services/ngo/broken.yaml:24:20: error unknown-municipality:",
    "bad-phone": "services/ngo/broken.yaml:30:16: error bad-phone:",
    "bad-url": "services/ngo/broken.yaml:32:14: error bad-url:",
    "bad-hours": "services/ngo/broken.yaml:29:16: error bad-hours:",
    "level-zero": "services/ngo/broken.yaml:22:12: error level-zero:",
    "duplicate-key": "services/ngo/broken.yaml:23:5: error duplicate-key:",
    "tab": "services/ngo/broken.yaml:22:1: error tab:",
}


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(("fixture", "line"), sorted(BROKEN.items()))
def test_broken_catalogue_exits_1_naming_file_and_line(
    fixture: str, line: str, make_catalog: MakeCatalog
) -> None:
    broken = (FIXTURES / "invalid" / f"{fixture}.yaml").read_bytes()
    root = make_catalog(
        {"national/ok.yaml": VALID.replace(b"mieli-", b"ok-"), "ngo/broken.yaml": broken}
    )
    code, output = _run("catalog", "validate", str(root), "--today", "2026-11-23")
    assert code == 1
    assert any(out_line.startswith(line) for out_line in output.splitlines()), output


def test_valid_catalogue_exits_0_with_a_summary(make_catalog: MakeCatalog) -> None:
    root = make_catalog({"ngo/mieli.yaml": VALID})
    code, output = _run("catalog", "validate", str(root), "--today", "2026-11-23")
    assert code == 0
    assert output.splitlines()[-1].endswith("valid: 1 services, 0 errors, 0 warnings")


def test_json_report(make_catalog: MakeCatalog) -> None:
    broken = (FIXTURES / "invalid" / "bad-url.yaml").read_bytes()
    root = make_catalog({"ngo/x.yaml": broken})
    code, output = _run(
        "catalog", "validate", str(root), "--format", "json", "--today", "2026-11-23"
    )
    report = json.loads(output)
    assert code == 1
    assert report["valid"] is False and report["errors"] == 1
    (problem,) = report["problems"]
    assert problem == {
        "path": "services/ngo/x.yaml",
        "line": 32,
        "column": 14,
        "severity": "error",
        "code": "bad-url",
        "field": "channels[2].web",
        "message": "'http://mieli.fi/helpline' uses http; links must use https",
        "hint": "",
    }


def test_validating_one_file_reports_only_that_file(make_catalog: MakeCatalog) -> None:
    broken = (FIXTURES / "invalid" / "bad-url.yaml").read_bytes()
    root = make_catalog(
        {"ngo/mieli.yaml": VALID, "regional/x.yaml": broken.replace(b"mieli-", b"x-")}
    )
    code, output = _run("catalog", "validate", str(root / "services" / "ngo" / "mieli.yaml"))
    assert code == 0, output
    code, output = _run("catalog", "validate", str(root / "services" / "regional"))
    assert code == 1 and "bad-url" in output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert _run("catalog", "validate", "--format", "xml")[0] == 2
    assert _run("catalog", "validate", str(tmp_path / "missing"))[0] == 2
    assert _run("catalog", "bogus")[0] == 2


def test_outside_a_catalogue_is_a_usage_error(tmp_path: Path) -> None:
    """Through the real entry point: a clear message and exit 2, no traceback."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from navigator.cli import main; main()",
            "catalog",
            "validate",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "is not inside a catalogue" in result.stderr
    assert "Traceback" not in result.stderr


def test_stats_json_has_the_keys_tools_depend_on() -> None:
    code, output = _run("catalog", "stats", str(REPO / "catalog"), "--format", "json")
    assert code == 0
    stats = json.loads(output)
    for key in ("services", "by_provider_type", "by_level", "by_need", "with_source"):
        assert key in stats
    assert set(stats["coverage_gaps"]) >= {"level_max_3", "any_level"}


# navigator ask / navigator search: the contract other tools depend on.

ANSWER_KEYS = {"safety", "needs", "out_of_scope", "language", "recommendations"}
RECOMMENDATION_KEYS = {"id", "name", "level", "provider_type", "municipalities", "needs", "reason"}


def test_ask_json_contract(small_catalog: Path) -> None:
    code, output = _run(
        "ask",
        "kriisipuhelin ruotsiksi",
        "--json",
        "--catalog",
        str(small_catalog),
        "--municipality",
        "Kalajoki",
    )
    assert code == 0, output
    answer = json.loads(output)
    assert set(answer) >= ANSWER_KEYS
    assert answer["safety"] in {"none", "crisis", "emergency"}
    for rec in answer["recommendations"]:
        assert set(rec) >= RECOMMENDATION_KEYS
        assert rec["municipalities"] == "all" or isinstance(rec["municipalities"], list)


def test_ask_emergency_in_text_form(small_catalog: Path) -> None:
    code, output = _run("ask", "isä ei hengitä", "--catalog", str(small_catalog))
    assert code == 0
    lines = output.splitlines()
    assert lines[0].startswith("safety: emergency")
    assert lines[1] == "Jos olet vaarassa nyt, soita 112."
    assert any("(emergency-112)" in line for line in lines)


def test_ask_batch_keeps_order_and_answers_bad_lines(small_catalog: Path) -> None:
    stdin = "\n".join(
        [
            json.dumps({"text": "velat ja rahat loppu", "lang": "fi", "municipality": "208"}),
            "not json",
            json.dumps({"text": 5}),
            json.dumps({"text": "I want to die"}),
            "",
        ]
    )
    result = CliRunner().invoke(
        cli, ["ask", "--batch", "--catalog", str(small_catalog)], input=stdin
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 4
    assert rows[0]["needs"][0] == "money_debt"
    assert rows[0]["recommendations"][0]["id"] == "kalajoki-diaconal-work"
    assert rows[1] == {"error": "line 2: not JSON: Expecting value"}
    assert rows[2] == {"error": "line 3: expected an object with a string 'text'"}
    assert rows[3]["safety"] == "crisis"


def test_ask_needs_text_or_batch(small_catalog: Path) -> None:
    assert _run("ask", "--catalog", str(small_catalog))[0] == 2
    assert _run("ask", "x", "--batch", "--catalog", str(small_catalog))[0] == 2


def test_search_with_filters_and_explain(small_catalog: Path) -> None:
    code, output = _run(
        "search",
        "diakonia",
        "--municipality",
        "Kalajoki",
        "--free",
        "--explain",
        "--catalog",
        str(small_catalog),
    )
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0] == "1 services match"
    assert lines[1] == "1. [2] Kalajoen seurakunnan diakoniatyö (kalajoki-diaconal-work)"
    assert "   matched: diakonia" in lines


def test_search_json_has_facets(small_catalog: Path) -> None:
    _, output = _run("search", "", "--json", "--level-max", "2", "--catalog", str(small_catalog))
    data = json.loads(output)
    assert data["total"] == 3
    assert data["facets"]["level"]["0"] == 1


def test_search_rejects_unknown_filters(small_catalog: Path) -> None:
    code, output = _run(
        "search", "x", "--municipality", "Atlantis", "--catalog", str(small_catalog)
    )
    assert code == 2 and "'Atlantis' is not a municipality of the county" in output
    code, output = _run("search", "x", "--need", "wellness", "--catalog", str(small_catalog))
    assert code == 2 and "unknown need id(s): wellness" in output
