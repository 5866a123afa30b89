"""Save-to-visible under `mkdocs serve`: how long after a section file is saved the served pages show
the change, on a synthetic corpus (benchmarks.corpus).

    python -m benchmarks.serve_bench --sizes 1000 [--edits 5] [--workdir DIR]

For each size: start the real `mkdocs serve` (the command `./tasks serve` runs: livereload, no
--dirty) on a free loopback port and wait for its first build; then
- touch: rewrite one section file with the same bytes (a rebuild in which nothing changed);
- edit: append a unique marker sentence to an item of a different report's section, N times;
and poll the served section page and its report page (plain HTTP GET every 20 ms) until both show
the marker. Printed per size: the first (cold) build and each rebuild as MkDocs logs them
("Documentation built in … seconds"), the serve process's CPU seconds per rebuild (from
/proc/<pid>/stat), and the save-to-visible time of every edit (median and worst)."""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from . import corpus

BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")
CLOCK = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK  # utime + stime


class Served:
    """A running `mkdocs serve` and the build times it logs."""

    def __init__(self, project: Path, log: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
        self.log = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
                                        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, encoding="utf-8")
        self.builds: list[float] = []
        self._built = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.log.write(line)
            match = BUILT.search(line)
            if match:
                with self._built:
                    self.builds.append(float(match.group(1)))
                    self._built.notify_all()

    def wait_builds(self, count: int, timeout: float = 3600) -> None:
        with self._built:
            if not self._built.wait_for(lambda: len(self.builds) >= count, timeout):
                raise RuntimeError(f"mkdocs serve did not finish build {count}; see {self.log.name}")

    def shows(self, url: str, marker: str) -> bool:
        try:
            with urllib.request.urlopen(self.base + url, timeout=10) as response:
                return marker in response.read().decode("utf-8", "replace")
        except OSError:
            return False

    def cpu(self) -> float:
        return _cpu_seconds(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def _sections(project: Path) -> list[Path]:
    return sorted(project.glob("docs/reports/*/1[1-5]-*.md"))


def bench_serve(n_reports: int, workdir: Path, edits: int = 5, seed: int = 0) -> dict:
    project = workdir / f"serve-corpus-{n_reports}"
    if not (project / "mkdocs.yml").exists():
        corpus.make_corpus(n_reports, project, seed)
    served = Served(project, workdir / f"serve-{n_reports}.log")
    try:
        served.wait_builds(1)
        sections = _sections(project)
        touched = sections[len(sections) // 3]
        cpu = served.cpu()
        touched.write_bytes(touched.read_bytes())
        served.wait_builds(2)
        touch_cpu = served.cpu() - cpu
        visible, rebuild_cpu = [], []
        for number in range(edits):
            section = sections[(number * 7919 + len(sections) // 2) % len(sections)]
            marker = f"预览计时标记{number}{time.time_ns()}。"
            text = section.read_text(encoding="utf-8")
            # before the first item marker line: the sentence joins the item's paragraph
            at = text.index("\n{: #")
            rel = section.relative_to(project / "docs")
            section_url = f"{rel.parent.as_posix()}/{rel.stem}/"
            report_url = f"{rel.parent.as_posix()}/"
            builds, cpu = len(served.builds), served.cpu()
            saved = time.perf_counter()
            section.write_text(text[:at] + marker + text[at:], encoding="utf-8")
            while not (served.shows(section_url, marker) and served.shows(report_url, marker)):
                if time.perf_counter() - saved > 1800:
                    raise RuntimeError("edit never became visible")
                time.sleep(0.02)
            visible.append(time.perf_counter() - saved)
            served.wait_builds(builds + 1)
            time.sleep(1.0)  # let the catalog and search index finish before the next save
            rebuild_cpu.append(served.cpu() - cpu)
        return {"reports": n_reports, "cold_build_s": served.builds[0], "touch_rebuild_s": served.builds[1],
                "touch_rebuild_cpu_s": touch_cpu, "edit_rebuild_s": served.builds[2:], "edit_cpu_s": rebuild_cpu,
                "visible_s": visible}
    finally:
        served.stop()


def report(result: dict) -> str:
    visible = result["visible_s"]
    cold, touch = result["cold_build_s"], result["touch_rebuild_s"]
    lines = [f"== mkdocs serve, {result['reports']:,} reports ==",
             f"first (cold) build, as MkDocs logs it:      {cold:8.2f} s",
             f"rebuild after a save with no change:        {touch:8.2f} s  ({touch / cold:.1%} of cold; "
             f"goal <= 20%)  CPU {result['touch_rebuild_cpu_s']:.2f} s",
             "rebuilds after an edit:                     " + ", ".join(f"{t:.2f}" for t in result["edit_rebuild_s"]) + " s",
             "serve CPU per edit (build + catalog/search):" + ", ".join(f"{t:.2f}" for t in result["edit_cpu_s"]) + " s",
             f"save -> section and report page show it:   median {statistics.median(visible):.2f} s, "
             f"worst {max(visible):.2f} s (goal <= 3 s)"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description="save-to-visible under mkdocs serve")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", help="keep corpora and logs here (default: a temporary folder, removed)")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="kb-serve-bench-") as temporary:
        workdir = Path(args.workdir or temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            result = bench_serve(size, workdir, args.edits, args.seed)
            print(report(result), flush=True)
            results.append(result)
    return results


if __name__ == "__main__":
    main()
