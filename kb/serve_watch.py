"""Under `mkdocs serve`: let the kernel report changed files instead of MkDocs polling for them.

MkDocs 1.6 watches with watchdog's PollingObserver, on purpose (mkdocs PR #2477: inotify misses
changes made across non-native Docker and network mounts). Twice a second it lists and stats every
file under docs/ and data/; at 1,000 reports (18,000 files) that is a steady share of a core while
nothing changes (figures in benchmarks/README.md), and up to half a second before a save is noticed.

Where every watched folder is on a local Linux file system, the hooks (on_serve) move MkDocs' folder
watches to watchdog's inotify observer, which costs nothing while idle; single files (mkdocs.yml)
stay with MkDocs' poller (one stat, and an editor that saves by renaming would leave an inotify
watch on the old file). Anywhere else (another OS, NFS, SMB, FUSE and shared-folder mounts), or with
KB_WATCH=poll, MkDocs' polling is left alone. Only changes start a rebuild: inotify also reports
files being opened and read, which every build does."""

from __future__ import annotations

import os
from pathlib import Path

from watchdog.events import FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent

LOCAL_FILE_SYSTEMS = frozenset({"ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "tmpfs", "overlay"})
CHANGES = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent]


def file_system_type(path: str, mountinfo: str | None = None) -> str | None:
    """The type of the file system path is on (Linux /proc/self/mountinfo), or None if unknown."""
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = os.path.realpath(path)
    best, found = -1, None
    for line in mountinfo.splitlines():
        fields, _, rest = line.partition(" - ")
        parts = fields.split()
        if len(parts) < 5 or not rest:
            continue
        mount_point = parts[4].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) > best:
            best, found = len(mount_point), rest.split()[0]
    return found


def _native_observer():
    """watchdog's inotify observer reporting only changes, or None where there is none."""
    try:
        from watchdog.observers.inotify import InotifyObserver
    except (ImportError, OSError):
        return None

    class ChangesObserver(InotifyObserver):
        def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
            return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or CHANGES,
                                    follow_symlink=follow_symlink)

    try:
        return ChangesObserver()
    except OSError:  # no inotify instance left for this user
        return None


def watch_natively(server):
    """Move the folder watches of MkDocs' LiveReloadServer to inotify where that is safe; return the
    started observer (to stop on shutdown), or None when MkDocs' polling stays."""
    if os.environ.get("KB_WATCH", "").lower() == "poll":
        return None
    folders = {path: count for path, count in getattr(server, "_watched_paths", {}).items() if os.path.isdir(path)}
    if not folders or any(file_system_type(path) not in LOCAL_FILE_SYSTEMS for path in folders):
        return None
    native = _native_observer()
    if native is None:
        return None
    polling = server.observer
    for path, count in folders.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = native  # MkDocs' watch() schedules on server.observer: lend it ours meanwhile
    try:
        for path, count in folders.items():
            for _ in range(count):
                server.watch(path)
    finally:
        server.observer = polling  # MkDocs starts and stops this one; it keeps the single files
    native.start()  # takes the watches now, before the server answers: no save goes unnoticed
    return native
