"""A pull request that adds a report passes CI untouched: on a copy of this checkout with nothing
beside it, a contributor imports a new report of a new unit with `kb import`, resolves the review
notes, runs `kb check`, and the whole test suite (the README's test command runs exactly this
pytest) passes without a single test edited."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from test_importer_support import import_new_unit_report

THIS_TEST = "tests/test_contribution.py::test_a_report_added_with_kb_import_passes_the_whole_suite"


def checkout_copy(target: Path) -> Path:
    """The files git would check out (tracked, plus new files not ignored): what CI clones."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():  # a file deleted in the working tree but not yet in git is gone for CI too
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_a_report_added_with_kb_import_passes_the_whole_suite(tmp_path):
    clone = checkout_copy(tmp_path / "clone")
    assert not (clone / ".." / "shared").exists()  # nothing beside the copy to lean on
    folder = import_new_unit_report(clone)
    assert (clone / "sources" / f"{folder.name}.txt").is_file()

    env = dict(os.environ, PYTHONPATH=str(clone), NO_MKDOCS_2_WARNING="1")
    suite = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x",
                            "--deselect", THIS_TEST], cwd=clone, capture_output=True, text=True, env=env)
    tail = "\n".join(suite.stdout.splitlines()[-30:])
    assert suite.returncode == 0, tail
    assert " passed" in tail and " failed" not in tail and " error" not in tail, tail
