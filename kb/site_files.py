"""Folders of files kb writes into the built site after MkDocs (the search index, the compare
view's data): written whole into a sibling folder and swapped in, never half-written; or, under
`mkdocs serve`, updated in place, rewriting only the files whose content changed since the last
build (written: file -> digest of its content on disk, kept by kb.preview.Preview per folder)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path


def compact_json(value) -> str:
    """The form every file of these folders takes: UTF-8 text, no spaces (fetched over the network)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def content_version(files: dict[str, str]) -> str:
    """A short digest of every file's text, in path order (a folder's meta.json names it): hashed a
    file at a time, not joined into one string first (that was a copy of the whole folder in memory)."""
    digest = hashlib.sha1()
    for path in sorted(files):
        digest.update(files[path].encode("utf-8"))
    return digest.hexdigest()[:12]


def write_tree(target: Path, files: dict[str, str], written: dict[str, str] | None = None) -> None:
    """The folder target holds exactly files (path relative to it -> text) afterwards."""
    if written is None:
        _swap_in(target, files)
    else:
        _update(target, files, written)


def _swap_in(target: Path, files: dict[str, str]) -> None:
    staging = target.with_name(target.name + ".tmp")
    if staging.exists():
        shutil.rmtree(staging)
    for sub in {p.rsplit("/", 1)[0] for p in files if "/" in p}:
        (staging / sub).mkdir(parents=True, exist_ok=True)
    staging.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        (staging / rel).write_text(content, encoding="utf-8")
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)


def _update(target: Path, files: dict[str, str], written: dict[str, str]) -> None:
    if not target.is_dir():
        written.clear()
    for rel, content in files.items():
        digest = hashlib.blake2b(content.encode("utf-8"), digest_size=16).hexdigest()
        if written.get(rel) != digest:
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            written[rel] = digest
    for rel in [rel for rel in written if rel not in files]:
        (target / rel).unlink(missing_ok=True)
        del written[rel]
