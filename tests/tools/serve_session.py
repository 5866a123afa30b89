"""Build a project the way `mkdocs serve` does, rebuilding on request, without the HTTP server.

    python serve_session.py PROJECT SITE_DIR [--dirty] [--overlap]

Like mkdocs.commands.serve: one process; the config is loaded anew for every build; plugins get
on_startup(command="serve") once and on_shutdown at the end; every build is
build(config, serve_url=…) into the same site directory. After each build it waits for the work the
hooks do after a build returns (kb/preview.py: catalog.json and the search index), prints
"built <seconds the build took>" (or "failed <error>"), then reads a line on stdin: "rebuild" or
"quit". With --overlap it does not wait: the next build may start while that work is being done,
as when a save follows another under `mkdocs serve`; "built" is followed by "overlapped" when it
was, and "settle" waits for it (answering "settled")."""

import sys
import threading
import time

from mkdocs.commands.build import build
from mkdocs.config import load_config

SERVE_URL = "http://127.0.0.1:8000/"


def background() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "kb-preview-outputs" and thread.is_alive()]


def settle() -> None:
    for thread in background():
        thread.join()


def main() -> None:
    project, site_dir = sys.argv[1], sys.argv[2]
    dirty = "--dirty" in sys.argv[3:]
    overlap = "--overlap" in sys.argv[3:]

    def get_config():
        config = load_config(config_file=f"{project}/mkdocs.yml", site_dir=site_dir)
        config.site_url = SERVE_URL
        return config

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=dirty)
    try:
        command = "rebuild"
        while command == "rebuild":
            start = time.perf_counter()
            overlapped = bool(background())
            try:
                build(config, serve_url=SERVE_URL, dirty=dirty)
                took = time.perf_counter() - start
                if not overlap:
                    settle()
                print(f"built {took:.3f}" + (" overlapped" if overlapped else ""), flush=True)
            except BaseException as exc:  # serve logs a failed build and goes on watching
                print(f"failed {type(exc).__name__}", flush=True)
            command = sys.stdin.readline().strip()
            while command == "settle":
                settle()
                print("settled", flush=True)
                command = sys.stdin.readline().strip()
            config = get_config()
    finally:
        config.plugins.on_shutdown()


if __name__ == "__main__":
    main()
