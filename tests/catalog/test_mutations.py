"""Mutation fuzz of the validator: the shipped catalogue's own files, mangled in every way an
editor, a tool or an attacker could (lines deleted, duplicated, swapped, re-indented; values
of the wrong type; unicode junk; truncation; YAML anchors, aliases and tags; huge strings;
deep nesting; BOMs, CRLF, tabs, NUL bytes, invalid UTF-8), are checked by `check_catalog`
against the shipped taxonomy. It must never raise: every mutated file gives problems, and
every problem names `file:line:column` inside that file.

The mutations are seeded (`random.Random(seed)`), so a failure names the seed, the file it
came from and the mutations that made it, and can be replayed. Mutated files are checked
in batches (one catalogue of `BATCH` files per `check_catalog` call: loading the taxonomy is
the slow part); a batch that raises is re-checked file by file to name the culprit.
`benchmarks/catalog_fuzz.py` runs the same generator on 10,000 files.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from navigator.catalog.loader import check_catalog
from navigator.catalog.problems import Problems
from tests.conftest import REPO

SERVICES = REPO / "catalog" / "services"
SOURCES: tuple[Path, ...] = tuple(sorted(SERVICES.rglob("*.yaml")))
#: The shipped files are checked as of today: an editor's fresh `checked` date is valid.
TODAY = date.today()
#: Mutated files per `check_catalog` call.
BATCH = 50
FUZZ_DIR = "fuzz"

Mutator = Callable[[random.Random, bytes], bytes]

# Text helpers -------------------------------------------------------------------------------
# Files are handled as text with surrogateescape, so that bytes that are not UTF-8 (put there
# by an earlier mutation) survive the next one unchanged.


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _lines(data: bytes) -> list[str]:
    return _text(data).split("\n")


def _join(lines: list[str]) -> bytes:
    return _bytes("\n".join(lines))


_KEY_VALUE = re.compile(r"^(\s*(?:- )?)([A-Za-z_][\w-]*):(\s.*|)$")


def _key_lines(lines: list[str]) -> list[int]:
    """Indexes of `key: value` lines."""
    return [i for i, line in enumerate(lines) if _KEY_VALUE.match(line)]


def _insert(rng: random.Random, data: bytes, piece: bytes) -> bytes:
    at = rng.randint(0, len(data))
    return data[:at] + piece + data[at:]


# Values of every wrong kind ------------------------------------------------------------------

WRONG_VALUES: tuple[str, ...] = (
    "[a, b, c]",
    "[]",
    "{x: 1, y: [2]}",
    "{}",
    "42",
    "-1",
    "0",
    "3.14",
    "1e309",
    ".inf",
    "-.inf",
    ".nan",
    "0x1F",
    "0o17",
    "99999999999999999999999999999999",
    "true",
    "no",
    "null",
    "~",
    "",
    '""',
    "''",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "2026-11-23T25:61:00Z",
    "|\n  block text\n  more",
    ">-\n  folded",
    "'unterminated",
    '"unterminated',
    '"bad escape \\x"',
    "[unclosed",
    "{unclosed: 1",
    "*nowhere",
    "&anchor value",
    '!!python/object/apply:os.system ["true"]',
    "!!python/name:os.system",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!custom thing",
    "!!str",
    "!<tag:yaml.org,2002:int> 5",
    "? complex\n  : key",
    "@reserved",
    "`backtick",
    "%percent",
    "- one\n- two",
    "\n  - nested\n  - list",
    "\n  inner: mapping\n  other: [1]",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "http://insecure.example",
    "tel:+358 40 123 4567; DROP TABLE services;--",
    "\u202egnp.exe",
    "👩\u200d👩\u200d👧\u200d👦" * 20,
    "{{7*7}} ${jndi:ldap://x/a} %s%n",
    "a" * 5000,
)

JUNK_TEXT: tuple[str, ...] = (
    "\u202e",
    "\u202d\u2066\u2069",
    "\u200b\u200c\u200d",
    "\ufeff",
    "\u2028",
    "\u2029",
    "\x85",
    "\ufffe",
    "\uffff",
    "\U0010ffff",
    "e\u0301" * 30,
    "👩\u200d👩\u200d👧",
    "漢字かな",
    "مرحبا",
    "<b>html</b>",
    ": ",
    " #",
    "- ",
    "? ",
    "{",
    "]",
    "'",
    '"',
    "\\",
    "|",
    ">",
    "!",
    "&",
    "*",
    "%",
    "@",
    "`",
    "---",
    "...",
)


def _python_junk(rng: random.Random, depth: int = 0) -> Any:
    """A Python value of a random kind, for a mutation that keeps the YAML valid."""
    kind = rng.randrange(11 if depth < 3 else 8)
    simple: list[Any] = [
        None,
        rng.choice([True, False]),
        rng.randint(-(10**20), 10**20),
        rng.choice([0.5, -1e300, float("inf"), 1e-320]),
        "".join(rng.choice(JUNK_TEXT) for _ in range(rng.randint(0, 5))),
        rng.choice(WRONG_VALUES),
        date(rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28)),
        "x" * rng.choice([0, 1, 300, 20_000]),
    ]
    if kind < len(simple):
        return simple[kind]
    if kind == 8:
        return [_python_junk(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if kind == 9:
        return {
            rng.choice(["id", "fi", "kind", "x", "", "1"]): _python_junk(rng, depth + 1)
            for _ in range(rng.randint(0, 4))
        }
    return [[[["deep"]]]]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    result = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            result += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            result += _paths(item, (*prefix, index))
    return result


# The mutations -------------------------------------------------------------------------------


def delete_line(rng: random.Random, data: bytes) -> bytes:
    """Delete one line."""
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return _join(lines)


def duplicate_lines(rng: random.Random, data: bytes) -> bytes:
    """Repeat a run of one to ten lines right after itself (duplicate keys, services)."""
    lines = _lines(data)
    start = rng.randrange(len(lines))
    run = lines[start : start + rng.randint(1, 10)]
    return _join(lines[: start + len(run)] + run + lines[start + len(run) :])


def swap_lines(rng: random.Random, data: bytes) -> bytes:
    """Swap two lines (a neighbour, or any)."""
    lines = _lines(data)
    if len(lines) < 2:
        return data
    i = rng.randrange(len(lines) - 1)
    j = i + 1 if rng.random() < 0.5 else rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return _join(lines)


def swap_keys(rng: random.Random, data: bytes) -> bytes:
    """Give a value another key of the file, or a misspelt or unknown one."""
    lines = _lines(data)
    indexes = _key_lines(lines)
    if not indexes:
        return data
    match = _KEY_VALUE.match(lines[i := rng.choice(indexes)])
    assert match
    other = _KEY_VALUE.match(lines[rng.choice(indexes)])
    assert other
    key = rng.choice([other.group(2), match.group(2)[::-1], match.group(2) + "x", "unknown"])
    lines[i] = f"{match.group(1)}{key}:{match.group(3)}"
    return _join(lines)


def wrong_value(rng: random.Random, data: bytes) -> bytes:
    """Put a value of another kind (or broken YAML, a tag, an alias) after a key."""
    lines = _lines(data)
    indexes = _key_lines(lines)
    if not indexes:
        return data
    match = _KEY_VALUE.match(lines[i := rng.choice(indexes)])
    assert match
    value = rng.choice(WRONG_VALUES).replace("\n", "\n" + " " * (len(match.group(1)) + 2))
    lines[i] = f"{match.group(1)}{match.group(2)}: {value}"
    return _join(lines)


_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: What an editor may type as a contact: half numbers, punctuation, wrong schemes.
CONTACT_VALUES: tuple[str, ...] = (
    "( )",
    "-",
    "/",
    "+",
    "()",
    "8",
    "(8)",
    "1" * 30,
    "0",
    "+0",
    "112",
    "116 117",
    "+999 999 999",
    "09 2525 0111 ext 5",
    "040 123 4567 / 040 765 4321",
    "tel:+358925250111",
    "@",
    "a@",
    "@b.fi",
    "mailto:info@example.fi",
    "info@example",
    "http://example.fi",
    "https://",
    "https://a b.fi",
    "https://user:pw@example.fi",
    "javascript:alert(1)",
    "//example.fi",
)
_CONTACT_LINE = re.compile(r"^(\s*-?\s*)(phone|email|web|chat|eservice):\s.*$")


def contact_values(rng: random.Random, data: bytes) -> bytes:
    """A phone number, e-mail address or link an editor mistyped."""
    lines = _lines(data)
    indexes = [i for i, line in enumerate(lines) if _CONTACT_LINE.match(line)]
    if not indexes:
        return wrong_value(rng, data)
    match = _CONTACT_LINE.match(lines[i := rng.choice(indexes)])
    assert match
    value = json.dumps(rng.choice(CONTACT_VALUES), ensure_ascii=False)
    lines[i] = f"{match.group(1)}{rng.choice([match.group(2), 'phone', 'email', 'web'])}: {value}"
    return _join(lines)


def retype_data(rng: random.Random, data: bytes) -> bytes:
    """Load the file, replace or delete one value anywhere, dump it again (valid YAML)."""
    text = _text(data)
    try:
        if any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text, Loader=_LOADER)):
            return wrong_value(rng, data)  # walking a billion laughs would never end
        loaded = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return wrong_value(rng, data)
    paths = _paths(loaded)
    if not paths:
        loaded = _python_junk(rng)
    else:
        path = rng.choice(paths)
        parent = loaded
        for step in path[:-1]:
            parent = parent[step]
        if rng.random() < 0.3:
            del parent[path[-1]]
        else:
            parent[path[-1]] = _python_junk(rng)
    try:
        dumped = yaml.safe_dump(loaded, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, ValueError, RecursionError):
        return wrong_value(rng, data)
    return _bytes(dumped)


def unicode_junk(rng: random.Random, data: bytes) -> bytes:
    """Insert bidi overrides, zero-width and combining characters, emoji, YAML punctuation."""
    piece = "".join(rng.choice(JUNK_TEXT) for _ in range(rng.randint(1, 6)))
    return _insert(rng, data, piece.encode("utf-8"))


def truncate(rng: random.Random, data: bytes) -> bytes:
    """Cut the file anywhere (also inside a multi-byte character)."""
    return data[: rng.randint(0, len(data))]


def reindent(rng: random.Random, data: bytes) -> bytes:
    """Indent one line (or a run of lines) wrongly."""
    lines = _lines(data)
    start = rng.randrange(len(lines))
    shift = rng.choice([-4, -2, -1, 1, 2, 3, 8])
    for i in range(start, min(len(lines), start + rng.choice([1, 1, 3, 10]))):
        line = lines[i]
        lines[i] = " " * shift + line if shift > 0 else line[min(-shift, _indent(line)) :]
    return _join(lines)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def tabs(rng: random.Random, data: bytes) -> bytes:
    """Indent a line with a tab, or put a tab inside it."""
    lines = _lines(data)
    i = rng.randrange(len(lines))
    line = lines[i]
    if rng.random() < 0.5:
        lines[i] = "\t" + line.lstrip(" ")
    else:
        at = rng.randint(0, len(line))
        lines[i] = line[:at] + "\t" + line[at:]
    return _join(lines)


def line_endings(rng: random.Random, data: bytes) -> bytes:
    """CRLF everywhere, a lone CR, or mixed endings."""
    choice = rng.randrange(3)
    if choice == 0:
        return data.replace(b"\n", b"\r\n")
    if choice == 1:
        return data.replace(b"\n", b"\r")
    lines = data.split(b"\n")
    return b"".join(line + rng.choice([b"\n", b"\r\n", b"\r"]) for line in lines)


def bom(rng: random.Random, data: bytes) -> bytes:
    """A byte order mark at the start (UTF-8 or UTF-16, re-encoded) or in the middle."""
    choice = rng.randrange(4)
    if choice == 0:
        return b"\xef\xbb\xbf" + data
    if choice == 1:
        return _text(data).encode("utf-16", "surrogatepass")
    if choice == 2:
        return b"\xff\xfe" + data
    return _insert(rng, data, b"\xef\xbb\xbf")


def control_bytes(rng: random.Random, data: bytes) -> bytes:
    """NUL and other control characters anywhere."""
    piece = bytes(
        rng.choice([0, 0, 1, 7, 8, 11, 12, 27, 31, 127]) for _ in range(rng.randint(1, 4))
    )
    return _insert(rng, data, piece)


def invalid_utf8(rng: random.Random, data: bytes) -> bytes:
    """Bytes that are not UTF-8: stray, cut, overlong, surrogate or beyond U+10FFFF."""
    piece = rng.choice(
        [b"\xff", b"\xfe\xfe", b"\xc3", b"\xe2\x82", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80"]
    )
    return _insert(rng, data, piece)


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    """Change a few random bytes to random values."""
    if not data:
        return bytes([rng.randrange(256)])
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        buffer[rng.randrange(len(buffer))] = rng.randrange(256)
    return bytes(buffer)


def huge_string(rng: random.Random, data: bytes) -> bytes:
    """A very long value, a very long line, or a file over the size limit."""
    size = rng.choice([10_000, 100_000, 600_000, 1_100_000])
    lines = _lines(data)
    indexes = _key_lines(lines) or [0]
    i = rng.choice(indexes)
    match = _KEY_VALUE.match(lines[i])
    head = f"{match.group(1)}{match.group(2)}: " if match else ""
    word = rng.choice(["x", "ä", "a b ", "👩\u200d👧", "\\u0000", "<"])
    lines[i] = head + word * (size // len(word.encode()))
    return _join(lines)


def huge_list(rng: random.Random, data: bytes) -> bytes:
    """A list of thousands of items where a short one belongs."""
    lines = _lines(data)
    indexes = _key_lines(lines)
    if not indexes:
        return data
    match = _KEY_VALUE.match(lines[i := rng.choice(indexes)])
    assert match
    item = rng.choice(["mental_health", "x", "564", "fi", "{}", "[]"])
    lines[i] = f"{match.group(1)}{match.group(2)}: [{', '.join([item] * rng.choice([100, 3000]))}]"
    return _join(lines)


def deep_nesting(rng: random.Random, data: bytes) -> bytes:
    """Flow or block nesting from a few to thousands of levels deep."""
    depth = rng.choice([5, 19, 20, 21, 100, 5000])
    lines = _lines(data)
    indexes = _key_lines(lines) or [0]
    i = rng.choice(indexes)
    match = _KEY_VALUE.match(lines[i])
    indent, key = (match.group(1), match.group(2)) if match else ("", "x")
    if rng.random() < 0.5:
        opener = rng.choice(["[", "{a: "])
        closer = "]" if opener == "[" else "}"
        lines[i] = f"{indent}{key}: {opener * depth}1{closer * depth}"
    else:
        width = len(indent)
        block = [f"{indent}{key}:"]
        block += [" " * (width + 2 * (n + 1)) + "k:" for n in range(min(depth, 400))]
        block.append(" " * (width + 2 * (min(depth, 400) + 1)) + "end")
        lines[i : i + 1] = block
    return _join(lines)


def anchors(rng: random.Random, data: bytes) -> bytes:
    """Anchors, aliases, merge keys, and the billion-laughs bomb."""
    choice = rng.randrange(3)
    if choice == 0:
        bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        bomb += [
            f"{chr(98 + n)}: &{chr(98 + n)} [{','.join(['*' + chr(97 + n)] * 9)}]" for n in range(8)
        ]
        return _bytes("\n".join(bomb) + "\n") + data
    lines = _lines(data)
    indexes = _key_lines(lines)
    if len(indexes) < 2:
        return data
    first, second = sorted(rng.sample(indexes, 2))
    m1, m2 = _KEY_VALUE.match(lines[first]), _KEY_VALUE.match(lines[second])
    assert m1 and m2
    lines[first] = f"{m1.group(1)}{m1.group(2)}: &anchor{m1.group(3)}"
    value = "*anchor" if choice == 1 else "\n" + " " * (len(m2.group(1)) + 2) + "<<: *anchor"
    lines[second] = f"{m2.group(1)}{m2.group(2)}: {value}"
    return _join(lines)


def tags_and_directives(rng: random.Random, data: bytes) -> bytes:
    """YAML directives, document markers and explicit tags on the whole file."""
    prefix = rng.choice(
        [
            b"%YAML 1.1\n---\n",
            b"%YAML 9.9\n---\n",
            b"%TAG ! tag:evil.example,2026:\n---\n",
            b"--- !!python/object:os.system\n",
            b"--- !!map\n",
            b"---\n",
        ]
    )
    suffix = rng.choice([b"", b"\n...\n", b"\n---\n" + data[: len(data) // 2], b"\n--- x\n"])
    return prefix + data + suffix


def splice(rng: random.Random, data: bytes) -> bytes:
    """Insert a run of lines from another shipped file."""
    other = _lines(_source_bytes(rng.choice(SOURCES)))
    start = rng.randrange(len(other))
    piece = other[start : start + rng.randint(1, 30)]
    lines = _lines(data)
    at = rng.randint(0, len(lines))
    return _join(lines[:at] + piece + lines[at:])


def replace_whole(rng: random.Random, data: bytes) -> bytes:
    """The file becomes something else entirely: empty, a comment, a scalar, a list."""
    return rng.choice(
        [
            b"",
            b"\n\n",
            b"# only a comment\n",
            b"---\n",
            b"null\n",
            b"~",
            b"[]",
            b"{}",
            b"42\n",
            b"- a\n- b\n",
            b"services:\n",
            b"services: []\n",
            b"provider: x\nservices: [1, 2]\n",
            b"\x00",
            b"\xef\xbb\xbf",
        ]
    )


MUTATORS: tuple[Mutator, ...] = (
    delete_line,
    duplicate_lines,
    swap_lines,
    swap_keys,
    wrong_value,
    wrong_value,
    retype_data,
    retype_data,
    contact_values,
    unicode_junk,
    truncate,
    reindent,
    tabs,
    line_endings,
    bom,
    control_bytes,
    invalid_utf8,
    flip_bytes,
    huge_string,
    huge_list,
    deep_nesting,
    anchors,
    tags_and_directives,
    splice,
    replace_whole,
)

_SOURCE_CACHE: dict[Path, bytes] = {}


def _source_bytes(path: Path) -> bytes:
    if path not in _SOURCE_CACHE:
        _SOURCE_CACHE[path] = path.read_bytes()
    return _SOURCE_CACHE[path]


@dataclass(frozen=True)
class Mutant:
    """One mutated file: its name in the test catalogue, its bytes and how it was made."""

    name: str
    data: bytes
    source: str
    mutations: tuple[str, ...]

    def describe(self) -> str:
        """Where it came from and what was done to it."""
        return f"{self.name} (from {self.source}: {', '.join(self.mutations)})"


def mutants(seed: int, count: int) -> Iterator[Mutant]:
    """`count` mutated files, the same ones for the same seed."""
    rng = random.Random(seed)
    for number in range(count):
        source = rng.choice(SOURCES)
        data = _source_bytes(source)
        applied = []
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
            mutator = rng.choice(MUTATORS)
            data = mutator(rng, data)
            applied.append(mutator.__name__)
        yield Mutant(
            f"{number:05d}-{source.stem}.yaml",
            data,
            str(source.relative_to(REPO)),
            tuple(applied),
        )


# Checking -----------------------------------------------------------------------------------

_PROBLEM = re.compile(r"^(services/[^:]+\.yaml):(\d+):(\d+): (error|warning) ([a-z][a-z0-9-]*): .+")


def catalogue_root(tmp: Path) -> Path:
    """A catalogue with the shipped taxonomy and an empty services folder."""
    root = tmp / "catalog"
    shutil.copytree(REPO / "catalog" / "taxonomy", root / "taxonomy")
    (root / "services").mkdir()
    return root


def problem_faults(problems: Problems, files: dict[str, bytes]) -> list[str]:
    """What is wrong with the problems reported for `files` (by display path); [] if none."""
    faults = []
    for problem in problems.items:
        text = str(problem)
        match = _PROBLEM.match(text)
        if not match:
            faults.append(f"does not name file:line:column: {text[:300]!r}")
            continue
        path, line = match.group(1), int(match.group(2))
        if path not in files:
            faults.append(f"names a file that was not checked: {text[:300]!r}")
            continue
        lines = len(files[path].decode("utf-8", "replace").splitlines()) + 1
        if not 1 <= line <= lines or int(match.group(3)) < 1:
            faults.append(f"line {line} is outside the file ({lines - 1} lines): {text[:300]!r}")
        json.dumps(problem.as_json(), ensure_ascii=False)  # what `--format json` prints
    return faults


@dataclass
class BatchResult:
    """What checking one batch found: failures (empty if all is well) and figures."""

    failures: list[str]
    seconds: float
    problems: int
    files_with_errors: int


def check_batch(root: Path, batch: list[Mutant]) -> BatchResult:
    """Check a batch of mutated files as one catalogue; the cwd must be `root`."""
    folder = root / "services" / FUZZ_DIR
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    files = {}
    for mutant in batch:
        (folder / mutant.name).write_bytes(mutant.data)
        files[f"services/{FUZZ_DIR}/{mutant.name}"] = mutant.data
    started = time.perf_counter()
    try:
        _, problems = check_catalog(root, TODAY)
    except Exception:
        seconds = time.perf_counter() - started
        return BatchResult(_culprits(root, batch), seconds, 0, 0)
    seconds = time.perf_counter() - started
    failures = problem_faults(problems, files)
    with_errors = {p.mark.path for p in problems.errors}
    return BatchResult(failures, seconds, len(problems.items), len(with_errors))


def _culprits(root: Path, batch: list[Mutant]) -> list[str]:
    """Check each file alone: which of them make the validator raise, and with what."""
    found = []
    for mutant in batch:
        folder = root / "services" / FUZZ_DIR
        shutil.rmtree(folder)
        folder.mkdir()
        (folder / mutant.name).write_bytes(mutant.data)
        try:
            check_catalog(root, TODAY)
        except Exception as exc:
            found.append(f"raised {type(exc).__name__}: {exc!s:.300} on {mutant.describe()}")
    return found or ["the batch raised, but no file raised alone"]


def batches(seed: int, count: int, size: int = BATCH) -> Iterator[list[Mutant]]:
    """The mutated files of `seed` in batches of `size`."""
    batch: list[Mutant] = []
    for mutant in mutants(seed, count):
        batch.append(mutant)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# The tests ----------------------------------------------------------------------------------

#: The CI run: this many mutated files, from this seed.
CI_FILES = 1000
CI_SEED = 7


def test_the_shipped_files_are_valid_to_start_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = catalogue_root(tmp_path)
    shutil.rmtree(root / "services")
    shutil.copytree(SERVICES, root / "services")
    monkeypatch.chdir(root)
    _, problems = check_catalog(root, TODAY)
    assert not problems.errors, [str(p) for p in problems.errors[:5]]
    assert len(SOURCES) >= 20


def test_mutations_are_reproducible() -> None:
    first = [(m.name, m.data) for m in mutants(CI_SEED, 30)]
    assert first == [(m.name, m.data) for m in mutants(CI_SEED, 30)]


def test_a_thousand_mutated_files_never_crash_the_validator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = catalogue_root(tmp_path)
    monkeypatch.chdir(root)  # problems name files as services/…
    failures: list[str] = []
    used: set[str] = set()
    checked = with_errors = 0
    for batch in batches(CI_SEED, CI_FILES):
        result = check_batch(root, batch)
        failures += result.failures
        checked += len(batch)
        with_errors += result.files_with_errors
        used.update(name for mutant in batch for name in mutant.mutations)
    assert checked == CI_FILES
    assert used == {m.__name__ for m in MUTATORS}, "every mutation is exercised"
    assert not failures, f"{len(failures)} failure(s) (seed {CI_SEED}):\n" + "\n".join(
        failures[:20]
    )
    # Most mutations break a file; the validator must say so rather than pass it.
    assert with_errors > CI_FILES // 2


def test_a_crash_is_caught_and_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness itself: a validator that raised on one file would be reported, with
    the file and the mutations that made it."""
    root = catalogue_root(tmp_path)
    monkeypatch.chdir(root)
    real = check_catalog

    def fragile(catalogue: Path, today: date | None = None) -> Any:
        if any(b"BOOM" in p.read_bytes() for p in (catalogue / "services").rglob("*.yaml")):
            raise KeyError("boom")
        return real(catalogue, today)

    monkeypatch.setattr(sys.modules[__name__], "check_catalog", fragile)
    batch = list(mutants(CI_SEED, 3))
    batch[1] = Mutant("00001-x.yaml", b"id: BOOM\n", "catalog/services/x.yaml", ("test",))
    result = check_batch(root, batch)
    assert result.failures == [
        "raised KeyError: 'boom' on 00001-x.yaml (from catalog/services/x.yaml: test)"
    ]
