"""The service catalogue: model, YAML loading with positions, validation and statistics."""

from navigator.catalog.loader import Catalog, check_catalog, default_catalog_root, load_catalog
from navigator.catalog.model import Service, Text

__all__ = ["Catalog", "Service", "Text", "check_catalog", "default_catalog_root", "load_catalog"]
