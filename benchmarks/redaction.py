"""Redaction of personal data on the labelled corpus (tests/data/redaction_corpus.jsonl).

    python -m benchmarks.redaction

Each corpus line is a resident's chat message with its personal data labelled: spans of
kind hetu, phone, email, iban or address, each an exact substring of the line (lines
without personal data have no spans). `navigator.privacy.find_personal_data` is run on
every line, once as shipped and once with `mistyped_codes=False` (codes count only when
their check holds), and scored at the level of spans:

- A labelled span is **found** when every one of its characters other than blanks lies
  inside a finding, whatever the finding's kind: the redacted text keeps none of it. A
  span that is only partly covered ("[puhelinnumero]T" for an identity code) is missed.
  Found spans redacted with another kind's mark are counted too (`other_mark`).
- A finding is **correct** when it overlaps a labelled span and changes nothing else: each
  of its characters outside the labelled spans is a blank or punctuation. Any other finding
  is a false positive: on a line without personal data, or on a positive line outside its
  spans (a word or number that is not personal data is lost).
- **Recall** of a kind = found spans of that kind / labelled spans of that kind; **precision**
  of a kind = correct findings marked as that kind / findings marked as that kind. Overall
  figures pool all kinds. Misses and false positives are listed with their line.

`score` is what tests/test_privacy.py asserts on (recall ≥ 0.98, precision ≥ 0.95).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from benchmarks.common import machine, print_json, read_jsonl
from navigator.privacy import Finding, find_personal_data

CORPUS = "redaction_corpus.jsonl"
KINDS = ("hetu", "phone", "email", "iban", "address")


def score(rows: list[dict[str, Any]], *, mistyped_codes: bool = True) -> dict[str, Any]:
    """Recall and precision per kind and overall (see the module docstring)."""
    counts: Counter[str] = Counter()
    misses: list[dict[str, str]] = []
    false_positives: list[dict[str, str]] = []
    for row in rows:
        text: str = row["text"]
        found = find_personal_data(text, mistyped_codes=mistyped_codes)
        labelled = [(kind, *_locate(text, span)) for kind, span in _spans(row)]
        for kind, start, end in labelled:
            counts[f"{kind}_spans"] += 1
            if _covered(text, start, end, found):
                counts[f"{kind}_found"] += 1
                counts[f"{kind}_other_mark"] += _marked_otherwise(kind, start, end, found)
            else:
                misses.append({"kind": kind, "span": text[start:end], "line": text})
        for finding in found:
            counts[f"{finding.kind}_findings"] += 1
            if _correct(text, finding, [(s, e) for _, s, e in labelled]):
                counts[f"{finding.kind}_correct"] += 1
            else:
                false_positives.append(
                    {"kind": finding.kind, "found": text[finding.start : finding.end], "line": text}
                )
        counts["negative_lines"] += not labelled
        counts["negative_lines_changed"] += not labelled and bool(found)
    kinds = {kind: _figures(counts, kind) for kind in KINDS}
    total = {
        name: sum(counts[f"{kind}_{name}"] for kind in KINDS)
        for name in ("spans", "found", "findings", "correct")
    }
    return {
        "mistyped_codes": mistyped_codes,
        "recall": _ratio(total["found"], total["spans"]),
        "precision": _ratio(total["correct"], total["findings"]),
        "spans": total["spans"],
        "findings": total["findings"],
        "negative_lines_changed": counts["negative_lines_changed"],
        "negative_lines": counts["negative_lines"],
        "by_kind": kinds,
        "misses": misses,
        "false_positives": false_positives,
    }


def _spans(row: dict[str, Any]) -> list[tuple[str, str]]:
    return [(span["kind"], span["text"]) for span in row["spans"]]


def _locate(text: str, span: str) -> tuple[int, int]:
    """Where the labelled substring is in its line (the corpus test checks it is there)."""
    start = text.index(span)
    return start, start + len(span)


def _covered(text: str, start: int, end: int, found: list[Finding]) -> bool:
    """True when every non-blank character of text[start:end] is inside a finding."""
    return all(
        text[i].isspace() or any(f.start <= i < f.end for f in found) for i in range(start, end)
    )


def _marked_otherwise(kind: str, start: int, end: int, found: list[Finding]) -> bool:
    """True when no finding over the span has the span's kind."""
    return not any(f.kind == kind for f in found if f.start < end and start < f.end)


def _correct(text: str, finding: Finding, labelled: list[tuple[int, int]]) -> bool:
    """True when the finding overlaps a labelled span and takes nothing else but blanks and
    punctuation."""
    if not any(finding.start < end and start < finding.end for start, end in labelled):
        return False
    outside = [
        text[i]
        for i in range(finding.start, finding.end)
        if not any(start <= i < end for start, end in labelled)
    ]
    return not any(char.isalnum() for char in outside)


def _figures(counts: Counter[str], kind: str) -> dict[str, Any]:
    return {
        "spans": counts[f"{kind}_spans"],
        "recall": _ratio(counts[f"{kind}_found"], counts[f"{kind}_spans"]),
        "other_mark": counts[f"{kind}_other_mark"],
        "findings": counts[f"{kind}_findings"],
        "precision": _ratio(counts[f"{kind}_correct"], counts[f"{kind}_findings"]),
    }


def _ratio(part: int, whole: int) -> float:
    """part / whole to four places; 1.0 when there is nothing to count."""
    return round(part / whole, 4) if whole else 1.0


def main() -> dict[str, Any]:
    """Score the corpus as shipped and with strict codes, and print the figures."""
    rows = read_jsonl(CORPUS)
    figures = {
        "benchmark": "redaction",
        "machine": machine(),
        "lines": {
            "total": len(rows),
            "positive": sum(bool(row["spans"]) for row in rows),
            "negative": sum(not row["spans"] for row in rows),
            "by_language": dict(sorted(Counter(row["lang"] for row in rows).items())),
        },
        "shipped": score(rows),
        "strict_codes": score(rows, mistyped_codes=False),
    }
    print_json(figures)
    return figures


if __name__ == "__main__":
    main()
