"""The set-up scripts behind `make run` and `make test`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

FIND = REPO / "scripts" / "find-python.sh"


def _find(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sh", str(FIND)], env=env, capture_output=True, text=True, check=False)


def test_finds_the_running_310_interpreter_through_python() -> None:
    result = _find({**os.environ, "PYTHON": sys.executable})
    assert result.returncode == 0
    assert Path(result.stdout.strip()).resolve() == Path(sys.executable).resolve()


def test_rejects_a_python_that_is_not_310(tmp_path: Path) -> None:
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    result = _find({"PATH": "/usr/bin:/bin", "PYTHON": str(fake)})
    assert result.returncode == 1
    assert "is not a Python 3.10 interpreter" in result.stderr


def test_says_in_one_sentence_how_to_get_python_310(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {"PATH": f"{empty}:/nonexistent", "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path)}
    result = subprocess.run(
        ["/bin/sh", str(FIND)], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "No Python 3.10 found: install one (e.g. 'pyenv install 3.10' or "
        "'apt-get install python3.10') or set PYTHON=/path/to/python3.10."
    ]


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme.split("\n\n")[1]
    assert "make test" in ci.splitlines()[-1]


def test_every_setting_is_documented() -> None:
    import navigator.settings as settings

    documented = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    names = [name for name in vars(settings) if name.isupper()]
    assert names
    assert [name for name in names if f"`{name}`" not in documented] == []
