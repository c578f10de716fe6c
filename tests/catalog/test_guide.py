"""The editor's guide cannot drift from the schema: all fields documented, examples valid."""

from __future__ import annotations

import re
from datetime import date

import pytest

from navigator.catalog import schema
from navigator.catalog.loader import check_catalog
from navigator.catalog.model import ProviderType
from tests.conftest import REPO, MakeCatalog

GUIDE = (REPO / "catalog" / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"### `(\w+)`[^\n]*\n\n```yaml\n(.*?)```", GUIDE, flags=re.S)


@pytest.mark.parametrize("fields", schema.EDITOR_STRUCTURES, ids=lambda f: f.what)
def test_every_field_is_in_a_table_of_the_guide(fields: schema.Fields) -> None:
    table_rows = [line for line in GUIDE.splitlines() if line.startswith("| `")]
    documented = {m for row in table_rows for m in re.findall(r"^\| `([a-z_]+)`", row)}
    missing = [name for name in fields.all if name not in documented]
    assert missing == []


def test_one_example_per_provider_type() -> None:
    assert sorted(kind for kind, _ in EXAMPLES) == sorted(t.value for t in ProviderType)


@pytest.mark.parametrize(("kind", "text"), EXAMPLES, ids=[k for k, _ in EXAMPLES])
def test_examples_are_valid(kind: str, text: str, make_catalog: MakeCatalog) -> None:
    root = make_catalog({f"{kind}/example.yaml": text.encode()})
    catalog, problems = check_catalog(root, date(2026, 11, 23))
    assert [str(p) for p in problems.errors] == []
    assert [s.provider.type.value for s in catalog.services] == [kind]
