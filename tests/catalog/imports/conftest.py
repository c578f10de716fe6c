"""Fixtures for the importers: an empty catalogue (the shipped taxonomy) and the shared data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO

SHARED = Path(os.environ.get("NAVIGATOR_SHARED", REPO.parent / "shared"))
PTV_SAMPLES = SHARED / "data" / "ptv-samples"
IMPORT_FIXTURES = FIXTURES / "imports"

needs_shared = pytest.mark.skipif(
    not PTV_SAMPLES.is_dir(), reason="shared/data/ptv-samples is not beside this clone"
)


@pytest.fixture
def empty_catalog(tmp_path: Path) -> Path:
    """A catalogue with the shipped taxonomy and no services."""
    root = tmp_path / "catalog"
    shutil.copytree(REPO / "catalog" / "taxonomy", root / "taxonomy")
    (root / "services").mkdir()
    return root


def tree(root: Path) -> dict[str, bytes]:
    """Every file below `root` (but the taxonomy) by relative path, with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "taxonomy" not in p.parts
    }
