"""Catalogue statistics and the need × municipality coverage matrix."""

from __future__ import annotations

from collections import Counter
from typing import TypedDict

from navigator.catalog.loader import Catalog
from navigator.catalog.model import LANGS, Service


class CoverageGaps(TypedDict):
    """Need × municipality pairs without a service at the given ladder levels."""

    level_max_3: list[list[str]]  # [need_id, municipality_code]: nothing at level ≤ 3
    level_max_4: list[list[str]]  # nothing at level ≤ 4
    any_level: list[list[str]]  # nothing at all


class CatalogStats(TypedDict):
    """The JSON of `navigator catalog stats --format json`; tools depend on these keys."""

    version: str
    services: int  # active services
    inactive: int  # temporarily closed or ended
    by_provider_type: dict[str, int]
    by_level: dict[str, int]
    by_need: dict[str, int]
    by_municipality: dict[str, int]  # services residents of each municipality can use
    by_language: dict[str, int]  # services with name and summary in each language
    with_source: int  # entries with source and checked date
    flagged_for_review: int
    coverage_gaps: CoverageGaps


def _has_language(service: Service, lang: str) -> bool:
    return all(getattr(t, lang) for t in (service.name, service.summary, service.how_to_get))


def _best_level(services: list[Service], need: str, municipality: str) -> int | None:
    levels = [s.level for s in services if need in s.needs and s.areas.serves(municipality)]
    return min(levels) if levels else None


def compute_stats(catalog: Catalog) -> CatalogStats:
    """Counts by provider type, level, need, municipality and language, and coverage gaps."""
    active = catalog.active
    by_level = Counter(str(s.level) for s in active)
    by_need = Counter(n for s in active for n in s.needs)
    gaps: CoverageGaps = {"level_max_3": [], "level_max_4": [], "any_level": []}
    for need in catalog.taxonomy.needs:
        for code in catalog.taxonomy.municipalities:
            best = _best_level(active, need, code)
            if best is None:
                gaps["any_level"].append([need, code])
            if best is None or best > 4:
                gaps["level_max_4"].append([need, code])
            if best is None or best > 3:
                gaps["level_max_3"].append([need, code])
    return {
        "version": catalog.version,
        "services": len(active),
        "inactive": len(catalog.services) - len(active),
        "by_provider_type": dict(sorted(Counter(s.provider.type.value for s in active).items())),
        "by_level": {str(level): by_level.get(str(level), 0) for level in range(6)},
        "by_need": {need: by_need.get(need, 0) for need in catalog.taxonomy.needs},
        "by_municipality": {
            code: sum(1 for s in active if s.areas.serves(code))
            for code in catalog.taxonomy.municipalities
        },
        "by_language": {lang: sum(1 for s in active if _has_language(s, lang)) for lang in LANGS},
        "with_source": sum(1 for s in catalog.services if s.source and s.checked is not None),
        "flagged_for_review": sum(1 for s in catalog.services if s.review),
        "coverage_gaps": gaps,
    }


def format_stats(stats: CatalogStats, catalog: Catalog) -> str:
    """The statistics as text for a terminal."""
    names = {c: m.name.fi for c, m in catalog.taxonomy.municipalities.items()}
    lines = [
        f"catalogue {stats['version']}: {stats['services']} active services"
        f" ({stats['inactive']} inactive), {stats['with_source']} with source and date,"
        f" {stats['flagged_for_review']} flagged for review",
        "by provider type: " + ", ".join(f"{k} {v}" for k, v in stats["by_provider_type"].items()),
        "by level: " + ", ".join(f"{k}: {v}" for k, v in stats["by_level"].items()),
        "by language: " + ", ".join(f"{k} {v}" for k, v in stats["by_language"].items()),
        "by need: " + ", ".join(f"{k} {v}" for k, v in stats["by_need"].items()),
        "by municipality: "
        + ", ".join(f"{names[k]} {v}" for k, v in stats["by_municipality"].items()),
    ]
    gaps = stats["coverage_gaps"]
    for pairs, title in (
        (gaps["any_level"], "no service at all"),
        (gaps["level_max_3"], "no service at level ≤ 3"),
    ):
        lines.append(f"coverage gaps, {title}: {len(pairs)}")
        by_need: dict[str, list[str]] = {}
        for need, code in pairs:
            by_need.setdefault(need, []).append(names[code])
        for need, places in by_need.items():
            shown = "all 30 municipalities" if len(places) == len(names) else ", ".join(places)
            lines.append(f"  {need}: {shown}")
    return "\n".join(lines)
