"""Save-to-visible under `mkdocs serve`: how long after a section file is saved the served pages show
the change, on a synthetic corpus (benchmarks.corpus).

    python -m benchmarks.serve_bench --sizes 1000 [--edits 5] [--workdir DIR]

For each size: start the real `mkdocs serve` (the command `./tasks serve` runs, on a free loopback
port: livereload, no --dirty) in its own process group, and then, all of it seen over HTTP as a
browser sees it:
- cold: the first build. MkDocs builds before it binds its port, and starts its file watcher (which
  takes its first snapshot of docs/ synchronously) before it answers a request, so the first answer
  means "built and watching". Saving earlier than that is not seen at all: the old benchmark waited
  for the "Documentation built in" log line, which MkDocs prints before its watcher starts, saved at
  once, and waited forever for a rebuild that never came.
- idle: the serve process's CPU while nothing changes (mostly the file watcher: MkDocs 1.6's
  PollingObserver lists and stats every file under docs/ twice a second, unless kb/serve_watch.py
  moved the watches to inotify).
- touch: one section file rewritten with the same bytes (a rebuild in which nothing changed).
- edit: a unique marker sentence inserted into an item of a different report's section, N times; the
  section page and its report page are fetched every 20 ms until both show it (save -> visible).
Each rebuild is timed from the livereload protocol: every served page carries the epoch of its build
(`livereload(epoch, …)`, milliseconds of the server's CLOCK_MONOTONIC when the build started) and
`/livereload/<epoch>/<id>` answers when a newer build is visible, as it does for the browser. So the
build takes answer time - new epoch, and MkDocs noticed the save new epoch - save time (the same clock:
time.monotonic is system-wide on Linux). CPU seconds come from /proc/<pid>/stat; a rebuild's CPU is
counted from the save until the process is back to its idle rate (catalog.json and the search index
are written in the background after each build), less the idle rate over that time."""

from __future__ import annotations

import argparse
import os
import re
import signal
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

EPOCH = re.compile(rb"livereload\(([0-9]+),")
LOGGED_BUILD = re.compile(r"Documentation built in ([0-9.]+) seconds")
CLOCK = os.sysconf("SC_CLK_TCK")
IDLE_WINDOW = 30.0  # seconds of idle CPU measured after the first build


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK  # utime + stime


def load() -> str:
    return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


