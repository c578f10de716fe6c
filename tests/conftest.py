"""Shared fixtures: small catalogues built from the real taxonomy and fixture files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "catalog" / "fixtures"

MakeCatalog = Callable[[dict[str, bytes]], Path]


@pytest.fixture
def make_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MakeCatalog:
    """Build a catalogue in a temporary folder: the shipped taxonomy plus the given files.

    Keys are paths below `services/`; the working directory becomes the catalogue root so
    that problems name files as `services/…`.
    """

    def build(files: dict[str, bytes]) -> Path:
        root = tmp_path / "catalog"
        shutil.copytree(REPO / "catalog" / "taxonomy", root / "taxonomy")
        for name, data in files.items():
            path = root / "services" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (root / "services").mkdir(exist_ok=True)
        monkeypatch.chdir(root)
        return root

    return build


SMALL = REPO / "tests" / "fixtures" / "small"


@pytest.fixture
def small_catalog(make_catalog: MakeCatalog) -> Path:
    """A catalogue of five short real entries, one per provider type but company."""
    return make_catalog({f"{p.stem}/{p.name}": p.read_bytes() for p in SMALL.glob("*.yaml")})
