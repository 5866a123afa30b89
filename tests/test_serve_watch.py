"""The real `mkdocs serve` notices a save, whichever way it watches (kb/serve_watch.py): through inotify
where docs/ is on a local file system, through MkDocs' own polling with KB_WATCH=poll, and reading
files during a build starts no further rebuild. Seen over HTTP, as the serve benchmark sees it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from benchmarks.serve_bench import Served
from kb.serve_watch import LOCAL_FILE_SYSTEMS, file_system_type

SECTION = "docs/reports/2021-xx-county-gov-office/11-problems-1.md"


def _inotify_descriptors(pid: int) -> int:
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            count += os.readlink(f"/proc/{pid}/fd/{fd}") == "anon_inode:inotify"
        except OSError:  # closed meanwhile
            pass
    return count


@pytest.mark.parametrize("watch", ["inotify", "poll"])
def test_a_save_is_served_and_nothing_else_starts_a_rebuild(project_copy, tmp_path, monkeypatch, watch):
    if watch == "poll":
        monkeypatch.setenv("KB_WATCH", "poll")
    else:
        monkeypatch.delenv("KB_WATCH", raising=False)
        # the rule kb/serve_watch.py applies: inotify only on a local file system (the test's temporary folder is one)
        assert file_system_type(str(project_copy / "docs")) in LOCAL_FILE_SYSTEMS
    served = Served(project_copy, tmp_path / "serve.log")
    try:
        served.wait_ready(600)
        assert (_inotify_descriptors(served.process.pid) > 0) == (watch == "inotify")
        section = project_copy / SECTION
        text = section.read_text(encoding="utf-8")
        at = text.index("\n{: #")
        marker = f"监视测试标记{watch}{time.time_ns()}。"
        epoch = served.epoch()
        section.write_text(text[:at] + marker + text[at:], encoding="utf-8")
        rebuilt, _, _ = served.next_build(epoch, 600)
        rel = Path(SECTION).relative_to("docs")
        assert served.shows(f"{rel.parent.as_posix()}/{rel.stem}/", marker)
        time.sleep(5)  # a rebuild set off by the build's own reading would have started by now
        assert served.epoch() == rebuilt, Path(served.log_path).read_text(encoding="utf-8")[-2000:]
    finally:
        served.stop()


MOUNTINFO = """\
22 1 253:0 / / rw,relatime - ext4 /dev/vda rw
40 22 0:35 / /home/me/share rw,relatime - fuse.grpcfuse grpcfuse rw
41 22 0:36 / /mnt/team\\040docs rw,relatime - nfs4 server:/docs rw
42 22 0:37 / /tmp rw - tmpfs tmpfs rw
"""


@pytest.mark.parametrize("path, kind", [
    ("/work/kb/docs", "ext4"),  # only the root mount holds it
    ("/home/me/share/kb/docs", "fuse.grpcfuse"),  # a Docker Desktop shared folder: polling stays
    ("/home/me/shared", "ext4"),  # a prefix of the name is not a mount point above it
    ("/mnt/team docs/kb", "nfs4"),  # spaces are written \\040 in mountinfo
    ("/tmp/x", "tmpfs"),
])
def test_the_file_system_of_a_folder_is_its_innermost_mount(path, kind):
    assert file_system_type(path, MOUNTINFO) == kind
    assert (kind in LOCAL_FILE_SYSTEMS) == (kind in ("ext4", "tmpfs"))
