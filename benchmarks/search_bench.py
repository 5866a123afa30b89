"""Search benchmark: the static bigram index on a synthetic corpus (benchmarks/corpus.py), built by
the real `mkdocs build`, served by a plain static server (no gzip) and queried in real Chromium.

    python -m benchmarks.search_bench --sizes 1000 [--workdir DIR]

How each figure is measured (printed with the results too):
- build time: wall time of `python -m mkdocs build --strict` of the corpus (child process);
- indexing time: kb.search.write_search_index(catalog, site) re-run in this process on the built
  site's catalog.json (best of 3; the same call the build makes in on_post_build); its share of the
  build = indexing time / build time;
- index on disk: every file under site/search/ (bytes as stored, no compression), shard sizes;
- bytes per query: Playwright response events in a fresh browser context (cold cache): the body
  length of every response while the query runs (a plain server sends bodies uncompressed); the
  "search total" adds assets/search.js, assets/search.css and search/meta.json (loaded with the
  page; meta.json when the browser is idle) to the query's own fetches; the page itself (HTML, Material's CSS/JS) is shown separately;
- time: performance.now() in the page around what the header box runs (kbSearch.Session: first 6
  verified results = first results shown, then the page completed to 10); the
  first query of a fresh context (cold: meta, shards and documents all fetched) and then the other
  queries in the same context (later queries: only their own new shards and documents); plus the
  header box end to end for the cold query (keypress to first rendered result, 120 ms input
  debounce included). Times are medians of 3 runs, each in a fresh browser context.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kb.search import write_search_index  # noqa: E402

from .corpus import make_corpus  # noqa: E402

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIRST_QUERY = "从严治党"
LATER_QUERIES = ["两个维护", "形式主义", "主义", "20次", "群众 利益", '"四风"', "理想信念", "走马观花", "不存在的词语组合",
                 "习近平新时代中国特色社会主义思想"]
RUNS = 3
# What the header box does: the first 6 results (one wave of parallel requests) are shown as soon as
# they are verified ("first results"), then the page is completed to 10.
TIMED = """async ([q, f]) => {
  const t = performance.now();
  const s = new kbSearch.Session(q, f);
  await s.next(6);
  const first = performance.now() - t;
  await s.next(4);
  return {ms: first, ms10: performance.now() - t, n: s.results.length, candidates: s.total};
}"""
GOAL_FIRST_BYTES = 300 * 1024
GOAL_FIRST_MS = 300
GOAL_LATER_MS = 100
GOAL_INDEX_SHARE = 0.20


def serve(site: Path):
    """`python -m http.server` in its own process (as a host would serve it: no gzip, no caching rules)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}/"


def build(project: Path, site: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-q", "-f",
                           str(project / "mkdocs.yml"), "-d", str(site)], cwd=project, env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return elapsed


def index_on_disk(site: Path) -> dict:
    root = site / "search"
    sizes = {p.relative_to(root).as_posix(): p.stat().st_size for p in root.rglob("*") if p.is_file()}
    shards = [v for k, v in sizes.items() if k.startswith("s/")]
    docs = [v for k, v in sizes.items() if k.startswith("d/")]
    return {"files": len(sizes), "bytes": sum(sizes.values()), "shards": len(shards), "shard_bytes": sum(shards),
            "shard_max": max(shards), "shard_mean": sum(shards) / len(shards), "doc_bytes": sum(docs),
            "doc_mean": sum(docs) / len(docs), "other_bytes": sum(sizes.values()) - sum(shards) - sum(docs)}


def browser_figures(url: str, section_path: str) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        # 1. API, cold then warm
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        log: list[tuple[str, int]] = []

        def on_response(response):
            try:
                log.append((response.url, len(response.body())))
            except Exception:  # redirects have no body
                log.append((response.url, 0))

        page.on("response", on_response)
        page.goto(url + section_path, wait_until="load")
        page.wait_for_timeout(300)
        page_load = list(log)
        log.clear()
        out["page_bytes"] = sum(n for _, n in page_load)
        out["asset_bytes"] = sum(n for u, n in page_load if "/assets/search." in u or "/search/" in u)
        queries = []
        for query in [FIRST_QUERY] + LATER_QUERIES:
            before = len(log)
            got = page.evaluate(TIMED, [query, {}])
            page.wait_for_timeout(50)  # let response events for this query arrive
            fetched = log[before:]
            queries.append({"query": query, "ms": got["ms"], "ms10": got["ms10"], "results": got["n"], "candidates": got["candidates"],
                            "requests": len(fetched), "bytes": sum(n for _, n in fetched)})
        before = len(log)
        got = page.evaluate(TIMED, ["", {"part": "problems", "kind": "township"}])
        page.wait_for_timeout(50)
        fetched = log[before:]
        queries.append({"query": "(筛选 part=problems kind=township)", "ms": got["ms"], "ms10": got["ms10"],
                        "results": got["n"], "candidates": got["candidates"], "requests": len(fetched),
                        "bytes": sum(n for _, n in fetched)})
        out["queries"] = queries
        out["catalog_fetched"] = any("catalog.json" in u for u, _ in log + page_load)
        context.close()
        # 2. the header box end to end, cold
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.goto(url + section_path, wait_until="load")
        page.keyboard.press("/")
        start = time.perf_counter()
        page.keyboard.type(FIRST_QUERY, delay=0)
        page.wait_for_selector(".kb-search-item")
        out["ui_first_ms"] = (time.perf_counter() - start) * 1000
        context.close()
        browser.close()
    return out


