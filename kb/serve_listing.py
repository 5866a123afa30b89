"""Under `mkdocs serve`: MkDocs' listing of the site's files without deriving every file's paths anew.

Every rebuild, MkDocs (mkdocs.structure.files.get_files) walks docs/ and makes a File for each file
(17,000 at 1,000 reports), deriving its source and destination paths from its name with pathlib:
0.3 s of the 2.5 s an edit's rebuild took. What a File holds when made depends only on its name and
the folders (docs/, site/, use_directory_urls), so the serve process keeps it (FileListing): a file
listed by the last build is made again as a copy of that File as it was made, before MkDocs or the
hooks touched it. MkDocs' own get_files still walks docs/, orders the files, settles README/index
conflicts and applies exclude_docs: the listing is MkDocs', only its File constructor is faster.
And while no folder under docs/ has changed (saving a file in place changes none; adding, removing or
renaming one changes its folder's modification time) and mkdocs.yml is the same, the whole listing
is MkDocs' last one again: its Files as get_files returned them, copied.

Then MkDocs adds the theme's static files (Files.add_files_from_theme): it lists the theme
folders' 14,500 files (Material's icons) and matches each against a dozen name patterns, for the
same 51 files every time. The Files get_files returns under serve (ListedFiles) keeps that result
while no folder of the theme has changed (a file added, removed or renamed changes its folder's
modification time; their contents are read when copied, as before), and still lets a docs/ file
of the same name win.

tests/test_preview.py compares what this lists with MkDocs' own listing, and every rebuild with a
cold build. `mkdocs build` never uses any of it."""

from __future__ import annotations

import os

import mkdocs.commands.build as mkdocs_build
import mkdocs.structure.files as mkdocs_files

_File = mkdocs_files.File
_get_files = mkdocs_files.get_files
_Files = mkdocs_files.Files


class FileListing:
    def __init__(self):
        self._last: dict[tuple, dict] = {}  # (name, docs dir, site dir, use_directory_urls) -> a made File's attributes
        self._now: dict[tuple, dict] = {}
        self._theme: tuple | None = None  # (what the theme's files depend on, its folders' times, the files)
        self._docs: tuple | None = None  # (what docs/'s listing depends on, its folders' times, its files' attributes)

    def file(self, path: str, src_dir: str | None, dest_dir: str, use_directory_urls: bool, **options) -> _File:
        """What File(...) gives, for get_files: a copy of the last listing's File of that name if any."""
        if options:  # get_files passes none; anything else is made as MkDocs makes it
            return _File(path, src_dir, dest_dir, use_directory_urls, **options)
        key = (path, src_dir, dest_dir, use_directory_urls)
        made = self._last.get(key)
        if made is None:
            file = _File(path, src_dir, dest_dir, use_directory_urls)
            file.dest_uri  # get_files asks for it next: derived now, kept with the rest
            made = dict(file.__dict__)
        self._now[key] = made
        return _remade(made)

    def get_files(self, config) -> mkdocs_files.Files:
        """MkDocs' get_files: its last result again while docs/'s folders and mkdocs.yml are unchanged,
        else its own listing with File made by self.file (the module's name File, which get_files
        calls, is lent for the call: serve builds one site at a time, on one thread)."""
        key = (config.docs_dir, config.site_dir, config.use_directory_urls, _file_state(config.config_file_path))
        if self._docs is not None and self._docs[0] == key and _unchanged(self._docs[1]):
            return ListedFiles(map(_remade, self._docs[2]), self)
        folders = _folder_times([config.docs_dir])
        mkdocs_files.File = self.file
        try:
            files = _get_files(config)
        finally:
            mkdocs_files.File = _File
            self._last, self._now = self._now, {}  # only files still listed are kept
        listed = [dict(file.__dict__) for file in files]  # as get_files made them (exclude_docs applied)
        self._docs = (key, folders, listed) if folders is not None and _unchanged(folders) else None
        return ListedFiles(files, self)

    def theme_files(self, env, config) -> list[tuple[str, str]]:
        """(name, theme folder) of each static file MkDocs takes from the theme, as it finds them."""
        key = (tuple(config.theme.dirs), tuple(config.theme.static_templates), config.site_dir,
               config.use_directory_urls)
        if self._theme is not None and self._theme[0] == key and _unchanged(self._theme[1]):
            return self._theme[2]
        folders = _folder_times(config.theme.dirs)
        found = _Files([])
        _Files.add_files_from_theme(found, env, config)  # MkDocs' own choice, into an empty listing
        listed = [(file.src_uri, file.src_dir) for file in found]
        self._theme = (key, folders, listed) if folders is not None and _unchanged(folders) else None
        return listed

    def install(self) -> None:
        mkdocs_build.get_files = self.get_files

    @staticmethod
    def uninstall() -> None:
        mkdocs_build.get_files = _get_files


class ListedFiles(_Files):
    """MkDocs' Files, adding the theme's files from the serve process's FileListing."""

    def __init__(self, files: _Files, listing: FileListing):
        super().__init__(files)
        self.listing = listing

    def add_files_from_theme(self, env, config) -> None:
        for name, folder in self.listing.theme_files(env, config):
            if self.get_file_from_path(name) is None:  # theme files do not override docs/ files
                self.append(self.listing.file(name, folder, config.site_dir, config.use_directory_urls))


def _remade(attributes: dict) -> _File:
    """A File as it was when made (or listed): a new object, its attributes copied."""
    file = _File.__new__(_File)
    file.__dict__.update(attributes)
    return file


def _file_state(path: str) -> tuple:
    st = os.stat(path)
    return (path, st.st_ino, st.st_size, st.st_mtime_ns)


def _folder_times(tops: list[str]) -> dict[str, int] | None:
    """Every folder under the given ones -> its modification time (ns); None where a folder holds a
    link to a folder (MkDocs follows it: a change inside would not show in these times)."""
    times = {}
    for top in tops:
        for folder, dirs, _names in os.walk(top):
            if any(os.path.islink(os.path.join(folder, name)) for name in dirs):
                return None
            times[folder] = os.stat(folder).st_mtime_ns
    return times


def _unchanged(times: dict[str, int]) -> bool:
    for folder, mtime in times.items():
        try:
            if os.stat(folder).st_mtime_ns != mtime:
                return False
        except OSError:
            return False
    return True
