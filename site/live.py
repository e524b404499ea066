"""Serve the built site and a Jupyter server for its live code, both on 127.0.0.1 (`make live`).

    .venv/bin/python site/live.py [--site-port 8000] [--jupyter-port 8888]

The Jupyter server gets a fresh random token through its environment (``JUPYTER_TOKEN``), never
on its command line, which any local user can read with ``ps``. It accepts requests only from
the site's exact origin (CORS ``allow_origin``, never ``*``) and culls idle kernels after 20
minutes. The link is printed only once Jupyter answers on its port with that token; if Jupyter
exits first (say, the port is taken), its own error is printed and this script exits non-zero.
The link passes the token in the URL fragment, which browsers never send to the web server;
the page keeps it for the visit (sessionStorage), bound to that server, and removes it from
the address bar. Ctrl-C, SIGTERM and SIGHUP stop both servers; on Linux the Jupyter server is
also stopped if this script is killed outright.
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG_LINES = 40  # lines of Jupyter's own output kept to explain a failure


class _Stop(Exception):
    """SIGTERM or SIGHUP arrived: stop both servers."""


def _raise_stop(signum, frame):
    raise _Stop(signal.Signals(signum).name)


def _die_with_parent():
    """Runs in the Jupyter child before exec (Linux): SIGTERM it when this script dies."""
    import ctypes

    parent = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def jupyter_command(port: int, origin: str, root: Path) -> list[str]:
    """The Jupyter server's command line: no token on it (that goes through the environment)."""
    cmd = [sys.executable, "-m", "jupyter_server", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--ServerApp.allow_origin={origin}", f"--ServerApp.root_dir={root}",
           "--MappingKernelManager.cull_idle_timeout=1200",
           "--MappingKernelManager.cull_interval=120"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def start_jupyter(cmd: list[str], token: str, cwd: Path) -> tuple[subprocess.Popen, collections.deque]:
    """Start Jupyter in its own session (a terminal's Ctrl-C reaches only this script, which
    then stops it); its output is drained by a thread that keeps the last lines."""
    env = dict(os.environ, JUPYTER_TOKEN=token)
    env.pop("JUPYTER_TOKEN_FILE", None)
    env.pop("CNN_BOOK_OUTPUTS", None)  # its kernels make self-contained controls (interactive/page.py)
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            # no other thread of ours runs yet (see main): preexec_fn is safe
                            preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    tail: collections.deque = collections.deque(maxlen=LOG_LINES)

    def drain():
        for raw in proc.stdout:
            tail.append(raw.decode("utf-8", "replace").rstrip().replace(token, "<token>"))

    threading.Thread(target=drain, daemon=True).start()
    return proc, tail


def wait_until_listening(proc: subprocess.Popen, url: str, token: str, timeout: float) -> bool:
    """True once ``url/api/status`` answers 200 to our token (so it is *our* server on that
    port); False if the process exits first. Raises TimeoutError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url + "/api/status", headers={"Authorization": f"token {token}"})
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(request, timeout=1) as response:
                if response.status == 200:
                    return True
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"the Jupyter server did not answer on {url} within {timeout:g} s")


def stop(proc: subprocess.Popen, grace: float = 10.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _tail_text(tail) -> str:
    time.sleep(0.2)  # let the drain thread read the last lines
    return "\n".join(f"  | {line}" for line in list(tail)[-15:]) or "  (no output)"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site-port", type=int, default=8000)
    ap.add_argument("--jupyter-port", type=int, default=8888)
    ap.add_argument("--site", type=Path, default=ROOT / "_build" / "html", help="the built site")
    ap.add_argument("--startup-timeout", type=float, default=120.0,
                    help="seconds to wait for Jupyter to listen")
    args = ap.parse_args(argv)
    for name in ("site_port", "jupyter_port"):
        if not 1 <= getattr(args, name) <= 65535:
            ap.error(f"--{name.replace('_', '-')} must be a port number 1-65535")
    if not (args.site / "index.html").is_file():
        print(f"error: no built site in {args.site}: run `make book` first", file=sys.stderr)
        return 2
    origin = f"http://127.0.0.1:{args.site_port}"
    jupyter_url = f"http://127.0.0.1:{args.jupyter_port}"
    try:
        httpd = ThreadingHTTPServer(("127.0.0.1", args.site_port),
                                    functools.partial(SimpleHTTPRequestHandler, directory=str(args.site)))
    except OSError as err:
        print(f"error: cannot serve the site on {origin} ({err.strerror}); "
              "choose another --site-port", file=sys.stderr)
        return 1
    token = secrets.token_urlsafe(24)
    proc, serving = None, False
    previous = {s: signal.signal(s, _raise_stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        # Jupyter is started before any thread of ours runs (the child runs code before exec).
        proc, tail = start_jupyter(jupyter_command(args.jupyter_port, origin, ROOT), token, ROOT)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        serving = True
        try:
            listening = wait_until_listening(proc, jupyter_url, token, args.startup_timeout)
        except TimeoutError as err:
            print(f"error: {err}; its last output:\n{_tail_text(tail)}", file=sys.stderr)
            return 1
        if not listening:
            print(f"error: the Jupyter server exited (code {proc.returncode}) before it listened "
                  f"on {jupyter_url}; its own message:\n{_tail_text(tail)}\n"
                  "(port taken? choose another --jupyter-port)", file=sys.stderr)
            return proc.returncode or 1
        url = (f"{origin}/chapters/01_how_a_machine_sees.html?livecode=local"
               f"#url={jupyter_url}&token={token}")
        print(f"\nSite: {origin}/  (live code: rocket menu -> Live Code)\nOpen this once per visit "
              f"(it hands the page the token of the local Jupyter server):\n  {url}\n", flush=True)
        code = proc.wait()
        if code:
            print(f"error: the Jupyter server stopped (code {code}); its last output:\n"
                  f"{_tail_text(tail)}", file=sys.stderr)
            return code
        return 0
    except (KeyboardInterrupt, _Stop):
        return 0
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if proc is not None:
            stop(proc)
        if serving:
            httpd.shutdown()
        httpd.server_close()


if __name__ == "__main__":
    sys.exit(main())
