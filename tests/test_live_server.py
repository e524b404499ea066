"""``site/live.py`` (``make live``): the token stays out of argv, the link comes only once Jupyter
listens, a Jupyter that dies is reported, and signals stop the Jupyter child.

Each test runs ``site/live.py`` as a reader does, on free 127.0.0.1 ports, with a one-file
stand-in for the built site and private Jupyter config/runtime folders. Processes it starts
are stopped by their pid at the end, whatever happened.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from browser_support import free_port

ROOT = Path(__file__).resolve().parent.parent
LIVE = ROOT / "site" / "live.py"
# Seconds live.py may wait for Jupyter (its --startup-timeout): Jupyter answers within 2-4 s
# here; the bound only matters on a machine so loaded that it would otherwise hang.
STARTUP = 20.0
LINK_RE = re.compile(r"#url=(http://127\.0\.0\.1:\d+)&token=(\S+)")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


class Live:
    """``site/live.py`` running in the background; its stdout lines arrive on a queue."""

    def __init__(self, tmp: Path, jupyter_port: int | None = None):
        site = tmp / "site"
        site.mkdir()
        (site / "index.html").write_text("<!doctype html><title>site</title>")
        self.site_port, self.jupyter_port = free_port(), jupyter_port or free_port()
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp / "config"),
                   JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), JUPYTER_DATA_DIR=str(tmp / "data"))
        env.pop("JUPYTER_TOKEN", None)
        self.proc = subprocess.Popen(
            [sys.executable, str(LIVE), "--site", str(site), "--site-port", str(self.site_port),
             "--jupyter-port", str(self.jupyter_port), "--startup-timeout", str(STARTUP)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp)
        self.lines: queue.Queue = queue.Queue()
        self.out: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()
        self.jupyter_pids: list[int] = []

    def _pump(self):
        for line in self.proc.stdout:
            self.out.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def link(self, timeout: float = STARTUP + 1) -> tuple[str, str]:
        """(jupyter url, token) from the printed link; fails if none comes in time."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no link within {timeout} s; stdout {''.join(self.out)!r}")
            if line is None:
                pytest.fail(f"live.py ended without a link: {self.proc.wait()} "
                            f"{self.proc.stderr.read()!r}")
            m = LINK_RE.search(line)
            if m:
                self.jupyter_pids = _children(self.proc.pid)
                return m.group(1), m.group(2)

    def close(self):
        for pid in [self.proc.pid, *self.jupyter_pids]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait(timeout=5)


@pytest.fixture
def live(tmp_path):
    started = []

    def start(**kw):
        started.append(Live(tmp_path, **kw))
        return started[-1]

    yield start
    for lv in started:
        lv.close()


def test_link_only_once_jupyter_listens_and_token_not_in_argv(live):
    lv = live()
    url, token = lv.link()
    problems = []  # both checks run (items 2 and 9), each failure is reported
    # the token is not on any command line (any local user reads those in `ps`)
    assert lv.jupyter_pids, "no Jupyter child found"
    for pid in [lv.proc.pid, *lv.jupyter_pids]:
        if token in Path(f"/proc/{pid}/cmdline").read_bytes().decode():
            problems.append(f"the token is in the arguments of pid {pid}")
    # printed only once Jupyter answers: the very first request succeeds
    req = urllib.request.Request(url + "/api/status", headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(req, timeout=2) as response:
            assert response.status == 200
    except OSError as err:
        problems.append(f"link printed before Jupyter listened: {err}")
    assert problems == []
    # and the site is served next to it
    with urllib.request.urlopen(f"http://127.0.0.1:{lv.site_port}/", timeout=2) as response:
        assert b"<title>site</title>" in response.read()
    # Ctrl-C stops both (the Jupyter child runs in its own session, so it is live.py's job)
    lv.proc.send_signal(signal.SIGINT)
    assert lv.proc.wait(timeout=8) == 0
    assert all(_wait_gone(pid, 2) for pid in lv.jupyter_pids)


def test_jupyter_dying_at_start_is_reported(live):
    with socket.socket() as taken:  # something else already listens on the Jupyter port
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        lv = live(jupyter_port=taken.getsockname()[1])
        code = lv.proc.wait(timeout=STARTUP + 2)
    stderr = lv.proc.stderr.read()
    assert code != 0
    assert "token=" not in "".join(lv.out), "a link was printed for a server that never ran"
    assert "already in use" in stderr, stderr  # Jupyter's own words
    assert "--jupyter-port" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_signal_stops_the_jupyter_child(live, signum):
    lv = live()
    lv.link()
    assert lv.jupyter_pids
    lv.proc.send_signal(signum)
    lv.proc.wait(timeout=8)
    assert all(_wait_gone(pid, 2) for pid in lv.jupyter_pids), "Jupyter orphaned, still serving"
    assert "Traceback" not in lv.proc.stderr.read()


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux only")
def test_jupyter_child_ends_when_live_is_killed(live):
    lv = live()
    lv.link()
    lv.proc.kill()  # SIGKILL: no handler runs
    lv.proc.wait(timeout=5)
    assert all(_wait_gone(pid, 8) for pid in lv.jupyter_pids), "Jupyter orphaned, still serving"