class Served:
    """A running `mkdocs serve`, watched over HTTP."""

    def __init__(self, project: Path, log: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.log_path = log
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
        self.started = time.monotonic()
        with log.open("wb") as out:  # the child writes its log straight to the file: no pipe to drain
            self.process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
                                            cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)

    def _check_alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited with {self.process.returncode}; see {self.log_path}")

    def get(self, url: str, timeout: float = 120) -> bytes | None:
        try:
            with urllib.request.urlopen(self.base + url, timeout=timeout) as response:
                return response.read()
        except OSError:
            return None

    def wait_ready(self, timeout: float) -> float:
        """Seconds from start until the first page is served (first build done, watcher started)."""
        while time.monotonic() - self.started < timeout:
            self._check_alive()
            if self.get("", timeout=5) is not None:
                return time.monotonic() - self.started
            time.sleep(0.2)
        raise RuntimeError(f"mkdocs serve served nothing within {timeout:.0f} s; see {self.log_path}")

    def epoch(self) -> int:
        page = self.get("")
        match = EPOCH.search(page or b"")
        if not match:
            raise RuntimeError("the served home page carries no livereload epoch")
        return int(match.group(1))

    def next_build(self, epoch: int, timeout: float) -> tuple[int, float, float]:
        """Wait, as the livereload script in a page does, until a build newer than `epoch` is visible:
        its epoch, the time (time.monotonic) it became visible and the process's CPU seconds then."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            answer = self.get(f"livereload/{epoch}/0", timeout=90)  # MkDocs answers after 60 s at the latest
            if answer is not None and int(answer) > epoch:
                return int(answer), time.monotonic(), self.cpu()
            if answer is None:
                time.sleep(0.5)
        raise RuntimeError(f"no rebuild within {timeout:.0f} s; see {self.log_path}")

    def shows(self, url: str, marker: str) -> bool:
        page = self.get(url)
        return page is not None and marker.encode("utf-8") in page

    def cpu(self) -> float:
        return _cpu_seconds(self.process.pid)

    def cpu_above(self, cpu: float, since: float, idle_rate: float) -> float:
        """CPU seconds used since (cpu, time.monotonic() since) beyond the idle rate."""
        return self.cpu() - cpu - idle_rate * (time.monotonic() - since)

    def cpu_rate(self, seconds: float) -> float:
        before = self.cpu()
        time.sleep(seconds)
        return (self.cpu() - before) / seconds

    def settle(self, timeout: float = 600) -> float:
        """Wait until the CPU rate stops falling (the background writes of catalog.json and the search
        index finished; what is left is the idle rate, which is not zero: the file watcher); return the
        time waited. Judged by the trend, not against a fixed idle rate, because that rate drifts."""
        start = time.monotonic()
        rates = [self.cpu_rate(2.0)]
        while time.monotonic() - start < timeout:
            rates.append(self.cpu_rate(2.0))
            if rates[-1] < 0.5 and abs(rates[-1] - rates[-2]) <= 0.05 + 0.1 * rates[-2]:
                break
        return time.monotonic() - start

    def logged_builds(self) -> list[float]:
        """The build times MkDocs logged (for comparison only: nothing waits on the log)."""
        return [float(t) for t in LOGGED_BUILD.findall(self.log_path.read_text(encoding="utf-8", errors="replace"))]

    def stop(self) -> None:
        """End the whole process group the server runs in: first as Ctrl-C does (MkDocs then removes
        its temporary site folder, 770 MB at 1,000 reports, which SIGTERM left behind), then harder."""
        for sig, wait in ((signal.SIGINT, 60), (signal.SIGTERM, 30), (signal.SIGKILL, None)):
            if self.process.poll() is not None:
                return
            try:
                os.killpg(self.process.pid, sig)
                self.process.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            except ProcessLookupError:
                return


def _sections(project: Path) -> list[Path]:
    return sorted(project.glob("docs/reports/*/1[1-5]-*.md"))


def _section_urls(project: Path, section: Path) -> tuple[str, str]:
    rel = section.relative_to(project / "docs")
    return f"{rel.parent.as_posix()}/{rel.stem}/", f"{rel.parent.as_posix()}/"


def bench_serve(n_reports: int, workdir: Path, edits: int = 5, seed: int = 0, cold_timeout: float = 3600) -> dict:
    project = workdir / f"serve-corpus-{n_reports}"
    if not (project / "mkdocs.yml").exists():
        corpus.make_corpus(n_reports, project, seed)
    served = Served(project, workdir / f"serve-{n_reports}.log")
    result: dict = {"reports": n_reports, "load_start": load()}
    try:
        result["cold_s"] = served.wait_ready(cold_timeout)
        result["cold_cpu_s"] = served.cpu()
        result["load_cold"] = load()
        served.settle()
        idle = served.cpu_rate(IDLE_WINDOW)
        result["idle_cpu_per_s"] = idle

        sections = _sections(project)
        touched = sections[len(sections) // 3]
        epoch, cpu = served.epoch(), served.cpu()
        saved = time.monotonic()
        touched.write_bytes(touched.read_bytes())
        new_epoch, visible_at, build_cpu = served.next_build(epoch, 1800)
        result["touch_noticed_s"] = new_epoch / 1000 - saved
        result["touch_build_s"] = visible_at - new_epoch / 1000
        result["touch_build_cpu_s"] = build_cpu - cpu - idle * (visible_at - saved)
        served.settle()
        result["touch_cpu_s"] = served.cpu_above(cpu, saved, idle)

        result["edits"] = []
        for number in range(edits):
            section = sections[(number * 7919 + len(sections) // 2) % len(sections)]
            marker = f"预览计时标记{number}{time.time_ns()}。"
            text = section.read_text(encoding="utf-8")
            at = text.index("\n{: #")  # before the first item marker line: the sentence joins the item's paragraph
            section_url, report_url = _section_urls(project, section)
            epoch, cpu = served.epoch(), served.cpu()
            build: list[tuple[int, float]] = []
            waiter = threading.Thread(target=lambda: build.append(served.next_build(epoch, 1800)), daemon=True)
            waiter.start()
            saved = time.monotonic()
            section.write_text(text[:at] + marker + text[at:], encoding="utf-8")
            while not (served.shows(section_url, marker) and served.shows(report_url, marker)):
                if time.monotonic() - saved > 1800:
                    raise RuntimeError(f"edit never became visible; see {served.log_path}")
                time.sleep(0.02)
            visible = time.monotonic() - saved
            waiter.join()
            if not build:
                raise RuntimeError(f"the rebuild was never announced over livereload; see {served.log_path}")
            new_epoch, visible_at, build_cpu = build[0]
            served.settle()
            result["edits"].append({"visible_s": visible, "noticed_s": new_epoch / 1000 - saved,
                                    "build_s": visible_at - new_epoch / 1000,
                                    "build_cpu_s": build_cpu - cpu - idle * (visible_at - saved),
                                    "cpu_s": served.cpu_above(cpu, saved, idle)})
        result["load_end"] = load()
        result["logged_builds_s"] = served.logged_builds()
        return result
    finally:
        served.stop()


def report(result: dict) -> str:
    edits = result["edits"]
    visible = [e["visible_s"] for e in edits]
    cold = result["cold_s"]

    def series(key: str) -> str:
        return ", ".join(f"{e[key]:.2f}" for e in edits)

    return "\n".join([
        f"== mkdocs serve, {result['reports']:,} reports ==",
        f"cold: start -> first page served:             {cold:8.2f} s   CPU {result['cold_cpu_s']:.1f} s  ({result['load_cold']})",
        f"idle CPU (file watcher), {IDLE_WINDOW:.0f} s:             {result['idle_cpu_per_s'] * IDLE_WINDOW:8.2f} s   "
        f"({result['idle_cpu_per_s']:.1%} of a core)",
        f"save with no change: noticed after            {result['touch_noticed_s']:8.2f} s",
        f"                     rebuild                  {result['touch_build_s']:8.2f} s   "
        f"({result['touch_build_s'] / cold:.1%} of cold; goal <= 20%)",
        f"                     CPU above idle: build    {result['touch_build_cpu_s']:8.2f} s   "
        f"({result['touch_build_cpu_s'] / result['cold_cpu_s']:.1%} of cold), with catalog/search {result['touch_cpu_s']:.2f} s",
        f"edits: noticed after                          {series('noticed_s')} s",
        f"       rebuild                                {series('build_s')} s",
        f"       CPU above idle: build                  {series('build_cpu_s')} s",
        f"       CPU above idle: with catalog/search    {series('cpu_s')} s",
        f"       save -> section and report page show:  {series('visible_s')} s",
        f"       median {statistics.median(visible):.2f} s, worst {max(visible):.2f} s (goal <= 3 s)",
        f"builds as MkDocs logged them:                 {', '.join(f'{t:.2f}' for t in result['logged_builds_s'])} s",
        f"{result['load_start']} at start, {result['load_end']} at end"])


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # run the finally clauses that end the server's process group


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description="save-to-visible under mkdocs serve")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cold-timeout", type=float, default=3600, help="seconds to wait for the first build")
    parser.add_argument("--workdir", help="keep corpora and logs here (default: a temporary folder, removed)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    results = []
    with tempfile.TemporaryDirectory(prefix="kb-serve-bench-") as temporary:
        workdir = Path(args.workdir or temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            result = bench_serve(size, workdir, args.edits, args.seed, args.cold_timeout)
            print(report(result), flush=True)
            results.append(result)
    return results


if __name__ == "__main__":
    main()
