"""What `mkdocs serve` keeps between rebuilds, so that a rebuild costs what changed, not the corpus.

MkDocs rebuilds the whole site on every save and (but with --dirty, which instead rebuilds only
pages whose own file changed, wrongly) empties the site directory first. Within one serve process
the hooks keep a Preview:
- the report folders as last read (kb.structure.ReportCache): only changed folders are read again;
- every page's key: what the page shows (kb.pages.page_inputs) and a hash of everything global
  (data/, mkdocs.yml, the theme, the hooks). A page whose key equals the last build's is not given
  to MkDocs at all: its output from that build stands. The keys are kept as they are and compared,
  not hashed: hashing the 22,000 keys of 1,000 reports took longer than building the pages an
  edit changes;
- the last build's site itself: moved aside before MkDocs empties the site directory, and the new
  build's files merged into it afterwards (set_aside, finish);
- Material's compiled templates (kb.site_theme.CompiledTemplates), and the page shells cut from
  them (kb.page_shell.PageShells) while everything global is unchanged.
catalog.json, the search index, the compare view's data and the stats page's CSV files, which
depend on every report, are written after the build has returned (in_background), so that the
edited page is shown without waiting for them; their folders are updated in place (kb.site_files).
They take several seconds at 1,000 reports: a save meanwhile stops them (each file is written whole
or not at all; catalog.json is renamed into place whole) and its build writes them all again.

The result, with or without --dirty, is the site a cold build of the same tree gives
(tests/test_preview.py compares them after text edits, retyping, added and removed reports, data
edits and a failed build). The sitemap is left out under serve (kb/theme/sitemap.xml).
`mkdocs build` never uses any of this."""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import tempfile
import threading
from pathlib import Path

from .similarity import keep_for_rebuilds
from .site_files import OutputsStopped, stoppable
from .site_theme import CompiledTemplates
from .structure import ReportCache

_fresh = itertools.count()  # states that match nothing, for reports not read cleanly


def _digest(value) -> str:
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16).hexdigest()


def tree_signature(paths: list[Path]) -> str:
    """Names, sizes, inodes and modification times of every file under the given files or folders."""
    entries = []
    for top in paths:
        if top.is_file():
            st = top.stat()
            entries.append((str(top), st.st_size, st.st_ino, st.st_mtime_ns))
        elif top.is_dir():
            for folder, _dirs, names in sorted(os.walk(top)):
                for name in sorted(names):
                    st = os.stat(os.path.join(folder, name), follow_symlinks=False)
                    entries.append((os.path.join(folder, name), st.st_size, st.st_ino, st.st_mtime_ns))
    return _digest(entries)


