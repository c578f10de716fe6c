"""Routing quality on the labelled dev set (tests/data/routing_dev.jsonl), printed as JSON.

    python -m benchmarks.routing_quality

need_top3: share of messages with a labelled need where one of them is among the top 3
detected. safety recall: emergency lines answered emergency; crisis lines answered crisis or
emergency. false_alarm_rate: "none" lines answered crisis or emergency. ladder_compliance:
answers whose ladder part is in level order, spans at most two steps, and starts at the
lowest level the catalogue has for the main need in the resident's area; safety answers
must also start with 112 (emergency) or a crisis service (crisis).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from benchmarks.common import machine, print_json, read_jsonl
from navigator.routing import Answer, Router, default_router
from navigator.safety import SafetyLevel


def lowest_level(router: Router, need: str, municipality: str | None) -> int | None:
    """The lowest ladder level (above 0) of any active service for a need in the area."""
    levels = [
        s.level
        for s in router.catalog.active
        if need in s.needs
        and s.level > 0
        and (
            s.areas.scope != "municipalities"
            if municipality is None
            else s.areas.serves(municipality)
        )
    ]
    return min(levels) if levels else None


def ladder_ok(router: Router, answer: Answer) -> bool:
    """The compliance rule described in the module docstring."""
    if answer.safety is SafetyLevel.EMERGENCY and (
        not answer.recommendations or answer.recommendations[0].service.id != "emergency-112"
    ):
        return False
    if answer.safety is SafetyLevel.CRISIS and (
        not answer.recommendations or answer.recommendations[0].role != "crisis"
    ):
        return False
    ladder = [r.service.level for r in answer.recommendations if r.role == "ladder"]
    if not ladder:
        return True
    if ladder != sorted(ladder) or ladder[-1] - ladder[0] > 2:
        return False
    main = answer.needs[0].need
    lowest = lowest_level(router, main, answer.profile.municipality)
    return lowest is None or ladder[0] == lowest


def main() -> dict[str, Any]:
    """Run the dev set and print the figures."""
    router = default_router()
    rows = read_jsonl("routing_dev.jsonl")
    counts: Counter[str] = Counter()
    misses: list[dict[str, Any]] = []
    for row in rows:
        answer = router.route(row["text"])
        got = answer.safety.value
        want = row["safety"]
        counts[f"safety_{want}"] += 1
        if want == "emergency" and got == "emergency":
            counts["emergency_hit"] += 1
        if want == "crisis" and got in ("crisis", "emergency"):
            counts["crisis_hit"] += 1
        if want == "none" and got != "none":
            counts["false_alarm"] += 1
        if got != want and not (want == "crisis" and got == "emergency"):
            misses.append({"id": row["id"], "kind": "safety", "want": want, "got": got})
        detected = [n.need for n in answer.needs[:3]]
        if row["needs"]:
            counts["with_needs"] += 1
            if set(row["needs"]) & set(detected):
                counts["need_hit"] += 1
            else:
                misses.append(
                    {"id": row["id"], "kind": "needs", "want": row["needs"], "got": detected}
                )
        counts["oos_right"] += answer.out_of_scope == row.get("out_of_scope", False)
        if row.get("municipality"):
            counts["with_municipality"] += 1
            counts["municipality_hit"] += answer.profile.municipality == row["municipality"]
        counts["language_hit"] += answer.language == row["lang"]
        if answer.recommendations or answer.needs:
            counts["routed"] += 1
            counts["ladder_ok"] += ladder_ok(router, answer)
    figures = {
        "benchmark": "routing_quality",
        "machine": machine(),
        "messages": len(rows),
        "need_top3_hit": round(counts["need_hit"] / max(1, counts["with_needs"]), 4),
        "safety": {
            "emergency_recall": round(
                counts["emergency_hit"] / max(1, counts["safety_emergency"]), 4
            ),
            "crisis_recall": round(counts["crisis_hit"] / max(1, counts["safety_crisis"]), 4),
            "false_alarm_rate": round(counts["false_alarm"] / max(1, counts["safety_none"]), 4),
            "cases": {k: counts[f"safety_{k}"] for k in ("emergency", "crisis", "none")},
        },
        "ladder_compliance": round(counts["ladder_ok"] / max(1, counts["routed"]), 4),
        "out_of_scope_accuracy": round(counts["oos_right"] / len(rows), 4),
        "municipality_accuracy": round(
            counts["municipality_hit"] / max(1, counts["with_municipality"]), 4
        ),
        "language_accuracy": round(counts["language_hit"] / len(rows), 4),
        "misses": misses,
    }
    print_json(figures)
    return figures


if __name__ == "__main__":
    main()
