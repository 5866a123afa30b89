"""Template-side speed-ups the hooks install into MkDocs' Jinja environment (not theme files: a
build without the hooks, e.g. of `kb export` output, keeps Material's templates untouched).

The primary navigation is the same on every page except for the active entry (a page in the nav
also carries its table of contents there) and its links, which are relative to the page. So it is
rendered once per distinct (page in the nav or none, relative link to every nav page) and reused:
rendering it anew was a fifth of each page's template at 1,000 reports. Material's own partial does
the rendering, reached as "material/partials/nav.html".

The page shells (kb/page_shell.py) add their templates here too; "kb-theme/…" reaches the theme's own
file (custom_dir first, then Material) under a name the overrides do not shadow."""

from __future__ import annotations

from pathlib import Path

import material
from jinja2 import BytecodeCache, ChoiceLoader, DictLoader, Environment, FileSystemLoader, PrefixLoader
from mkdocs.utils import get_relative_url

from .page_shell import TEMPLATES as SHELL_TEMPLATES

MATERIAL_TEMPLATES = str(Path(material.__file__).parent / "templates")
CACHED_NAV = """\
{%- if kb_nav_key is not defined -%}
  {% include "material/partials/nav.html" %}
{%- else -%}
  {%- if kb_nav_key not in kb_nav_cache -%}
    {%- set kb_html -%}{% include "material/partials/nav.html" %}{%- endset -%}
    {%- if kb_nav_cache.update({kb_nav_key: kb_html}) -%}{%- endif -%}
  {%- endif -%}
  {{ kb_nav_cache[kb_nav_key] }}
{%- endif -%}"""  # pages without a page context (404.html) render it directly


def install_templates(env: Environment) -> Environment:
    theme = env.loader
    env.loader = ChoiceLoader([DictLoader({"partials/nav.html": CACHED_NAV, **SHELL_TEMPLATES}), theme,
                               PrefixLoader({"material": FileSystemLoader(MATERIAL_TEMPLATES), "kb-theme": theme})])
    env.globals["kb_nav_cache"] = {}  # one per build: a rebuild under `mkdocs serve` starts afresh
    return env


def navigation_key(page, nav) -> tuple:
    """Everything the navigation's HTML depends on for this page: which nav page it is (if any) and
    the relative URL from it to the home page and to every page in the nav."""
    own = page.url if page in nav.pages else None
    return (own, *(get_relative_url(target.url, page.url) for target in [nav.homepage, *nav.pages] if target))


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory across the builds of one `mkdocs serve` process: MkDocs makes
    a new Jinja environment for every build, which compiled Material's templates anew each time
    (about a second). Jinja checks each template's source checksum, so an edited template recompiles."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()
