"""Serve the built site and a Jupyter server for its live code, both on 127.0.0.1 (`make live`).

    .venv/bin/python site/live.py [--site-port 8000] [--jupyter-port 8888]

The Jupyter server gets a fresh random token through its environment (``JUPYTER_TOKEN``), never
on its command line, which any local user can read with ``ps``. It accepts requests only from
the site's exact origin (CORS ``allow_origin``, never ``*``), culls idle kernels after 20
minutes, and takes the token as its only login (``live_jupyter_config.py``: no login cookie, a
cookie secret fresh for every run); its runtime files live in a private folder removed when
this script stops. The link is printed only once Jupyter answers on its port with that token;
if Jupyter exits first (say, the port is taken), its own error is printed and this script exits
non-zero.

The link carries no token, only the Jupyter server's address and a one-time code (in the URL
fragment, which browsers never send to a web server): the page posts the code to this script's
site server (``CLAIM_PATH``, same origin only), which answers once with the Jupyter server's
address and token; the code is then spent, so the browser's history holds nothing usable. The
page keeps the token for the visit (sessionStorage), bound to that server, and removes the code
from the address bar. The token is also printed, for a page that asks for it (a new tab, a
second visit). Ctrl-C, SIGTERM and SIGHUP stop both servers; on Linux the Jupyter server is
also stopped if this script is killed outright.
"""

from __future__ import annotations

import argparse
import collections
import functools
import json
import math
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from book.pages import SITE  # noqa: E402 - the built site's folder, one home

JUPYTER_CONFIG = Path(__file__).resolve().parent / "live_jupyter_config.py"
LOG_LINES = 40  # lines of Jupyter's own output kept to explain a failure
# Where the page exchanges the link's one-time code (POST). Its home: site/static/livecode.js
# keeps a copy (CLAIM) that tests/js/livecode.test.js checks against this line.
CLAIM_PATH = "/_livecode/claim"


class _Stop(Exception):
    """SIGTERM or SIGHUP arrived: stop both servers."""


def _raise_stop(signum, frame):
    raise _Stop(signal.Signals(signum).name)


class Handover:
    """The link's one-time code, exchanged once, by a page of the site's own origin, for the
    Jupyter server's address and token."""

    def __init__(self, origin: str, jupyter_url: str, token: str):
        self.origin, self.code = origin, secrets.token_urlsafe(24)
        self._answer = {"url": jupyter_url, "token": token}
        self._spent = False
        self._lock = threading.Lock()

    def claim(self, origin: str | None, code: str) -> tuple[int, dict]:
        """(HTTP status, JSON body) for a claim of ``code`` from a page of ``origin``."""
        if origin != self.origin:
            return 403, {"error": "claims are accepted only from the site's own pages"}
        with self._lock:
            if self._spent or not secrets.compare_digest(code.encode(), self.code.encode()):
                return 410, {"error": "it is spent or unknown (a link of live.py works once)"}
            self._spent = True
            return 200, dict(self._answer)


class SiteHandler(SimpleHTTPRequestHandler):
    """The built site's files, and ``POST CLAIM_PATH`` (body: the code) for the handover."""

    def __init__(self, *args, handover: Handover, **kwargs):
        self.handover = handover
        super().__init__(*args, **kwargs)

    def do_POST(self):
        if self.path != CLAIM_PATH:
            self.send_error(404)
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= 256:
            status, body = 400, {"error": "the request's body is not a one-time code"}
        else:
            code = self.rfile.read(length).decode("ascii", "replace")
            status, body = self.handover.claim(self.headers.get("Origin"), code)
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _die_with_parent():
    """Runs in the Jupyter child before exec (Linux): SIGTERM it when this script dies."""
    import ctypes

    parent = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def jupyter_command(port: int, origin: str, root: Path) -> list[str]:
    """The Jupyter server's command line: no token on it (that goes through the environment);
    its configuration file makes the token the only login (no login cookie)."""
    cmd = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        f"--config={JUPYTER_CONFIG}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.allow_origin={origin}",
        f"--ServerApp.root_dir={root}",
        "--MappingKernelManager.cull_idle_timeout=1200",
        "--MappingKernelManager.cull_interval=120",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def start_jupyter(
    cmd: list[str], token: str, cwd: Path, runtime: Path
) -> tuple[subprocess.Popen, collections.deque]:
    """Start Jupyter in its own session (a terminal's Ctrl-C reaches only this script, which
    then stops it), its runtime files (server info, kernel connection files) in the private
    folder ``runtime``; its output is drained by a thread that keeps the last lines."""
    env = dict(os.environ, JUPYTER_TOKEN=token, JUPYTER_RUNTIME_DIR=str(runtime))
    env.pop("JUPYTER_TOKEN_FILE", None)
    env.pop("CNN_BOOK_OUTPUTS", None)  # its kernels make self-contained controls (interactive/page.py)
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # no other thread of ours runs yet (see main): preexec_fn is safe
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
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


