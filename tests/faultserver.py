"""A threaded HTTP server on 127.0.0.1 that misbehaves on request, for testing the fetcher.

    with FaultServer() as server:
        fetch(server.url("/flaky?fail=2&key=a"))
        assert server.hits("/flaky") == 3

Routes (every handler is bounded in time and size):

- ``/ok``, ``/private/...``: an English HTML article; ``/gzip``, ``/deflate`` (``?raw=1``: raw deflate): the
  same article compressed; ``/typed?ct=VALUE``: the article with the given Content-Type
- ``/slow?delay=S``: waits S seconds (at most 5) before answering like ``/ok``
- ``/trickle?every=S&n=N``: the article one byte every S seconds (default 0.2), at most N bytes (default 100);
  ``?headers=1``: the status line and headers trickle too
- ``/flaky?fail=N&key=K``: 500 for the first N hits with key K, then the article
- ``/status/CODE``: that status with a short text body
- ``/retry-after?fail=N&after=VALUE&key=K``: 503 with ``Retry-After: VALUE`` (default 1) N times (default 1)
- ``/redirect-loop`` (to ``/redirect-loop/b`` and back), ``/redirect-chain?n=N`` (N relative redirects, using
  301/302/303/307/308 in turn, then the article), ``/redirect-to?url=URL&code=302``
- ``/etag``: the article with ETag and Last-Modified; 304 when If-None-Match or If-Modified-Since matches
- ``/wrong-charset``: Shift_JIS Japanese labelled utf-8; ``?page=latin1``: a latin-1 page labelled utf-8
- ``/huge?size=N``: declares Content-Length N (default 50 MB) and sends at most 1 MiB; ``?chunked=1``: chunked,
  no Content-Length, streams up to ``limit`` bytes (default 64 MiB) until the client goes away
- ``/truncated``: declares 10000 bytes, sends 100 and closes; ``?chunked=1``: a 1000-byte chunk cut at 100
- ``/gzip-bomb``: about 130 KB of gzip expanding to 128 MiB (made in memory once)
- ``/robots.txt``: set with ``configure_robots(text, status, headers)``; by default disallows ``/private/``
  with ``Crawl-delay: 1``
- ``/headers``: the request headers, as JSON
"""

from __future__ import annotations

import contextlib
import functools
import json
import ssl
import sys
import threading
import zlib
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Harbour bridge reopens after two years of repairs</title></head>
<body>
  <nav><a href="/">Home</a> <a href="/world">World news</a> <a href="/login">Subscriber login</a></nav>
  <article>
    <h1>Harbour bridge reopens after two years of repairs</h1>
    <p>The harbour bridge reopened to traffic on Monday morning after two years of repairs that cost
    the city far more than originally planned, officials said at a ceremony attended by residents.</p>
    <p>The mayor told reporters that the new deck would carry twice as many buses as before and that a
    separate lane for bicycles would open in the summer once the remaining safety checks are complete.</p>
  </article>
