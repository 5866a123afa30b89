"""Folders of files kb writes into the built site after MkDocs (the search index, the compare
view's data): written whole into a sibling folder and swapped in, never half-written; or, under
`mkdocs serve`, updated in place, rewriting only the files whose content changed since the last
build (written: file -> digest of its content on disk, kept by kb.preview.Preview per folder)."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path


class OutputsStopped(Exception):
    """A newer build under `mkdocs serve` stopped the writing of the last one's outputs (kb.preview)."""


_stopping = threading.local()


@contextmanager
def stoppable(stop: threading.Event):
    """Within the block, on this thread, every file these writers are about to write first checks
    `stop` and raises OutputsStopped once it is set: each file is written whole or not at all."""
    _stopping.event = stop
    try:
        yield
    finally:
        _stopping.event = None


def stop_point() -> None:
    stop = getattr(_stopping, "event", None)
    if stop is not None and stop.is_set():
        raise OutputsStopped


def compact_json(value) -> str:
    """The form every file of these folders takes: UTF-8 text, no spaces (fetched over the network)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class TreeWriter:
    """One folder written a file at a time, so that no writer holds its whole folder in memory.
    Without `written` the files go into a sibling staging folder that finish() swaps in whole (never
    half-written; abandon() drops it); with it (kept by `mkdocs serve` between builds: file -> digest
    of its content on disk) the folder is updated in place, only changed files rewritten, and
    finish() deletes the files no longer put. As a context manager: finish() when the block ends,
    abandon() when it raises."""

    def __init__(self, target: Path, written: dict[str, str] | None = None):
        self.target = Path(target)
        self.written = written
        self.files = 0  # files put
        self.bytes = 0
        # what version() names, made as files are put: a path -> digest map of every file kept until
        # the end was ~4 MB at 1,000 reports (16,000 search documents), at the build's peak
        self._version = hashlib.sha1()
        self._put: set[str] | None = set() if written is not None else None  # in place: what finish() keeps
        self._dirs: set[Path] = set()
        if written is None:
            self.folder = self.target.with_name(self.target.name + ".tmp")
            if self.folder.exists():
                shutil.rmtree(self.folder)
        else:
            self.folder = self.target
            if not self.target.is_dir():
                written.clear()
        self.folder.mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> "TreeWriter":
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.finish()
        else:
            self.abandon()

    def put(self, rel: str, content: str) -> None:
        stop_point()
        data = content.encode("utf-8")
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        self._version.update(f"{rel}\0{digest}\n".encode("utf-8"))
        self.files += 1
        self.bytes += len(data)
        if self.written is not None:
            self._put.add(rel)
            if self.written.get(rel) == digest:
                return
        path = self.folder / rel
        if path.parent not in self._dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(path.parent)
        path.write_bytes(data)
        if self.written is not None:
            self.written[rel] = digest

    def version(self) -> str:
        """A short digest of every file put so far (path and content), in the order put: the writers
        put their files in an order fixed by the tree (a folder's meta.json names it, and the browser
        fetches the folder's files with it: a stale cached file is never mixed in)."""
        return self._version.hexdigest()[:12]

    def finish(self) -> None:
        if self.written is None:
            if self.target.exists():
                shutil.rmtree(self.target)
            self.folder.rename(self.target)
            return
        for rel in [rel for rel in self.written if rel not in self._put]:
            (self.target / rel).unlink(missing_ok=True)
            del self.written[rel]

    def abandon(self) -> None:
        """Stop without swapping in: the staging folder goes (in place, what was written stays)."""
        if self.written is None:
            shutil.rmtree(self.folder, ignore_errors=True)


def write_tree(target: Path, files: dict[str, str], written: dict[str, str] | None = None) -> None:
    """The folder target holds exactly files (path relative to it -> text) afterwards."""
    with TreeWriter(target, written) as out:
        for rel, content in files.items():
            out.put(rel, content)