class Preview:
    def __init__(self, dirty: bool = False):
        self.dirty = dirty  # --dirty: MkDocs builds only pages it thinks modified (the hooks say which)
        self.report_cache = ReportCache()
        keep_for_rebuilds(True)  # 查重's fingerprints, holders, comparisons, passage places and entries
        self.templates = CompiledTemplates()
        self.folders_written: dict[str, dict[str, str]] = {}  # folder kb writes after MkDocs -> its files' digests
        self.stored: dict[str, tuple[tuple, str]] = {}  # src -> (key, dest) of each page output on disk
        self.outputs: set[str] = set()  # files MkDocs wrote or kb kept in the last build (site-relative)
        self.keys: dict[str, tuple | None] = {}  # this build: src -> key (None: built every time)
        self.kept: dict[str, tuple[tuple, str]] = {}  # this build: pages not given to MkDocs
        self.written: dict[str, str] = {}  # this build: src -> dest of the pages MkDocs wrote
        self._work = Path(tempfile.mkdtemp(prefix="kb-preview-"))
        self._aside: Path | None = None  # the last build's site while MkDocs writes the new one
        self._background: threading.Thread | None = None
        self._stop = threading.Event()  # set: the background outputs stop at their next file
        self.global_state: str | None = None  # this build's (plan)
        self._shells: tuple[str | None, object] | None = None  # (global state, the last build's PageShells)

    # ------------------------------------------------------------ the site directory

    def set_aside(self, site_dir: Path) -> None:
        """Before MkDocs empties the site directory: move the last build's site out of its way (one
        rename; deleting and rewriting the ~35,000 files of 1,000 reports took longer than the rest).
        The last build's outputs, if still being written, are stopped: this build writes them again
        (waiting for them made a save soon after another wait seconds)."""
        self.settle(stop=True)
        site_dir = Path(site_dir)
        self._aside = None
        if not self.stored or not site_dir.is_dir():
            return
        aside = self._work / "site"
        shutil.rmtree(aside, ignore_errors=True)
        os.rename(site_dir, aside)
        os.mkdir(site_dir)
        self._aside = aside

    def plan(self, inputs: dict[str, tuple | None], global_state: str, never_keep: set[str]) -> set[str]:
        """The pages whose output from the last build stands for this one (src paths)."""
        self.global_state = global_state
        self.keys = {src: None if value is None else (global_state, value) for src, value in inputs.items()}
        reusable = self._aside is not None
        self.kept = {src: self.stored[src] for src, key in self.keys.items()
                     if reusable and key is not None and src not in never_keep
                     and src in self.stored and self.stored[src][0] == key}
        self.written = {}
        return set(self.kept)

    def page_shells(self, shells) -> None:
        """This build's kb.page_shell.PageShells: given the last build's shells if everything global
        is as it was then (cutting and checking them again was a tenth of an edit's rebuild)."""
        if self._shells is not None and self._shells[0] is not None and self._shells[0] == self.global_state:
            shells.carry_over(self._shells[1])
        self._shells = (self.global_state, shells)

    def wrote(self, src: str, dest: str) -> None:
        self.written[src] = dest

    def finish(self, site_dir: Path) -> None:
        """After MkDocs wrote this build: merge it into the last build's site (its new files replace
        the old ones, files no longer produced are removed) and put that back in place."""
        site_dir = Path(site_dir)
        new_files = _files_under(site_dir)
        outputs = set(new_files) | {dest for _key, dest in self.kept.values()}
        if self._aside is not None:
            aside = self._aside
            for rel in sorted(self.outputs - outputs):
                (aside / rel).unlink(missing_ok=True)
                _remove_empty_parents(aside, rel)
            for rel in new_files:
                target = aside / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(site_dir / rel, target)
            # only empty folders are left in it (one per page written): removed in the background
            # (removing them took half a second at 1,000 reports after an edit)
            os.rename(site_dir, self._work / f"emptied-{next(_fresh)}")
            os.rename(aside, site_dir)
            self._aside = None
        self.outputs = outputs
        self.stored = dict(self.kept)
        for src, dest in self.written.items():
            if self.keys.get(src) is not None:
                self.stored[src] = (self.keys[src], dest)

    def failed(self) -> None:
        """A build failed halfway: forget every output, the next build is a whole one."""
        self.stored, self.outputs, self._aside, self._shells = {}, set(), None, None
        self.folders_written.clear()
        shutil.rmtree(self._work / "site", ignore_errors=True)

    # ------------------------------------------------------------ after the build

    def in_background(self, work) -> None:
        """Run work (writing catalog.json and the search index) after the build has returned, so that
        the browser reloads the edited page at once; the next build stops it (set_aside), shutdown
        waits for it."""
        self.settle()
        stop = self._stop = threading.Event()

        def then_tidy():
            stopped = False
            try:
                with stoppable(stop):
                    work()
            except OutputsStopped:
                stopped = True  # the next build writes them all again, and tidies
            finally:
                if not stopped:
                    for emptied in self._work.glob("emptied-*"):
                        shutil.rmtree(emptied, ignore_errors=True)

        self._background = threading.Thread(target=then_tidy, name="kb-preview-outputs", daemon=True)
        self._background.start()

    def settle(self, stop: bool = False) -> None:
        """Wait for the outputs being written in the background; with stop, stop them first."""
        if self._background is not None:
            if stop:
                self._stop.set()
            self._background.join()
            self._background = None

    def report_states(self, reports) -> dict[str, str]:
        """Report id -> a digest of its folder's files as read for this build."""
        states = {}
        for report in reports:
            cached = self.report_cache.get(report.id)
            states[report.id] = _digest(cached[0]) if cached and cached[1] is report else f"fresh-{next(_fresh)}"
        return states

    def close(self) -> None:
        self.settle()
        keep_for_rebuilds(False)
        shutil.rmtree(self._work, ignore_errors=True)


def _files_under(folder: Path) -> list[str]:
    found = []
    for parent, _dirs, names in os.walk(folder):
        rel = os.path.relpath(parent, folder)
        found.extend(name if rel == "." else f"{rel}/{name}" for name in names)
    return sorted(found)


def _remove_empty_parents(top: Path, rel: str) -> None:
    parent = (top / rel).parent
    while parent != top:
        try:
            parent.rmdir()
        except OSError:  # not empty
            return
        parent = parent.parent