class _Parser(argparse.ArgumentParser):
    """Bad arguments are one line (no usage block): what is wrong and how to fix it."""

    def error(self, message):
        self.exit(2, f"error: {message}\n")


def _port(text: str) -> int:
    if not (text.isdigit() and 1 <= int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"must be a port number 1-65535, got {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds (e.g. 120), got {text!r}")
    return value


def main(argv=None) -> int:
    ap = _Parser(description=__doc__.splitlines()[0])
    ap.add_argument("--site-port", type=_port, default=8000)
    ap.add_argument("--jupyter-port", type=_port, default=8888)
    ap.add_argument("--site", type=Path, default=SITE, help="the built site")
    ap.add_argument(
        "--startup-timeout", type=_seconds, default=120.0, help="seconds to wait for Jupyter to listen"
    )
    args = ap.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"error: no built site in {args.site}: run `make book` first", file=sys.stderr)
        return 2
    origin = f"http://127.0.0.1:{args.site_port}"
    jupyter_url = f"http://127.0.0.1:{args.jupyter_port}"
    token = secrets.token_urlsafe(24)
    handover = Handover(origin, jupyter_url, token)
    try:
        httpd = ThreadingHTTPServer(
            ("127.0.0.1", args.site_port),
            functools.partial(SiteHandler, directory=str(args.site), handover=handover),
        )
    except OSError as err:
        print(
            f"error: cannot serve the site on {origin} ({err.strerror}); choose another --site-port",
            file=sys.stderr,
        )
        return 1
    proc, serving = None, False
    runtime = Path(tempfile.mkdtemp(prefix="cnn-live-"))  # mode 0700, removed when we stop
    previous = {s: signal.signal(s, _raise_stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        # Jupyter is started before any thread of ours runs (the child runs code before exec).
        proc, tail = start_jupyter(jupyter_command(args.jupyter_port, origin, ROOT), token, ROOT, runtime)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        serving = True
        try:
            listening = wait_until_listening(proc, jupyter_url, token, args.startup_timeout)
        except TimeoutError as err:
            print(f"error: {err}; its last output:\n{_tail_text(tail)}", file=sys.stderr)
            return 1
        if not listening:
            print(
                f"error: the Jupyter server exited (code {proc.returncode}) before it listened "
                f"on {jupyter_url}; its own message:\n{_tail_text(tail)}\n"
                "(port taken? choose another --jupyter-port)",
                file=sys.stderr,
            )
            return proc.returncode or 1
        url = (
            f"{origin}/chapters/01_how_a_machine_sees.html?livecode=local"
            f"#url={jupyter_url}&code={handover.code}"
        )
        print(
            f"\nSite: {origin}/  (live code: rocket menu -> Live Code)\n"
            "Open this link once (its one-time code hands the page the token of the local "
            f"Jupyter server; it works once):\n  {url}\n"
            f"If a page asks for the token of {jupyter_url}: {token}\n",
            flush=True,
        )
        code = proc.wait()
        if code:
            print(
                f"error: the Jupyter server stopped (code {code}); its last output:\n{_tail_text(tail)}",
                file=sys.stderr,
            )
            return code
        return 0
    except (KeyboardInterrupt, _Stop):
        return 0
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if proc is not None:
            stop(proc)
        shutil.rmtree(runtime, ignore_errors=True)
        if serving:
            httpd.shutdown()
        httpd.server_close()


if __name__ == "__main__":
    sys.exit(main())