</body>
</html>
"""
JAPANESE_PARAGRAPHS = (
    "ゼレンスキー大統領とトランプ大統領は、ホワイトハウスで会談し、停戦後の安全保障について協議した。",
    "両首脳は、欧州各国が派遣する部隊の規模と、米国による支援の枠組みについて意見を交換したという。",
)
JAPANESE_HTML = (  # no <meta charset>: only the (wrong) HTTP header declares an encoding
    "<html><head><title>停戦後の安全保障を協議</title></head><body><article><h1>停戦後の安全保障を協議</h1>"
    + "".join(f"<p>{paragraph}</p>" for paragraph in JAPANESE_PARAGRAPHS)
    + "</article></body></html>"
)
LATIN1_SENTENCE = "The café on the quay charged £4 for a crème brûlée, and the naïve tourists paid it happily."
LATIN1_HTML = (
    "<html><head><title>Prices on the quay</title></head><body><article><h1>Prices on the quay</h1>"
    f"<p>{LATIN1_SENTENCE}</p><p>Locals said the façade of the old café had not changed in forty years, "
    "although the menu now lists a smörgåsbord of dishes for visitors arriving on the morning ferries.</p>"
    "</article></body></html>"
)
DEFAULT_ROBOTS = "User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n"
ETAG = '"v1"'
LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"
MAX_SLOW_SECONDS = 5.0
HUGE_SENT_BYTES = 1 << 20
REDIRECT_CODES = (301, 302, 303, 307, 308)


@functools.cache
def gzip_bomb(expanded: int = 128 << 20) -> bytes:
    """A gzip stream of about ``expanded / 1000`` bytes that decompresses to ``expanded`` zero bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(expanded // len(block))]
    return b"".join([*parts, compressor.flush()])


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, tls: ssl.SSLContext | None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        if tls:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.path_hits: Counter[str] = Counter()
        self.key_hits: Counter[str] = Counter()
        self.robots: str | None = DEFAULT_ROBOTS
        self.robots_status = 200
        self.robots_headers: dict[str, str] = {}

    def count(self, path: str, key: str) -> int:
        """Record a hit on ``path`` and return how many hits ``key`` has had, this one included."""
        with self.lock:
            self.path_hits[path] += 1
            self.key_hits[key] += 1
            return self.key_hits[key]

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):  # clients that hang up
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # for chunked responses; every response closes the connection
    timeout = 10  # seconds for reading a request
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        self.close_connection = True
        parts = urlsplit(self.path)
        self.query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        self.hit_number = self.server.count(parts.path, self.query.get("key", self.path))
        with contextlib.suppress(ConnectionError, TimeoutError):  # the client gave up (size cap, timeout)
            self._route(parts.path)()

    def _route(self, path: str) -> Callable[[], None]:
        routes = {
            "/ok": self.ok,
            "/gzip": self.gzip,
            "/deflate": self.deflate,
            "/typed": self.typed,
            "/slow": self.slow,
            "/trickle": self.trickle,
            "/flaky": self.flaky,
            "/retry-after": self.retry_after,
            "/redirect-loop": lambda: self.redirect(302, "/redirect-loop/b"),
            "/redirect-loop/b": lambda: self.redirect(302, "/redirect-loop"),
            "/redirect-chain": self.redirect_chain,
            "/redirect-to": lambda: self.redirect(int(self.query.get("code", 302)), self.query["url"]),
            "/etag": self.etag,
            "/wrong-charset": self.wrong_charset,
            "/huge": self.huge,
            "/truncated": self.truncated,
            "/gzip-bomb": self.gzip_bomb,
            "/robots.txt": self.robots,
            "/headers": self.headers_json,
        }
        if path.startswith("/status/"):
            return lambda: self.send(int(path.removeprefix("/status/")), f"status {path[8:]}\n".encode())
        if path.startswith("/private/"):
            return self.ok
        return routes.get(path, lambda: self.send(404, b"not found\n"))

    def log_message(self, *args: object) -> None:
        pass

    # -- building blocks ---------------------------------------------------------------------------------

    def send(
        self,
        status: int,
        body: bytes = b"",
        content_type: str = "text/plain; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if status not in (204, 304):
            self.wfile.write(body)

    def redirect(self, status: int, location: str) -> None:
        self.send(status, b"", headers={"Location": location})

    # -- routes ------------------------------------------------------------------------------------------

    def ok(self, headers: dict[str, str] | None = None) -> None:
        self.send(200, ARTICLE_HTML.encode(), "text/html; charset=utf-8", headers)

    def gzip(self) -> None:
        compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        body = compressor.compress(ARTICLE_HTML.encode()) + compressor.flush()
        self.send(200, body, "text/html; charset=utf-8", {"Content-Encoding": "gzip"})

    def deflate(self) -> None:
        wbits = -zlib.MAX_WBITS if self.query.get("raw") else zlib.MAX_WBITS
        compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
        body = compressor.compress(ARTICLE_HTML.encode()) + compressor.flush()
        self.send(200, body, "text/html; charset=utf-8", {"Content-Encoding": "deflate"})

    def typed(self) -> None:
        encoding = self.query.get("encoding")
        headers = {"Content-Encoding": encoding} if encoding else None
        self.send(200, ARTICLE_HTML.encode(), self.query.get("ct", "text/html"), headers)

    def slow(self) -> None:
        self.server.stopping.wait(min(float(self.query.get("delay", 1)), MAX_SLOW_SECONDS))
        self.ok()

    def trickle(self) -> None:
        every = min(float(self.query.get("every", 0.2)), 1.0)
        limit = min(int(self.query.get("n", 100)), 200)
        body = ARTICLE_HTML.encode()
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        data = head + body if self.query.get("headers") else body
        if not self.query.get("headers"):
            self.wfile.write(head)
        for byte in data[:limit]:
            if self.server.stopping.wait(every):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:  # the client gave up
                return

    def flaky(self) -> None:
        if self.hit_number <= int(self.query.get("fail", 1)):
            self.send(500, b"internal error\n")
        else:
            self.ok()

    def retry_after(self) -> None:
        if self.hit_number <= int(self.query.get("fail", 1)):
            self.send(503, b"busy\n", headers={"Retry-After": self.query.get("after", "1")})
        else:
            self.ok()

    def redirect_chain(self) -> None:
        remaining = int(self.query.get("n", 3))
        if remaining <= 0:
            self.ok()
        else:  # relative reference, resolved against /redirect-chain
            self.redirect(REDIRECT_CODES[remaining % len(REDIRECT_CODES)], f"redirect-chain?n={remaining - 1}")

    def etag(self) -> None:
        validators = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED}
        etag_matches = ETAG in (self.headers.get("If-None-Match") or "")
        date_matches = self.headers.get("If-Modified-Since") == LAST_MODIFIED
        if etag_matches or date_matches:
            self.send(304, headers=validators)
        else:
            self.ok(validators)

    def wrong_charset(self) -> None:
        if self.query.get("page") == "latin1":
            body = LATIN1_HTML.encode("latin-1")
        else:
            body = JAPANESE_HTML.encode("shift_jis")
        self.send(200, body, "text/html; charset=utf-8")

    def huge(self) -> None:
        if self.query.get("chunked"):
            self._stream_chunks(int(self.query.get("limit", 64 << 20)))
            return
        size = int(self.query.get("size", 50_000_000))
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        self.wfile.write(b"x" * min(size, HUGE_SENT_BYTES))

    def _stream_chunks(self, limit: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>"
        sent = 0
        while sent < limit and not self.server.stopping.is_set():
            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            sent += len(chunk)
        self.wfile.write(b"0\r\n\r\n")

    def truncated(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if self.query.get("chunked"):
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"3e8\r\n" + b"y" * 100)
        else:
            self.send_header("Content-Length", "10000")
            self.end_headers()
            self.wfile.write(b"y" * 100)

    def gzip_bomb(self) -> None:
        self.send(200, gzip_bomb(), "text/html", {"Content-Encoding": "gzip"})

    def robots(self) -> None:
        if self.server.robots is None:
            self.send(404, b"no robots.txt\n")
        else:
            self.send(self.server.robots_status, self.server.robots.encode(), headers=self.server.robots_headers)

    def headers_json(self) -> None:
        self.send(200, json.dumps(dict(self.headers.items())).encode(), "application/json")


class FaultServer:
    """Context manager running the fault-injecting server on an ephemeral port of 127.0.0.1.

    With ``tls`` (a server-side context holding a certificate) it speaks HTTPS.
    """

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self._server = _Server(tls)
        self.scheme = "https" if tls else "http"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str | None = None) -> int:
        """Requests received for ``path`` (query ignored), or for all paths."""
        with self._server.lock:
            return self._server.path_hits[path] if path else sum(self._server.path_hits.values())

    def configure_robots(
        self, text: str | None = DEFAULT_ROBOTS, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        """Serve ``text`` with ``status`` and ``headers`` as robots.txt (``text=None``: a plain 404)."""
        self._server.robots = text
        self._server.robots_status = status
        self._server.robots_headers = headers or {}

    def reset(self) -> None:
        """Forget hits and restore the default robots.txt."""
        with self._server.lock:
            self._server.path_hits.clear()
            self._server.key_hits.clear()
        self.configure_robots()

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.stopping.set()  # wakes /slow and stops chunk streams
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
