"""The documented commands are quiet and helpful: a plain `mkdocs build` (what CONTRIBUTING tells
contributors to run, without the environment ./tasks sets) prints only what needs attention, and
`./tasks serve` takes a port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

MKDOCS = Path(sys.executable).parent / "mkdocs"


def test_plain_mkdocs_build_prints_only_what_needs_attention(fixture_project, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_MKDOCS_2_WARNING", "KB_SITE_URL")}
    result = subprocess.run([str(MKDOCS), "build", "--strict", "-d", str(tmp_path / "site")], cwd=fixture_project,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "end of life" not in output and "Zensical" not in output  # Material's banner
    assert "not included in the \"nav\"" not in output  # section pages are meant to be outside the nav
    lines = [line for line in output.splitlines() if line.strip()]
    assert [line.split("-  ", 1)[1].split(":")[0].split(" in ")[0] for line in lines] == [
        "Cleaning site directory", "Building documentation to directory", "Documentation built"], output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_tasks_serve_takes_a_port(how):
    port = _free_port()
    # the environment this test runs in (a fresh checkout copy has no .venv of its own to set up)
    args, env = [str(ROOT / "tasks"), "serve"], dict(os.environ, KB_VENV=str(Path(sys.executable).parent.parent))
    if how == "argument":
        args.append(str(port))
    else:
        env["PORT"] = str(port)
    server = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200 and "对照检查材料知识库" in response.read().decode("utf-8")
                    break
            except OSError:
                assert server.poll() is None, "./tasks serve exited"
                assert time.monotonic() < deadline, f"nothing served on port {port}"
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_tasks_serve_refuses_a_bad_port():
    result = subprocess.run([str(ROOT / "tasks"), "serve", "eighty"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and "1–65535" in result.stderr
