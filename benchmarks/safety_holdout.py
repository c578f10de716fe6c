"""Safety triage on the held-out set (tests/data/safety_holdout.jsonl), printed as JSON.

    python -m benchmarks.safety_holdout

The held-out set was written after the rules, by someone who saw neither the rules nor the
other sets, and is never used to tune them: its figures estimate how triage does on messages
nobody has seen. Misses are listed by id so that they can be studied, and the rules improved
with new general rules and new labelled lines elsewhere, not with these lines.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from benchmarks.common import machine, print_json, read_jsonl
from navigator.safety import triage


def main() -> dict[str, Any]:
    """Triage every held-out line and print recall and false alarms."""
    rows = read_jsonl("safety_holdout.jsonl")
    counts: Counter[str] = Counter()
    misses = []
    for row in rows:
        got = triage(row["text"]).level.value
        want = row["safety"]
        counts[want] += 1
        if want == "emergency":
            counts["emergency_hit"] += got == "emergency"
            counts["emergency_as_crisis"] += got == "crisis"
        elif want == "crisis":
            counts["crisis_hit"] += got in ("crisis", "emergency")
        else:
            counts["false_alarm"] += got != "none"
        if got != want and not (want == "crisis" and got == "emergency"):
            misses.append({"id": row["id"], "lang": row["lang"], "want": want, "got": got})
    figures = {
        "benchmark": "safety_holdout",
        "machine": machine(),
        "messages": len(rows),
        "emergency_recall": round(counts["emergency_hit"] / max(1, counts["emergency"]), 4),
        "emergency_answered_as_crisis": counts["emergency_as_crisis"],
        "crisis_recall": round(counts["crisis_hit"] / max(1, counts["crisis"]), 4),
        "false_alarm_rate": round(counts["false_alarm"] / max(1, counts["none"]), 4),
        "cases": {k: counts[k] for k in ("emergency", "crisis", "none")},
        "misses": misses,
    }
    print_json(figures)
    return figures


if __name__ == "__main__":
    main()
