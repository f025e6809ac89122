"""A polite, safe HTTP fetcher for the nightly ingestion job (the standard library, and protego for robots.txt).

``Fetcher.fetch(url)`` GETs one page and returns its decoded body, or raises ``FetchError`` with a
``reason`` and whether a later run may succeed (``transient``). On the way it:

- refuses non-http(s) URLs and hosts that resolve to loopback, private, link-local, reserved, multicast
  or otherwise non-global addresses (SSRF), on every redirect hop, before any connection is made;
- connects to the very address it checked (the Host header and TLS SNI still carry the host name), so a
  second, different DNS answer cannot move the connection to an internal address (DNS rebinding);
- follows redirects itself (limit, loop detection, relative ``Location``);
- retries timeouts, connection errors, 408, 429, 500, 502, 503 and 504 with exponential backoff and
  jitter, honouring ``Retry-After`` up to ``MAX_WAIT`` seconds;
- keeps a minimum interval between two requests to the same host (robots.txt ``Crawl-delay`` raises it);
- obeys robots.txt (fetched once per origin and cached for the life of the ``Fetcher``);
- streams the body under a size cap and decodes gzip/deflate incrementally under a second cap.

robots.txt rules and statuses follow RFC 9309 (wildcards; the most specific rule wins): 2xx is parsed; 404,
410 and the other 4xx mean "no rules" (allow all); 429, 5xx and failures (timeout, connection error, refused
redirect) mean "disallow everything on this origin for the life of this ``Fetcher``" (one run), reported as
transient ``"robots"`` errors.

``timeout`` applies to the connection and to each read, and ``deadline`` to the whole request (a server that
trickles bytes just under the timeout is cut off there).

Through a proxy (``http_proxy`` / ``https_proxy`` of the policy, which ``proxies_from_env`` reads from
``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``NO_PROXY``), hosts are still resolved and checked here before any request
and ``allow_hosts`` applies as without one; plain HTTP goes to the proxy in absolute form, HTTPS through a
``CONNECT`` tunnel with the certificate checked end to end. Residual risk: the proxy resolves the host again,
so through a proxy the connection is not pinned to the checked address.
"""

from __future__ import annotations

import base64
import contextlib
import email.utils
import functools
import http.client
import ipaddress
import os
import random
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.message import Message
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from protego import Protego

from extract.errors import InputError

ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"
ACCEPT_ENCODING = "gzip, deflate"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_WAIT = 60.0  # cap, in seconds, on Retry-After, on robots.txt Crawl-delay and on a backoff delay
CHUNK_BYTES = 64 * 1024  # read size for bodies
INFLATE_STEP = 1 << 20  # most decoded bytes produced by one decompress call (bounds the memory peak)
URL_SAFE = "/%:@!$&'()*+,;=~"  # left as is when percent-encoding a path or query (already-encoded URLs stay)
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how defensively to fetch."""

    user_agent: str = "extract/0.1 (claim extraction; contact: see project README)"
    timeout: float = 20.0  # seconds per attempt (connect + each read)
    deadline: float = 120.0  # seconds for one whole request, connect to last byte (a trickling server)
    max_bytes: int = 10_000_000  # cap on the body as transferred
    max_decompressed_bytes: int = 20_000_000  # cap after gzip/deflate decoding (gzip bombs)
    retries: int = 3  # extra attempts for transient failures
    backoff: float = 0.5  # base seconds: backoff * 2**attempt with jitter; Retry-After honoured up to MAX_WAIT
    per_host_delay: float = 1.0  # minimum seconds between two requests to the same host
    max_redirects: int = 5
    respect_robots: bool = True
    allow_private: bool = False  # loopback/private/link-local/reserved/multicast targets refused unless True
    allow_hosts: tuple[str, ...] = ()  # hosts allowed even if private (e.g. "127.0.0.1" for tests)
    http_proxy: str | None = None  # "http://proxy:3128" for http:// URLs (``proxies_from_env``)
    https_proxy: str | None = None  # the same for https:// URLs (a CONNECT tunnel)
    no_proxy: tuple[str, ...] = ()  # hosts (and their subdomains) reached directly


DEFAULT_POLICY = FetchPolicy()


def proxies_from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``http_proxy``, ``https_proxy`` and ``no_proxy`` policy settings from ``HTTP_PROXY``, ``HTTPS_PROXY`` and
    ``NO_PROXY`` (or their lower-case spellings), for the edge that builds the policy."""
    env = os.environ if environ is None else environ

    def get(name: str) -> str | None:
        return (env.get(name.lower()) or env.get(name.upper()) or "").strip() or None

    no_proxy = tuple(h.strip().lstrip(".").lower() for h in (get("no_proxy") or "").split(",") if h.strip())
    settings: dict[str, Any] = {"http_proxy": get("http_proxy"), "https_proxy": get("https_proxy")}
    return {k: v for k, v in settings.items() if v} | ({"no_proxy": no_proxy} if no_proxy else {})


