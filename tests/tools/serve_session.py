"""Build a project the way `mkdocs serve` does, rebuilding on request, without the HTTP server.

    python serve_session.py PROJECT SITE_DIR [--dirty]

Like mkdocs.commands.serve: one process; the config is loaded anew for every build; plugins get
on_startup(command="serve") once and on_shutdown at the end; every build is
build(config, serve_url=…) into the same site directory. After each build it waits for the work the
hooks do after a build returns (kb/preview.py: catalog.json and the search index), prints
"built <seconds the build took>" (or "failed <error>"), then reads a line on stdin: "rebuild" or
"quit"."""

import sys
import threading
import time

from mkdocs.commands.build import build
from mkdocs.config import load_config

SERVE_URL = "http://127.0.0.1:8000/"


def main() -> None:
    project, site_dir = sys.argv[1], sys.argv[2]
    dirty = "--dirty" in sys.argv[3:]

    def get_config():
        config = load_config(config_file=f"{project}/mkdocs.yml", site_dir=site_dir)
        config.site_url = SERVE_URL
        return config

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=dirty)
    try:
        while True:
            start = time.perf_counter()
            try:
                build(config, serve_url=SERVE_URL, dirty=dirty)
                took = time.perf_counter() - start
                for thread in threading.enumerate():
                    if thread.name == "kb-preview-outputs":
                        thread.join()
                print(f"built {took:.3f}", flush=True)
            except BaseException as exc:  # serve logs a failed build and goes on watching
                print(f"failed {type(exc).__name__}", flush=True)
            if sys.stdin.readline().strip() != "rebuild":
                break
            config = get_config()
    finally:
        config.plugins.on_shutdown()


if __name__ == "__main__":
    main()
