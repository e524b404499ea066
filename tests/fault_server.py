"""A misbehaving HTTP file server on 127.0.0.1 for the download tests, and hostile zip archives.

``FaultServer`` serves ``files[name]`` at ``/name`` the way ``behaviour[name]`` says, so a test
can break a file, run the downloader, "fix the server" (set the behaviour back to ``"ok"``)
and run it again against the same URL. Every request is recorded with its headers.

Behaviours: ``ok`` (Range, If-Range, ETag and Last-Modified, like a good server), ``norange``
(ignores Range), ``from-zero`` (answers a Range with 206 from byte 0), ``no-validators`` (Range
but no ETag/Last-Modified), ``truncate`` (announces the length, sends half, hangs up),
``truncate-nolen`` (no Content-Length, half, hangs up), ``html`` (an HTML error page with 200),
``404``, ``500``, ``loop`` (redirects to itself), ``redirect-file`` (redirects to a
``file:///`` URL), ``badlength`` (``Content-Length: abc``),
``drip`` (one byte every ``drip_interval`` seconds).
"""

from __future__ import annotations

import hashlib
import io
import stat
import struct
import threading
import time
import zipfile
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
from PIL import Image

HTML = (
    b"<!DOCTYPE html><html><head><title>Service unavailable</title></head>"
    b"<body><h1>Sorry</h1><p>Try again later.</p></body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        srv: FaultServer = self.server
        name = self.path.lstrip("/").split("?")[0]
        srv.requests.append((name, {k.lower(): v for k, v in self.headers.items()}))
        how, data = srv.behaviour.get(name, "ok"), srv.files.get(name)
        if data is None or how == "404":
            return self._simple(404, b"not found")
        if how == "500":
            return self._simple(500, b"internal error")
        if how in ("loop", "redirect-file"):
            self.send_response(302)
            self.send_header("Location", self.path if how == "loop" else "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if how == "html":
            return self._simple(200, HTML, "text/html; charset=utf-8")
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        validators = srv.validators and how not in ("no-validators", "norange", "from-zero")
        start = 0
        rng = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        honours = how in ("ok", "no-validators", "from-zero", "truncate", "drip")
        if rng and honours and (if_range is None or if_range == etag):
            start = 0 if how == "from-zero" else int(rng.split("=")[1].split("-")[0])
        if start >= len(data) and rng and start:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{len(data)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        partial = bool(rng) and (start > 0 or how == "from-zero") and (if_range in (None, etag))
        self.send_response(206 if partial else 200)
        if partial:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        if validators:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(srv.mtime, usegmt=True))
        self.send_header("Content-Type", "application/zip")
        body = data[start:]
        if how == "badlength":
            self.send_header("Content-Length", "abc")
        elif how != "truncate-nolen":
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            if how in ("truncate", "truncate-nolen"):
                self.wfile.write(body[: len(body) // 2])
            elif how == "drip":
                for i in range(len(body)):
                    if srv.stopping.is_set():
                        return
                    self.wfile.write(body[i : i + 1])
                    self.wfile.flush()
                    time.sleep(srv.drip_interval)
            else:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _simple(self, code, body, ctype="text/plain"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        self.wfile.write(body)


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files: dict[str, bytes] = {}
        self.behaviour: dict[str, str] = {}
        self.requests: list = []
        self.drip_interval = 0.05
        self.validators = True  # False: no ETag / Last-Modified at all
        self.mtime = time.time() - 3600
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server_port}/{name}"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.shutdown()
        self.server_close()


# ----------------------------------------------------------------------------- archives
def jpeg(seed: int) -> bytes:
    arr = np.random.default_rng(seed).integers(0, 255, size=(16, 20, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``(name or ZipInfo, bytes)`` members."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def pet_members(n: int = 3, seed: int = 0, extra=()) -> list:
    """PetImages/Cat and PetImages/Dog with ``n`` small real JPEGs each, plus ``extra``."""
    members = [
        (f"PetImages/{cls}/{i}.jpg", jpeg(seed + 10 * c + i))
        for c, cls in enumerate(("Cat", "Dog"))
        for i in range(n)
    ]
    return members + list(extra)


def pet_archive(n: int = 3, seed: int = 0, extra=()) -> bytes:
    return zip_bytes(pet_members(n, seed, extra), zipfile.ZIP_STORED)


def symlink_member(name: str, target: str) -> tuple:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def bomb_archive(member_bytes: int = 64 << 20) -> bytes:
    """A valid zip whose one member is ``member_bytes`` of zeros (about 1000:1), built in
    memory a MiB at a time; the archive itself is small."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in pet_members(1):
            zf.writestr(name, data)
        with zf.open("PetImages/Cat/zeros.jpg", "w", force_zip64=True) as out:
            block = bytes(1 << 20)
            for _ in range(member_bytes >> 20):
                out.write(block)
    return buf.getvalue()


def _patch_headers(data: bytes, *, flags: int | None = None, method: int | None = None) -> bytes:
    """Rewrite every local and central header's flag bits / compression method."""
    out = bytearray(data)
    for sig, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        pos = out.find(sig)
        while pos != -1:
            if flags is not None:
                old = struct.unpack_from("<H", out, pos + flag_at)[0]
                struct.pack_into("<H", out, pos + flag_at, old | flags)
            if method is not None:
                struct.pack_into("<H", out, pos + method_at, method)
            pos = out.find(sig, pos + 4)
    return bytes(out)


def encrypted_archive() -> bytes:
    """Members flagged as encrypted (bit 0), as a password-protected zip is."""
    return _patch_headers(pet_archive(), flags=0x1)


def deflate64_archive() -> bytes:
    """Members recorded with method 9 (Deflate64), which Python's zipfile cannot read."""
    return _patch_headers(pet_archive(), method=9)


def corrupt_archive() -> bytes:
    """A complete zip with one byte of a member's data changed (its CRC fails)."""
    data = bytearray(pet_archive())
    first = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0]
    at = first.header_offset + 30 + len(first.filename.encode()) + 100
    data[at] ^= 0xFF
    return bytes(data)
