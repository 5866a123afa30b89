"""Keeping third-party notices out of the documented commands' output.

Material 9.8 prints an end-of-life banner to stderr the moment MkDocs loads the theme, unless
NO_MKDOCS_2_WARNING is set. mkdocs.yml calls silence_material_banner() through a YAML tag while it
is being read, which is before the theme loads, so a plain `mkdocs build` or `mkdocs serve` (what
CONTRIBUTING tells contributors to run) prints only what needs their attention."""

from __future__ import annotations

import os


def silence_material_banner() -> str:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return ""  # the value mkdocs.yml stores: nothing a template shows
