"""`navigator catalog diff`: two folders or two git revisions, output exact."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from navigator.catalog.diff import diff_catalogs
from navigator.cli import cli
from navigator.errors import CatalogInvalid, UsageError
from tests.conftest import FIXTURES, REPO

DIFF = FIXTURES / "diff"
REPO_TODAY = date(2026, 12, 7)
MAIN = [sys.executable, "-c", "from navigator.cli import main; main()"]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Editor",
    "GIT_AUTHOR_EMAIL": "editor@example.com",
    "GIT_COMMITTER_NAME": "Editor",
    "GIT_COMMITTER_EMAIL": "editor@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
}


def _catalogue(target: Path, side: str) -> Path:
    """The shipped taxonomy and one side's fixture services, in `target`."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(REPO / "catalog" / "taxonomy", target / "taxonomy")
    shutil.copytree(DIFF / side, target / "services")
    return target


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["catalog", "diff", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`old/` and `new/` catalogues side by side; the working directory is their parent."""
    _catalogue(tmp_path / "old", "old")
    _catalogue(tmp_path / "new", "new")
    monkeypatch.chdir(tmp_path)
    return tmp_path


CHANGES = """\
+ kalajoki-diaconal-work: Kalajoen seurakunnan diakoniatyö (services/parish/kalajoki.yaml)
- dental-emergency: Hammashoidon päivystys, Dentopolis (services/regional/pohde.yaml)
~ mieli-crisis-line: MIELI Kriisipuhelin (services/ngo/mieli.yaml)
    name.sv: "MIELI Kristelefon" → "MIELI Kristelefonen"
    needs: "crisis_support, mental_health" → "crisis_support, mental_health, loneliness"
    channels[1].hours: (none) → "Mo-Fr 16:00-20:00"
    membership_required: "false" → (none)
    checked: "2026-11-23" → "2026-12-01"
    alert.fi: (none) → "Ruotsinkielinen linja on suljettu 24.12."
"""


def test_two_folders_as_text(folders: Path) -> None:
    code, output = _run("old", "new")
    assert code == 0
    assert output == (
        "catalogue diff old → new: 1 added, 1 removed, 1 changed, 1 unchanged\n" + CHANGES
    )


def test_the_same_catalogue_twice_has_no_changes(folders: Path) -> None:
    code, output = _run("new", "new")
    assert (code, output) == (
        0,
        "catalogue diff new → new: 0 added, 0 removed, 0 changed, 3 unchanged\n",
    )


def test_two_folders_as_json(folders: Path) -> None:
    code, output = _run("old", "new", "--format", "json")
    assert code == 0
    assert json.loads(output) == {
        "old": "old",
        "new": "new",
        "added": [
            {
                "id": "kalajoki-diaconal-work",
                "name": "Kalajoen seurakunnan diakoniatyö",
                "file": "services/parish/kalajoki.yaml",
                "fields": {
                    "name.fi": "Kalajoen seurakunnan diakoniatyö",
                    "name.sv": "Diakonin i Kalajoki församling",
                    "name.en": "Diaconal work of the Parish of Kalajoki",
                    "summary.fi": "Käytännöllistä ja taloudellista tukea sekä keskusteluapua "
                    "elämän kriiseissä.",
                    "summary.sv": "Praktiskt och ekonomiskt stöd och samtalshjälp i livskriser.",
                    "summary.en": "Practical and financial support and someone to talk to in "
                    "life's crises.",
                    "how_to_get.fi": "Ota yhteyttä oman alueesi diakoniatyöntekijään.",
                    "how_to_get.sv": "Kontakta diakoniarbetaren i ditt område.",
                    "how_to_get.en": "Contact the diaconal worker for your area.",
                    "provider.name.fi": "Kalajoen seurakunta",
                    "provider.name.sv": "Kalajoki församling",
                    "provider.name.en": "Parish of Kalajoki",
                    "provider.type": "parish",
                    "level": "2",
                    "needs": "money_debt, loneliness, mental_health",
                    "areas": "208",
                    "channels[0].web": "https://www.kalajoenseurakunta.fi/ryhmat/"
                    "apua-ja-tukea-tarvitseville",
                    "channels[1].address": "Plassintie 2, 85100 Kalajoki",
                    "cost.type": "free",
                    "referral": "false",
                    "anonymous": "false",
                    "registration": "false",
                    "source": "https://www.kalajoenseurakunta.fi/ryhmat/"
                    "apua-ja-tukea-tarvitseville",
                    "checked": "2026-11-23",
                    "review": "church membership not stated on the page",
                    "status": "active",
                },
            }
        ],
        "removed": [
            {
                "id": "dental-emergency",
                "name": "Hammashoidon päivystys, Dentopolis",
                "file": "services/regional/pohde.yaml",
                "fields": {
                    "name.fi": "Hammashoidon päivystys, Dentopolis",
                    "name.sv": "Tandvårdsjouren, Dentopolis",
                    "name.en": "Emergency dental care, Dentopolis (Oulu)",
                    "summary.fi": "Kiireellinen hammashoito kaikille Pohjois-Pohjanmaan "
                    "asukkaille viikonloppuisin ja juhlapyhinä.",
                    "summary.sv": "Brådskande tandvård för alla invånare i Norra Österbotten "
                    "under veckoslut och helgdagar.",
                    "summary.en": "Urgent dental care for all residents of North Ostrobothnia "
                    "at weekends and on public holidays.",
                    "how_to_get.fi": "Soita ennen lähtöä numeroon 08 669 3200; puhelimessa "
                    "arvioidaan hoidon tarve.",
                    "how_to_get.sv": "Ring 08 669 3200 innan du åker; vårdbehovet bedöms per "
                    "telefon.",
                    "how_to_get.en": "Call 08 669 3200 before you go; your need for care is "
                    "assessed on the phone.",
                    "provider.name.fi": "Pohjois-Pohjanmaan hyvinvointialue (Pohde)",
                    "provider.name.sv": "Norra Österbottens välfärdsområde",
                    "provider.name.en": "Wellbeing services county of North Ostrobothnia (Pohde)",
                    "provider.type": "region",
                    "provider.web": "https://pohde.fi",
                    "level": "3",
                    "needs": "dental",
                    "areas": "county",
                    "languages": "fi",
                    "channels[0].phone": "08 669 3200",
                    "channels[0].languages": "fi",
                    "channels[0].hours": "Sa-Su 10:00-15:00; PH 10:00-15:00",
                    "cost.type": "fee",
                    "cost.text.fi": "Asiakasmaksu hyvinvointialueen hinnaston mukaan.",
                    "referral": "false",
                    "anonymous": "false",
                    "registration": "false",
                    "source": "https://www.sttinfo.fi/tiedote/71777343/"
                    "hammashoidon-paivystyksen-puhelinnumero-muuttuu?lang=fi",
                    "checked": "2026-11-23",
                    "review": "hours and fee to be confirmed on pohde.fi",
                    "status": "active",
                },
            }
        ],
        "changed": [
            {
                "id": "mieli-crisis-line",
                "name": "MIELI Kriisipuhelin",
                "file": "services/ngo/mieli.yaml",
                "changes": [
                    {"field": "name.sv", "old": "MIELI Kristelefon", "new": "MIELI Kristelefonen"},
                    {
                        "field": "needs",
                        "old": "crisis_support, mental_health",
                        "new": "crisis_support, mental_health, loneliness",
                    },
                    {"field": "channels[1].hours", "old": None, "new": "Mo-Fr 16:00-20:00"},
                    {"field": "membership_required", "old": "false", "new": None},
                    {"field": "checked", "old": "2026-11-23", "new": "2026-12-01"},
                    {
                        "field": "alert.fi",
                        "old": None,
                        "new": "Ruotsinkielinen linja on suljettu 24.12.",
                    },
                ],
            }
        ],
        "unchanged": 1,
    }


# Git revisions ------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with two commits: catalog/ as the old side, then as the new side."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "--quiet")
    _catalogue(repo / "catalog", "old")
    _git(repo, "add", "--all")
    _git(repo, "commit", "--quiet", "--message", "old")
    _catalogue(repo / "catalog", "new")
    _git(repo, "add", "--all")
    _git(repo, "commit", "--quiet", "--message", "new")
    monkeypatch.chdir(repo)
    return repo


def test_two_revisions(repo: Path) -> None:
    old, new = (
        _git(repo, "rev-parse", "--short=7", "HEAD~1"),
        _git(repo, "rev-parse", "--short=7", "HEAD"),
    )
    code, output = _run("HEAD~1", "HEAD")
    assert code == 0
    assert output == (
        f"catalogue diff HEAD~1 ({old}) → HEAD ({new}): 1 added, 1 removed, 1 changed, "
        "1 unchanged\n" + CHANGES
    )


def test_a_revision_against_the_work_tree(repo: Path) -> None:
    mieli = repo / "catalog" / "services" / "ngo" / "mieli.yaml"
    mieli.write_text(
        mieli.read_text(encoding="utf-8").replace("level: 2", "level: 3"), encoding="utf-8"
    )
    head = _git(repo, "rev-parse", "--short=7", "HEAD")
    code, output = _run("HEAD", "catalog")
    assert code == 0
    assert output == (
        f"catalogue diff HEAD ({head}) → catalog: 0 added, 0 removed, 1 changed, 2 unchanged\n"
        "~ mieli-crisis-line: MIELI Kriisipuhelin (services/ngo/mieli.yaml)\n"
        '    level: "2" → "3"\n'
    )


def test_an_invalid_revision_is_reported_with_the_validators_lines(repo: Path) -> None:
    broken = (FIXTURES / "invalid" / "unknown-field.yaml").read_bytes()
    (repo / "catalog" / "services" / "ngo" / "broken.yaml").write_bytes(
        broken.replace(b"mieli-", b"broken-")
    )
    _git(repo, "add", "--all")
    _git(repo, "commit", "--quiet", "--message", "broken")
    result = subprocess.run(
        [*MAIN, "catalog", "diff", "HEAD~1", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: the catalogue has 1 error(s):\n"
        "HEAD:catalog/services/ngo/broken.yaml:27:9: error unknown-field: 'phon' is not a field "
        "of a channel; did you mean 'phone'?\n"
    )


def test_an_unknown_revision_is_a_usage_error(repo: Path) -> None:
    with pytest.raises(UsageError, match="'no-such-branch' is neither a folder nor a git revision"):
        diff_catalogs("no-such-branch", "HEAD", repo, REPO_TODAY)


def test_both_sides_errors_are_listed(folders: Path) -> None:
    broken = (FIXTURES / "invalid" / "bad-url.yaml").read_bytes()
    (folders / "old" / "services" / "ngo" / "broken.yaml").write_bytes(
        broken.replace(b"mieli-", b"a-")
    )
    (folders / "new" / "services" / "ngo" / "broken.yaml").write_bytes(
        broken.replace(b"mieli-", b"b-")
    )
    with pytest.raises(CatalogInvalid) as caught:
        diff_catalogs("old", "new", folders, REPO_TODAY)
    assert caught.value.problems == [
        "old/services/ngo/broken.yaml:32:14: error bad-url: 'http://mieli.fi/helpline' uses "
        "http; links must use https",
        "new/services/ngo/broken.yaml:32:14: error bad-url: 'http://mieli.fi/helpline' uses "
        "http; links must use https",
    ]
