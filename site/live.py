"""Serve the built site and a Jupyter server for its live code, both on 127.0.0.1 (`make live`).

    .venv/bin/python site/live.py [--site-port 8000] [--jupyter-port 8888]

The Jupyter server gets a fresh random token, accepts requests only from the site's exact
origin (CORS `allow_origin`, never `*`) and culls idle kernels after 20 minutes. The printed
URL passes the token in the URL fragment, which browsers never send to the web server; the page
keeps it for the visit (sessionStorage) and removes it from the address bar. Ctrl-C stops both.
"""

from __future__ import annotations

import argparse
import functools
import os
import secrets
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site-port", type=int, default=8000)
    ap.add_argument("--jupyter-port", type=int, default=8888)
    args = ap.parse_args()
    site = ROOT / "_build" / "html"
    if not (site / "index.html").is_file():
        sys.exit("no built site: run `make book` first")
    origin = f"http://127.0.0.1:{args.site_port}"
    token = secrets.token_urlsafe(24)
    cmd = [sys.executable, "-m", "jupyter", "server", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={args.jupyter_port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.allow_origin={origin}", f"--ServerApp.root_dir={ROOT}",
           "--MappingKernelManager.cull_idle_timeout=1200",
           "--MappingKernelManager.cull_interval=120"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", args.site_port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.DEVNULL)
    url = (f"{origin}/chapters/01_how_a_machine_sees.html?livecode=local"
           f"#url=http://127.0.0.1:{args.jupyter_port}&token={token}")
    print(f"\nSite: {origin}/  (live code: rocket menu -> Live Code)\nOpen this once per visit "
          f"(it hands the page the token of the local Jupyter server):\n  {url}\n", flush=True)
    try:
        proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        httpd.shutdown()


if __name__ == "__main__":
    main()
