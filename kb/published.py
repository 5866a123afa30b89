"""data/published-urls.txt: every report and section URL the site has ever published, only ever
appended to. tests/test_urls.py fails when one of them is neither a page nor a redirect, so a
rename without redirect_from cannot land. Pure functions over text and paths: callers load the
reports they need (this module sits below the knowledge base and imports none of it)."""

from __future__ import annotations

from pathlib import Path

PUBLISHED = "data/published-urls.txt"
HEADER = """# 已发布的网址（相对站点根目录）：只增不减。改名时请在新文件的 front matter 写 redirect_from。
# Published URLs (relative to the site root): only ever appended to. Renames need redirect_from.
# 更新 / update: kb urls
"""


def parse_published(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def read_published(root: Path) -> list[str]:
    path = Path(root) / PUBLISHED
    return parse_published(path.read_text(encoding="utf-8")) if path.exists() else []


def with_urls(text: str | None, urls: list[str]) -> tuple[str, list[str]]:
    """The list's new text with the URLs it did not hold yet appended (nothing is ever removed),
    and which URLs those were."""
    text = HEADER if text is None else text
    listed = set(parse_published(text))
    added = [url for url in dict.fromkeys(urls) if url not in listed]
    if added:
        if text and not text.endswith("\n"):
            text += "\n"
        text += "".join(f"{url}\n" for url in added)
    return text, added


def missing_urls(site_dir: Path, urls: list[str]) -> list[str]:
    """Published URLs the built site serves neither as a page nor as a redirect."""
    return [url for url in urls if not (Path(site_dir) / url / "index.html").is_file()]