@dataclass(frozen=True)
class FetchResult:
    """A successful fetch: the decoded body and what the server said about it."""

    url: str  # requested
    final_url: str  # after redirects
    status: int  # 2xx, or 304 when not modified
    body: bytes  # decoded (decompressed) body; b"" for 304
    media_type: str | None  # lower-cased, None without a Content-Type header
    charset: str | None
    etag: str | None
    last_modified: str | None
    attempts: int  # HTTP requests sent for this fetch: retries and redirect hops included, robots.txt not

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchError(InputError):
    """A URL could not be fetched; the message names the URL and the problem.

    ``reason`` is one of "ssrf", "robots", "timeout", "deadline", "http", "too_large", "decompression",
    "redirect_loop", "too_many_redirects", "network", "bad_url". ``transient`` tells whether a later run
    may succeed; ``status`` is the HTTP status for "http" errors.
    """

    def __init__(self, url: str, reason: str, problem: str, *, transient: bool = False, status: int | None = None):
        super().__init__(url, problem)
        self.reason = reason
        self.transient = transient
        self.status = status


@dataclass(frozen=True)
class _Target:
    """One vetted hop: where to send the request and the checked addresses to connect to."""

    url: str
    scheme: str
    host: str
    port: int
    path: str  # request target (path and query), percent-encoded
    addresses: tuple[str, ...]

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = "" if DEFAULT_PORTS[self.scheme] == self.port else f":{self.port}"
        return f"{self.scheme}://{host}{port}"


@dataclass(frozen=True)
class _Response:
    status: int
    reason: str
    headers: Message
    body: bytes = b""


@dataclass(frozen=True)
class _Robots:
    """The robots.txt verdict for one origin."""

    parser: Protego | None = None  # None: no rules, everything allowed
    unavailable: str | None = None  # set: everything refused for this run, for this reason

    def refusal(self, user_agent: str, url: str) -> str | None:
        """Why ``url`` may not be fetched, or None when it may."""
        if self.unavailable:
            return self.unavailable
        if self.parser and not self.parser.can_fetch(url, user_agent):
            return "disallowed by robots.txt"
        return None

    def crawl_delay(self, user_agent: str) -> float:
        delay = self.parser.crawl_delay(user_agent) if self.parser else None
        return min(float(delay or 0), MAX_WAIT)


