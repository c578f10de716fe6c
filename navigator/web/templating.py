"""Jinja2 templates for every page, with autoescaping always on.

Catalogue and user text is rendered as text, never as HTML: autoescape is forced on for
every template (whatever its file name), and no template marks text `|safe`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi.templating import Jinja2Templates

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,  # a misspelt variable fails the test, not the page
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=environment)


def safe_url(url: str | None, allowed: tuple[str, ...] = ("https:", "tel:", "mailto:")) -> str:
    """The URL if it uses an allowed scheme, else "" (so no javascript: link can appear)."""
    if not url:
        return ""
    cleaned = url.strip()
    return cleaned if cleaned.lower().startswith(allowed) else ""


environment.filters["safe_url"] = safe_url


def globals_for(**values: Any) -> None:
    """Add values every template sees (the app's version, say)."""
    environment.globals.update(values)
