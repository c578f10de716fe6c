"""Coordinates: PTV publishes ETRS-TM35FIN (EPSG:3067) metres; maps and links want WGS84."""

from __future__ import annotations

from functools import lru_cache

from pyproj import Transformer


@lru_cache(maxsize=1)
def _tm35fin_to_wgs84() -> Transformer:
    # always_xy: (easting, northing) in, (longitude, latitude) out, whatever the CRS axis order.
    return Transformer.from_crs("EPSG:3067", "EPSG:4326", always_xy=True)


def tm35fin_to_wgs84(northing: float, easting: float) -> tuple[float, float]:
    """(latitude, longitude) in degrees, rounded to 6 decimals (about 0.1 m)."""
    lon, lat = _tm35fin_to_wgs84().transform(easting, northing)
    return round(lat, 6), round(lon, 6)


def in_finland(northing: float, easting: float) -> bool:
    """True if the point lies in ETRS-TM35FIN's box around Finland (catches swapped axes)."""
    return 6_600_000 <= northing <= 7_800_000 and 50_000 <= easting <= 760_000