class Fetcher:
    """Fetch pages under a ``FetchPolicy``; keeps per-host timing and robots.txt rules between fetches.

    ``sleep`` and ``clock`` are injectable so tests can record delays instead of waiting. One fetcher may be
    shared by threads: request slots per host are reserved under a lock (robots.txt may then be fetched
    twice in a race, which is harmless).
    """

    def __init__(
        self,
        policy: FetchPolicy = DEFAULT_POLICY,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy
        self._sleep = sleep
        self._clock = clock
        self._random = random.Random()
        self._lock = threading.Lock()
        self._last_request: dict[str, float] = {}  # host -> clock time of the latest (reserved) request
        self._crawl_delay: dict[str, float] = {}  # host -> Crawl-delay from its robots.txt
        self._robots: dict[str, _Robots] = {}  # origin -> verdict

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET ``url``; with ``etag``/``last_modified`` a conditional GET that may return a 304 result."""
        conditional = etag is not None or last_modified is not None
        headers = self._headers(etag, last_modified)
        response, final_url, attempts = self._get(
            url, headers, retries=self.policy.retries, check_robots=self.policy.respect_robots
        )
        if response.status == 304 and conditional:
            return _result(url, final_url, response, attempts, etag=etag, last_modified=last_modified)
        if not 200 <= response.status < 300:
            raise _status_error(url, final_url, response, attempts)
        return _result(url, final_url, response, attempts)

    # -- one URL, following redirects ----------------------------------------------------------------------

    def _get(
        self, url: str, headers: dict[str, str], *, retries: int, check_robots: bool
    ) -> tuple[_Response, str, int]:
        """Send the request, following redirects; return the final response, its URL and the request count."""
        current = url.split("#", 1)[0]
        seen = {current}
        attempts = 0
        for _hop in range(self.policy.max_redirects + 1):
            target = self._vet(url, current)
            if check_robots:
                self._check_robots(url, target)
            response, used = self._send_with_retries(url, target, headers, retries)
            attempts += used
            location = response.headers.get("Location") if response.status in REDIRECT_STATUSES else None
            if not location:
                return response, current, attempts
            current = _redirect_target(url, current, location, seen)
        raise FetchError(
            url, "too_many_redirects", f"more than {self.policy.max_redirects} redirects (the last to {current})"
        )

    def _vet(self, url: str, current: str) -> _Target:
        """Parse ``current`` and resolve its host; refuse it when any address is not public (SSRF)."""
        target = _parse(url, current)
        addresses = _resolve(url, target.host, target.port)
        if not self._trusted(target.host):
            for address in addresses:
                kind = _non_public_kind(address)
                if kind:
                    problem = f"refused{_at(url, current)}: {target.host} resolves to {kind} address {address}"
                    raise FetchError(url, "ssrf", problem)
        return replace(target, addresses=addresses)

    def _trusted(self, host: str) -> bool:
        allowed = {name.lower().rstrip(".") for name in self.policy.allow_hosts}
        return self.policy.allow_private or host.rstrip(".") in allowed

    # -- retries and politeness ----------------------------------------------------------------------------

    def _send_with_retries(
        self, url: str, target: _Target, headers: dict[str, str], retries: int
    ) -> tuple[_Response, int]:
        """Send until a non-transient outcome or ``retries`` extra attempts; return the response and the count.

        A response whose status is still retryable after the last attempt is returned for the caller to report.
        """
        attempt = 0
        while True:
            self._wait_turn(target.host)
            try:
                response = self._send(url, target, headers)
            except FetchError as error:
                # a server that outlasted the deadline would only hold the next attempt as long
                if not error.transient or error.reason == "deadline" or attempt >= retries:
                    if attempt == 0:
                        raise
                    raise _after_attempts(error, attempt + 1) from error
                delay = self._backoff(attempt)
            else:
                if response.status not in RETRY_STATUSES or attempt >= retries:
                    return response, attempt + 1
                delay = self._retry_delay(response, attempt)
            self._sleep(delay)
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": between half and all of ``backoff * 2**attempt``."""
        return min(self.policy.backoff * 2**attempt * self._random.uniform(0.5, 1.0), MAX_WAIT)

    def _retry_delay(self, response: _Response, attempt: int) -> float:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return self._backoff(attempt) if retry_after is None else min(retry_after, MAX_WAIT)

    def _wait_turn(self, host: str) -> None:
        """Sleep until ``host`` may receive another request, reserving that moment for this request."""
        with self._lock:
            now = self._clock()
            last = self._last_request.get(host)
            start = now if last is None else max(now, last + self._host_delay(host))
            self._last_request[host] = start
        if start > now:
            self._sleep(start - now)

    def _host_delay(self, host: str) -> float:
        return max(self.policy.per_host_delay, self._crawl_delay.get(host, 0.0))

    # -- robots.txt ----------------------------------------------------------------------------------------

    def _check_robots(self, url: str, target: _Target) -> None:
        robots = self._robots.get(target.origin)
        if robots is None:
            robots = self._load_robots(target)
            self._robots[target.origin] = robots
            delay = robots.crawl_delay(self.policy.user_agent)
            if delay:
                with self._lock:
                    self._crawl_delay[target.host] = max(delay, self._crawl_delay.get(target.host, 0.0))
        refusal = robots.refusal(self.policy.user_agent, target.url)
        if refusal:
            problem = f"not fetched{_at(url, target.url)}: {refusal}"
            raise FetchError(url, "robots", problem, transient=robots.unavailable is not None)

    def _load_robots(self, target: _Target) -> _Robots:
        """Fetch and parse robots.txt for the origin of ``target`` (one attempt, redirects followed)."""
        robots_url = f"{target.origin}/robots.txt"
        try:
            response, _, _ = self._get(robots_url, self._headers(), retries=0, check_robots=False)
        except FetchError as error:
            return _Robots(unavailable=f"robots.txt unavailable, origin skipped for this run ({error.problem})")
        if 200 <= response.status < 300:
            return _Robots(parser=_parse_robots(response.body))
        if response.status == 429 or response.status >= 500:
            problem = f"robots.txt answered HTTP {response.status}, origin skipped for this run"
            return _Robots(unavailable=problem)
        return _Robots()  # 404, 410 and other 4xx: no rules (RFC 9309)

    # -- one request ---------------------------------------------------------------------------------------

    def _headers(self, etag: str | None = None, last_modified: str | None = None) -> dict[str, str]:
        headers = {
            "User-Agent": self.policy.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
            "Connection": "close",
        }
        if etag is not None:
            headers["If-None-Match"] = etag
        if last_modified is not None:
            headers["If-Modified-Since"] = last_modified
        return headers

    def _send(self, url: str, target: _Target, headers: dict[str, str]) -> _Response:
        """One GET on a fresh connection to a vetted address; the body is read for 2xx responses only.

        ``timeout`` bounds the connection and each read; a watchdog shuts the socket down when the whole
        request passes ``deadline``, so a server trickling a byte at a time cannot hold it.
        """
        proxy = self._proxy_for(target)
        connection = _connection(target, self.policy.timeout, proxy)
        watchdog = _Watchdog(connection, self.policy.deadline)
        try:
            if proxy is not None and target.scheme == "http":  # absolute form: the proxy makes the request
                connection.request("GET", target.origin + target.path, headers=headers | proxy.authorization)
            else:
                connection.request("GET", target.path, headers=headers)
            response = connection.getresponse()
            ok = 200 <= response.status < 300
            body = _read_body(response, url, _at(url, target.url), self.policy) if ok else b""
            if watchdog.fired:  # a body cut short by the shutdown can look complete
                raise TimeoutError("deadline passed")
            return _Response(response.status, response.reason, response.msg, body)
        except (OSError, http.client.HTTPException, FetchError) as exc:
            if watchdog.fired:  # the shut-down socket surfaces as any read, connection or body error
                problem = f"took longer than {self.policy.deadline:g} s{_at(url, target.url)} (deadline per request)"
                raise FetchError(url, "deadline", problem, transient=True) from exc
            if isinstance(exc, FetchError):
                raise
            raise self._send_error(url, target, exc) from exc
        finally:
            watchdog.cancel()
            connection.close()

    def _proxy_for(self, target: _Target) -> _Proxy | None:
        proxy = self.policy.https_proxy if target.scheme == "https" else self.policy.http_proxy
        host = target.host.lower().rstrip(".")
        if not proxy or any(host == h or host.endswith("." + h) or h == "*" for h in self.policy.no_proxy):
            return None
        return _Proxy.parse(proxy)

    def _send_error(self, url: str, target: _Target, exc: Exception) -> FetchError:
        at = _at(url, target.url)
        if isinstance(exc, TimeoutError):
            return FetchError(url, "timeout", f"timed out after {self.policy.timeout:g} s{at}", transient=True)
        if isinstance(exc, http.client.IncompleteRead):
            problem = f"truncated body{at}: connection closed mid-chunk ({exc!r})"
            return FetchError(url, "network", problem, transient=True)
        if isinstance(exc, ssl.SSLCertVerificationError):
            return FetchError(url, "network", f"TLS certificate of {target.host} rejected: {exc.verify_message}")
        return FetchError(url, "network", f"cannot fetch{at}: {type(exc).__name__}: {exc}", transient=True)


class _Watchdog:
    """Shuts a connection's socket down once ``seconds`` have passed, which ends any read blocked on it
    (while the connection is still being made, it looks again shortly after)."""

    def __init__(self, connection: http.client.HTTPConnection, seconds: float) -> None:
        self.connection = connection
        self.fired = False
        self.cancelled = threading.Event()
        self._start(seconds)

    def _start(self, seconds: float) -> None:
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True
        self.timer.start()

    def _fire(self) -> None:
        if self.cancelled.is_set():
            return
        self.fired = True
        sock = self.connection.sock
        if sock is None:
            self._start(0.05)
            return
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self.cancelled.set()
        self.timer.cancel()


# -- URLs and addresses ------------------------------------------------------------------------------------


def _parse(url: str, current: str) -> _Target:
    """Split an http(s) URL into a target without addresses yet; "bad_url" for anything else."""
    try:
        parts = urlsplit(current)
        port = parts.port
    except ValueError as exc:
        raise FetchError(url, "bad_url", f"invalid URL {current!r}: {exc}") from exc
    if parts.scheme not in DEFAULT_PORTS:
        raise FetchError(url, "bad_url", f"cannot fetch {current!r}: only http and https URLs are supported")
    if not parts.hostname:
        raise FetchError(url, "bad_url", f"invalid URL {current!r}: no host")
    path = quote(parts.path or "/", safe=URL_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=URL_SAFE + "?")
    port = port or DEFAULT_PORTS[parts.scheme]
    return _Target(current, parts.scheme, parts.hostname, port, path, ())


def _redirect_target(url: str, current: str, location: str, seen: set[str]) -> str:
    """Resolve a (possibly relative) Location; "redirect_loop" when the URL was already requested."""
    target = urljoin(current, location.strip()).split("#", 1)[0]
    if target in seen:
        raise FetchError(url, "redirect_loop", f"redirect loop: {current} redirects back to {target}")
    seen.add(target)
    return target


def _resolve(url: str, host: str, port: int) -> tuple[str, ...]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(url, "network", f"cannot resolve {host}: {exc}", transient=True) from exc
    return tuple(dict.fromkeys(str(info[4][0]) for info in infos))


def _non_public_kind(address: str) -> str | None:
    """What makes ``address`` unfit for fetching (e.g. "loopback"), or None for a public address.

    IPv4 addresses embedded in IPv6 (mapped ``::ffff:a.b.c.d`` and 6to4 ``2002::/16``) are checked too.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    candidates = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        candidates = [embedded for embedded in (ip.ipv4_mapped, ip.sixtofour) if embedded] + candidates
    for candidate in candidates:
        kinds = (  # most specific first: "private" also covers link-local, unspecified and more
            ("loopback", candidate.is_loopback),
            ("link-local", candidate.is_link_local),
            ("unspecified", candidate.is_unspecified),
            ("multicast", candidate.is_multicast),
            ("reserved", candidate.is_reserved),
            ("private", candidate.is_private),
            ("non-global", not candidate.is_global),
        )
        kind = next((name for name, matches in kinds if matches), None)
        if kind:
            return kind
    return None


# -- connections -------------------------------------------------------------------------------------------


def _connect_any(addresses: tuple[str, ...], port: int, timeout: float | None) -> socket.socket:
    """Connect to the first reachable of the vetted ``addresses`` (never to a fresh DNS answer)."""
    error: OSError = OSError("no address to connect to")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as exc:
            error = exc
    raise error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to already vetted addresses; the Host header still names the host."""

    def __init__(self, target: _Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.addresses = target.addresses

    def connect(self) -> None:
        self.sock = _connect_any(self.addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to already vetted addresses; SNI and certificate checks use the host name."""

    def __init__(self, target: _Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=_tls_context())
        self.addresses = target.addresses

    def connect(self) -> None:
        sock = _connect_any(self.addresses, self.port, self.timeout)
        try:
            self.sock = _tls_context().wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


@dataclass(frozen=True)
class _Proxy:
    host: str
    port: int
    authorization: dict[str, str]  # Proxy-Authorization from the proxy URL's user:password, if any

    @classmethod
    def parse(cls, url: str) -> _Proxy:
        parts = urlsplit(url if "://" in url else "http://" + url)
        auth = {}
        if parts.username is not None:
            token = base64.b64encode(f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()).decode()
            auth = {"Proxy-Authorization": f"Basic {token}"}
        return cls(parts.hostname or "", parts.port or 8080, auth)


def _connection(target: _Target, timeout: float, proxy: _Proxy | None = None) -> http.client.HTTPConnection:
    """A connection to the vetted addresses of ``target``, or to the proxy (a trusted address of the
    configuration: it is not checked); HTTPS through a proxy is a tunnel to the host name."""
    if proxy is not None:
        if target.scheme == "https":
            tunnel = http.client.HTTPSConnection(proxy.host, proxy.port, timeout=timeout, context=_tls_context())
            tunnel.set_tunnel(target.host, target.port, headers=proxy.authorization)
            return tunnel
        return http.client.HTTPConnection(proxy.host, proxy.port, timeout=timeout)
    if target.scheme == "https":
        return _PinnedHTTPSConnection(target, timeout)
    return _PinnedHTTPConnection(target, timeout)


# -- bodies ------------------------------------------------------------------------------------------------


def _read_body(response: http.client.HTTPResponse, url: str, at: str, policy: FetchPolicy) -> bytes:
    """Stream the body in chunks under ``max_bytes``, decoding Content-Encoding under the second cap.

    ``at`` names the redirect hop in messages (empty for the requested URL itself).
    """
    declared = _content_length(response.msg)
    if declared is not None and declared > policy.max_bytes:
        problem = f"too large{at}: declares {declared} bytes, limit {policy.max_bytes}"
        raise FetchError(url, "too_large", problem)
    decoder = _BodyDecoder(response.msg.get("Content-Encoding"), policy.max_decompressed_bytes, url, at)
    received = 0
    while chunk := response.read(CHUNK_BYTES):
        received += len(chunk)
        if received > policy.max_bytes:
            problem = f"too large{at}: more than {policy.max_bytes} bytes sent"
            raise FetchError(url, "too_large", problem)
        decoder.feed(chunk)
    if declared is not None and received < declared and not response.chunked:
        problem = f"truncated body{at}: {received} of {declared} bytes before the connection closed"
        raise FetchError(url, "network", problem, transient=True)
    return decoder.finish()


def _content_length(headers: Message) -> int | None:
    value = (headers.get("Content-Length") or "").strip()
    return int(value) if value.isdigit() else None


class _BodyDecoder:
    """Decode a gzip/deflate/identity body chunk by chunk, never holding more than ``limit`` decoded bytes."""

    ENCODINGS = ("identity", "gzip", "x-gzip", "deflate")

    def __init__(self, encoding: str | None, limit: int, url: str, at: str) -> None:
        self.encoding = (encoding or "identity").strip().lower()
        if self.encoding not in self.ENCODINGS:
            problem = f"unsupported Content-Encoding {encoding!r}{at}"
            raise FetchError(url, "decompression", problem)
        self.limit = limit
        self.url = url
        self.at = at
        self.parts: list[bytes] = []
        self.size = 0
        self.inflater: zlib._Decompress | None = None

    def feed(self, data: bytes) -> None:
        if self.encoding == "identity":
            self.parts.append(data)
            return
        if self.inflater is None:
            self.inflater = _inflater(self.encoding, data)
        try:
            while data and not self.inflater.eof:
                # max_length bounds memory: a small compressed chunk can expand a thousandfold
                step = min(self.limit - self.size + 1, INFLATE_STEP)
                self._append(self.inflater.decompress(data, step))
                data = self.inflater.unconsumed_tail
        except zlib.error as exc:
            raise self._error(f"corrupt {self.encoding} body{self.at}: {exc}") from exc

    def finish(self) -> bytes:
        if self.inflater is not None and not self.inflater.eof:
            raise self._error(f"incomplete {self.encoding} body{self.at}")
        return b"".join(self.parts)

    def _append(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise self._error(
                f"too large after decompression{self.at}: more than {self.limit} bytes (decompression bomb?)"
            )
        self.parts.append(data)

    def _error(self, problem: str) -> FetchError:
        return FetchError(self.url, "decompression", problem)


def _inflater(encoding: str, first: bytes) -> zlib._Decompress:
    """A zlib decompressor for ``encoding``; "deflate" is meant to be zlib-wrapped, but some servers send
    raw deflate, told apart by the zlib header check on the first two bytes."""
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
    return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)


# -- results and errors ------------------------------------------------------------------------------------


def _result(
    url: str,
    final_url: str,
    response: _Response,
    attempts: int,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    """Build the result; ``etag``/``last_modified`` are fallbacks when the response does not repeat them."""
    headers = response.headers
    has_type = headers.get("Content-Type") is not None
    return FetchResult(
        url=url,
        final_url=final_url,
        status=response.status,
        body=response.body,
        media_type=headers.get_content_type() if has_type else None,
        charset=headers.get_content_charset() if has_type else None,
        etag=headers.get("ETag") or etag,
        last_modified=headers.get("Last-Modified") or last_modified,
        attempts=attempts,
    )


def _status_error(url: str, final_url: str, response: _Response, attempts: int) -> FetchError:
    status = response.status
    at = _at(url, final_url)
    if status in REDIRECT_STATUSES:
        problem = f"HTTP {status} redirect without a Location header{at}"
    elif status == 304:
        problem = f"unexpected HTTP 304 for an unconditional request{at}"
    else:
        problem = f"HTTP error {status} {response.reason}{at}"
    if attempts > 1:
        problem += f" (after {attempts} attempts)"
    transient = status in RETRY_STATUSES or status >= 500
    return FetchError(url, "http", problem, transient=transient, status=status)


def _at(url: str, where: str) -> str:
    """The suffix naming a redirect hop in messages (" at <hop>"); empty for the requested URL itself."""
    return "" if where == url.split("#", 1)[0] else f" at {where}"


def _after_attempts(error: FetchError, attempts: int) -> FetchError:
    problem = f"{error.problem} (after {attempts} attempts)"
    return FetchError(error.source, error.reason, problem, transient=error.transient, status=error.status)


def _parse_robots(body: bytes) -> Protego:
    """robots.txt as RFC 9309 reads it (protego): ``*`` and ``$`` in paths, the most specific rule wins."""
    return Protego.parse(body.decode("utf-8", errors="replace").lstrip("\ufeff"))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay in seconds or HTTP date), None when absent or invalid."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