def bench(n: int, workdir: Path, reuse: bool = False) -> dict:
    project = workdir / f"corpus-{n}"
    site = workdir / f"site-{n}"
    timing = workdir / f"site-{n}.build-seconds"
    if reuse and timing.exists() and (site / "catalog.json").exists():
        # only the browser half changed: refresh the search assets as a rebuild would, keep the build time
        print(f"[{n} reports] reusing {site} (built in {timing.read_text().strip()} s)", flush=True)
        for name in ("search.js", "search.css"):
            shutil.copy(REPO / "kb" / "theme" / "assets" / name, site / "assets" / name)
        build_s = float(timing.read_text())
    else:
        print(f"[{n} reports] writing corpus…", flush=True)
        make_corpus(n, project)
        print(f"[{n} reports] mkdocs build…", flush=True)
        build_s = build(project, site)
        timing.write_text(f"{build_s:.1f}")
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    sections = sum(len(r["sections"]) for r in catalog["reports"])
    times = []
    for _ in range(3):
        start = time.perf_counter()
        stats = write_search_index(catalog, site)
        times.append(time.perf_counter() - start)
    disk = index_on_disk(site)
    section_path = catalog["reports"][-1]["sections"][1]["url"]
    server, url = serve(site)
    try:
        runs = [browser_figures(url, section_path) for _ in range(RUNS)]
        browser = runs[0]
        # the machine is shared: each time is the median of RUNS fresh browser contexts
        for i, query in enumerate(browser["queries"]):
            query["ms"] = statistics.median(r["queries"][i]["ms"] for r in runs)
            query["ms10"] = statistics.median(r["queries"][i]["ms10"] for r in runs)
        browser["ui_first_ms"] = statistics.median(r["ui_first_ms"] for r in runs)
    finally:
        server.terminate()
        server.wait()
    return {"reports": len(catalog["reports"]), "sections": sections, "build_s": build_s, "index_s": min(times),
            "stats": stats, "disk": disk, "browser": browser}


def report(r: dict) -> None:
    kb = 1024
    d, b, q = r["disk"], r["browser"], r["browser"]["queries"]
    first = q[0]
    later = q[1:]
    search_total = first["bytes"] + b["asset_bytes"]
    print(f"\n== search: {r['reports']} reports, {r['sections']} sections ==")
    print(f"build (mkdocs build --strict, wall): {r['build_s']:.1f} s; write_search_index: {r['index_s']:.2f} s "
          f"= {r['index_s'] / r['build_s']:.1%} of the build (goal ≤ {GOAL_INDEX_SHARE:.0%})")
    print(f"index on disk: {d['bytes'] / kb / kb:.1f} MB in {d['files']} files; {d['shards']} shards "
          f"{d['shard_bytes'] / kb / kb:.1f} MB (mean {d['shard_mean'] / kb:.1f} KB, max {d['shard_max'] / kb:.1f} KB); "
          f"section files {d['doc_bytes'] / kb / kb:.1f} MB (mean {d['doc_mean'] / kb:.2f} KB); other {d['other_bytes'] / kb:.0f} KB; "
          f"{r['stats']['keys']} keys")
    print(f"page load ({'section page'}): {b['page_bytes'] / kb:.0f} KB in all, of which search.js + search.css + meta.json "
          f"{b['asset_bytes'] / kb:.1f} KB")
    print(f"first query {first['query']!r} cold: first results {first['ms']:.0f} ms (goal ≤ {GOAL_FIRST_MS}), "
          f"10 results {first['ms10']:.0f} ms, {first['requests']} requests, "
          f"{first['bytes'] / kb:.1f} KB; search total with scripts {search_total / kb:.1f} KB (goal ≤ {GOAL_FIRST_BYTES // kb}); "
          f"header box keypress→first result {b['ui_first_ms']:.0f} ms (120 ms debounce included)")
    print("later queries (same page: ms to first results / ms to 10 / requests / KB / results / candidates):")
    for x in q[1:]:
        print(f"  {x['query']:<36} {x['ms']:6.0f} ms {x['ms10']:6.0f} ms {x['requests']:4d} req {x['bytes'] / kb:7.1f} KB "
              f"{x['results']:3d} shown {x['candidates']:6d} cand")
    worst = max(x["ms"] for x in later)
    print(f"later queries, time to first results: max {worst:.0f} ms, mean {sum(x['ms'] for x in later) / len(later):.0f} ms (goal ≤ {GOAL_LATER_MS}); "
          f"catalog.json fetched: {b['catalog_fetched']}")
    ok = (search_total <= GOAL_FIRST_BYTES and first["ms"] <= GOAL_FIRST_MS and worst <= GOAL_LATER_MS
          and r["index_s"] / r["build_s"] <= GOAL_INDEX_SHARE and not b["catalog_fetched"])
    print("goals met" if ok else "GOALS NOT MET")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--workdir", help="keep corpora and sites here (default: temporary, removed)")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--reuse", action="store_true", help="with --workdir: reuse a site built by an earlier run")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="kb-search-bench-") as tmp:
        workdir = Path(args.workdir) if args.workdir else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            result = bench(n, workdir, args.reuse)
            report(result)
            results.append(result)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
