"""查重 benchmark: what copy detection adds to the build, the size of its browser index, and a
3,000-character draft checked in real Chromium, on a synthetic corpus (benchmarks/corpus.py).

    python -m benchmarks.similar_bench --sizes 1000 [--workdir DIR]

How each figure is measured:
- build: CPU time of the real `python -m mkdocs build --strict` (child process, os.wait4);
- 查重 in the build: in this process, CPU time of what the build does for it: fingerprinting and
  comparing every report (Similarity.entries and .pairs), rendering the ranking pages, and writing
  the fingerprint index; its share of the build = that / build CPU time;
- index: every file under site/fingerprints/ (bytes as stored, uncompressed), number of shards
  (kb/similarity/site_index.py: as many as make a draft's lookups cheapest);
- draft: 3,000 characters of text taken from the corpus' reports (so it does match: a worst case for
  what is fetched), checked in a fresh browser context through what the page's button runs
  (kbSimilar.check); bytes = body lengths of every response while it runs (a plain server, no gzip),
  plus assets/similar.js; time = performance.now() around the check (median of 3 cold runs).

The synthetic corpus recombines the seed reports' sentences, so nearly every passage stands in many
reports: most fingerprints are common (in more than COMMON_REPORTS reports) and left out, every
report has its full quota of candidates, and a draft made of corpus text matches as much as a draft
can. Real corpora share far less: fewer candidates and passages (less work), more fingerprints kept
(a larger index)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kb.knowledge import load_or_raise  # noqa: E402
from kb.pages.similarity import similar_pages  # noqa: E402
from kb.similarity import Similarity, write_fingerprint_index  # noqa: E402

from .corpus import make_corpus  # noqa: E402

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DRAFT_CHARS = 3000
RUNS = 3
TIMED = """async (text) => {
  const t = performance.now();
  const result = await kbSimilar.check(text);
  return {ms: performance.now() - t, reports: result.reports.length,
          passages: result.reports.reduce((n, r) => n + r.passages.length, 0)};
}"""


def build(project: Path, site: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-q", "-d", str(site)],
                               cwd=project, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"build failed in {project}")
    return usage.ru_utime + usage.ru_stime


def in_build_cost(project: Path, site: Path) -> tuple[float, dict]:
    kb = load_or_raise(project)
    start = time.process_time()
    similarity = Similarity(kb)
    similarity.entries
    for builder in similar_pages(kb, similarity).values():
        builder()
    stats = write_fingerprint_index(similarity, site)
    return time.process_time() - start, stats


def draft_of(site: Path) -> str:
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    text = ""
    for report in catalog["reports"][len(catalog["reports"]) // 2:]:
        for section in report["sections"]:
            text += section["text"] + "\n"
            if len(text) >= DRAFT_CHARS:
                return text[:DRAFT_CHARS]
    return text


def browser_check(site: Path, draft: str) -> dict:
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import served
    from playwright.sync_api import sync_playwright

    runs = []
    with served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for _ in range(RUNS):
            context = browser.new_context()
            page = context.new_page()
            page.goto(url + "similar/check/")
            page.wait_for_function("() => window.kbSimilar")
            sizes: list[int] = []
            page.on("response", lambda response: sizes.append(len(response.body())))
            result = page.evaluate(TIMED, draft)
            page.wait_for_timeout(200)
            result["bytes"] = sum(sizes)
            result["files"] = len(sizes)
            runs.append(result)
            context.close()
        browser.close()
    script = (site / "assets" / "similar.js").stat().st_size
    return {"ms": statistics.median(r["ms"] for r in runs), "bytes": runs[0]["bytes"], "files": runs[0]["files"],
            "script_bytes": script, "reports": runs[0]["reports"], "passages": runs[0]["passages"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--workdir")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="kb-similar-bench-"))
    for n in args.sizes:
        project = make_corpus(n, workdir / f"corpus-{n}")
        site = workdir / f"site-{n}"
        build_cpu = build(project, site)
        cost, stats = in_build_cost(project, site)
        index_bytes = sum(p.stat().st_size for p in (site / "fingerprints").rglob("*") if p.is_file())
        check = browser_check(site, draft_of(site))
        print(f"\n== 查重, {n} reports ==")
        print(f"build CPU {build_cpu:.1f} s; 查重 in it {cost:.2f} s CPU = {cost / build_cpu:.1%} of the build")
        print(f"fingerprint index: {index_bytes / 1024:.0f} KB on disk in {stats['files']} files, "
              f"{stats['shards']} shards ({stats['shard_bytes'] / 1024:.0f} KB)")
        print(f"3,000-character draft: {check['bytes'] / 1024:.0f} KB in {check['files']} files "
              f"(+ similar.js {check['script_bytes'] / 1024:.0f} KB), {check['ms']:.0f} ms to results (median of {RUNS}), "
              f"{check['reports']} reports, {check['passages']} passages; load average "
              + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
