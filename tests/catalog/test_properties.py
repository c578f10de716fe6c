"""Property-based: however a valid file is mangled, the validator reports and never raises."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from navigator.catalog.loader import check_file
from navigator.catalog.problems import Problems
from navigator.catalog.reader import Reader
from navigator.catalog.services import ServiceFileReader
from navigator.catalog.taxonomy import load_taxonomy
from tests.conftest import FIXTURES, REPO

VALID = (FIXTURES / "valid" / "mieli.yaml").read_text(encoding="utf-8")
DATA = yaml.safe_load(VALID)


def _paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    result = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            result += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            result += _paths(item, (*prefix, index))
    return result


PATHS = _paths(DATA)
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)


def _mutate(data: object, path: tuple[object, ...], action: str, junk: object) -> object:
    import copy

    result = copy.deepcopy(data)
    parent = result
    for step in path[:-1]:
        parent = parent[step]  # type: ignore[index]
    last = path[-1]
    if action == "delete":
        del parent[last]  # type: ignore[attr-defined]
    else:
        parent[last] = junk  # type: ignore[index]
    return result


TAXONOMY = load_taxonomy(REPO / "catalog", Problems())


def _check(tmp: Path, text: bytes, services: int = 1) -> None:
    """Check one file against the shipped taxonomy: problems only, never an exception."""
    path = tmp / "f.yaml"
    path.write_bytes(text)
    problems = Problems()
    found = check_file(path, ServiceFileReader(Reader(problems), TAXONOMY, date(2026, 11, 23)))
    for problem in problems.items:
        assert problem.mark.line >= 1 and problem.mark.column >= 1
        assert problem.code and problem.message
        assert str(problem).startswith(f"{path}:")
    if not problems.errors:
        assert len(found) == services


FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FAST
@given(path=st.sampled_from(PATHS), action=st.sampled_from(["delete", "replace"]), junk=JUNK)
def test_deleted_keys_and_wrong_types_are_reported(
    tmp_path: Path, path: tuple[object, ...], action: str, junk: object
) -> None:
    mutated = _mutate(DATA, path, action, junk)
    listed = mutated.get("services") if isinstance(mutated, dict) else None
    expected = len(listed) if isinstance(listed, list) else 0
    _check(tmp_path, yaml.safe_dump(mutated, allow_unicode=True).encode(), expected)


@FAST
@given(cut=st.integers(min_value=0, max_value=len(VALID.encode())))
def test_truncated_files_are_reported(tmp_path: Path, cut: int) -> None:
    _check(tmp_path, VALID.encode()[:cut])


@FAST
@given(position=st.integers(min_value=0, max_value=len(VALID)), noise=st.text(max_size=8))
def test_random_unicode_inserted_anywhere_is_reported(
    tmp_path: Path, position: int, noise: str
) -> None:
    text = VALID[:position] + noise + VALID[position:]
    _check(tmp_path, text.encode("utf-8", errors="surrogatepass"))


@FAST
@given(data=st.binary(max_size=200))
def test_random_bytes_are_reported(tmp_path: Path, data: bytes) -> None:
    _check(tmp_path, data)
