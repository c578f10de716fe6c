"""Statistics and the coverage matrix, on a small catalogue with known holes."""

from __future__ import annotations

import json
from datetime import date

from navigator.catalog.loader import check_catalog
from navigator.catalog.stats import compute_stats
from tests.conftest import FIXTURES, MakeCatalog

REGIONAL = """\
provider:
  name: Pohjois-Pohjanmaan hyvinvointialue
  type: region
services:
  - id: pohde-dental-kempele
    name: Hammashoitola
    summary: Suun terveydenhuolto.
    how_to_get: Varaa aika.
    level: 4
    needs: [dental]
    areas: ['244']
    channels:
      - web: https://pohde.fi
    cost: fee
    referral: false
    anonymous: false
    registration: true
    source: https://pohde.fi
    checked: 2026-11-23
  - id: pohde-ended
    name: Lopetettu palvelu
    summary: Ei enää toiminnassa.
    how_to_get: Ei.
    level: 3
    needs: [dental]
    areas: county
    channels:
      - web: https://pohde.fi
    cost: free
    referral: false
    anonymous: false
    registration: false
    source: https://pohde.fi
    checked: 2026-11-23
    status: ended
"""


def test_counts_and_coverage_gaps(make_catalog: MakeCatalog) -> None:
    root = make_catalog(
        {
            "ngo/mieli.yaml": (FIXTURES / "valid" / "mieli.yaml").read_bytes(),
            "regional/dental.yaml": REGIONAL.encode(),
        }
    )
    catalog, problems = check_catalog(root, date(2026, 11, 23))
    assert not problems.errors
    stats = compute_stats(catalog)
    json.dumps(stats)  # the JSON tools read
    assert stats["services"] == 2
    assert stats["inactive"] == 1
    assert stats["by_provider_type"] == {"ngo": 1, "region": 1}
    assert stats["by_level"] == {"0": 0, "1": 0, "2": 1, "3": 0, "4": 1, "5": 0}
    assert stats["by_need"]["crisis_support"] == 1
    assert stats["by_need"]["dental"] == 1
    assert stats["with_source"] == 3
    assert stats["by_municipality"]["244"] == 2
    assert stats["by_municipality"]["564"] == 1
    gaps = stats["coverage_gaps"]
    # crisis support is nationwide at level 2: no holes for it anywhere.
    assert not [pair for pair in gaps["any_level"] if pair[0] == "crisis_support"]
    # dental exists only in Kempele (244), at level 4; the ended county service does not count.
    assert ["dental", "244"] not in gaps["any_level"]
    assert ["dental", "244"] in gaps["level_max_3"]
    assert ["dental", "244"] not in gaps["level_max_4"]
    assert ["dental", "564"] in gaps["any_level"]
    assert len(gaps["any_level"]) == 30 * 24 - 30 * 2 - 1
