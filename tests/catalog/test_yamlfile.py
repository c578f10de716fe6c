"""The YAML entry point: positions, strings kept as written, and unsafe input refused."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from navigator.catalog.yamlfile import YMapping, YScalar, YSequence, load, parse
from navigator.errors import CatalogFileError
from navigator.settings import MAX_CATALOG_FILE_BYTES, MAX_CATALOG_NESTING


def test_values_keep_their_position_and_source_text() -> None:
    doc = parse("a: 009\nb:\n  - 0800 147 111\n  - yes\n", "f.yaml")
    assert isinstance(doc.root, YMapping)
    code = doc.root.get("a")
    assert isinstance(code, YScalar)
    assert (code.text, code.mark.line, code.mark.column) == ("009", 1, 4)
    items = doc.root.get("b")
    assert isinstance(items, YSequence)
    phone, flag = items.items
    assert isinstance(phone, YScalar) and phone.text == "0800 147 111"
    assert (phone.mark.line, phone.mark.column) == (3, 5)
    assert isinstance(flag, YScalar) and flag.tag == "tag:yaml.org,2002:bool"


def test_quoted_scalars_are_strings() -> None:
    doc = parse("a: '12'\n", "f.yaml")
    assert isinstance(doc.root, YMapping)
    value = doc.root.get("a")
    assert isinstance(value, YScalar) and value.tag == "tag:yaml.org,2002:str"


def test_duplicate_keys_are_reported_not_overwritten() -> None:
    doc = parse("level: 2\nname: x\nlevel: 3\n", "f.yaml")
    (dup,) = doc.duplicates
    assert (dup.key.text, dup.key.mark.line, dup.first.line) == ("level", 3, 1)


def _error(text: str) -> CatalogFileError:
    with pytest.raises(CatalogFileError) as info:
        parse(text, "f.yaml")
    return info.value


def test_billion_laughs_is_refused_quickly_and_in_little_memory() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    tracemalloc.start()
    started = time.perf_counter()
    error = _error("\n".join(lines) + "\n")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert error.code == "anchor"
    assert (error.line, error.column) == (1, 5)
    assert elapsed < 1.0
    assert peak < 5_000_000


def test_tabs_in_indentation_name_the_line() -> None:
    error = _error("services:\n\t- id: x\n")
    assert (error.code, error.line, error.column) == ("tab", 2, 1)


def test_tab_inside_a_value_is_a_control_character_only_when_not_tab() -> None:
    doc = parse("a: 'x\ty'\n", "f.yaml")
    assert isinstance(doc.root, YMapping)


def test_control_characters_are_refused() -> None:
    error = _error("a: b\x07c\n")
    assert (error.code, error.line, error.column) == ("control-character", 1, 5)


def test_empty_and_comment_only_files() -> None:
    assert _error("").code == "empty-file"
    assert _error("# only a comment\n\n").code == "empty-file"


def test_python_tags_are_refused() -> None:
    error = _error("a: !!python/object/apply:os.system ['true']\n")
    assert error.code == "tag"


def test_several_documents_are_refused() -> None:
    assert _error("a: 1\n---\nb: 2\n").code == "several-documents"


def test_deep_nesting_is_refused() -> None:
    deep = "[" * (MAX_CATALOG_NESTING + 5) + "]" * (MAX_CATALOG_NESTING + 5)
    assert _error(f"a: {deep}\n").code == "too-deep"


def test_syntax_errors_name_line_and_column() -> None:
    error = _error("a: [1, 2\nb: 3\n")
    assert error.code == "yaml-syntax"
    assert error.line == 2


def test_files_over_the_limit_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * MAX_CATALOG_FILE_BYTES + b"\n")
    with pytest.raises(CatalogFileError) as info:
        load(path)
    assert info.value.code == "file-too-large"


def test_utf16_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "u16.yaml"
    path.write_bytes("a: ä\n".encode("utf-16"))
    with pytest.raises(CatalogFileError) as info:
        load(path)
    assert info.value.code == "bom"
