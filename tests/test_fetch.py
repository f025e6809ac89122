"""The fetcher against a real local server that misbehaves on request (tests/faultserver.py).

Delays are recorded through an injected sleep and clock, so the tests do not wait for backoffs and
per-host delays; a few tests use real sleeps, and the timeout test waits for real socket timeouts.
No test sends traffic anywhere but 127.0.0.1: SSRF tests check that no connection is even attempted.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import select
import shutil
import socket
import ssl
import subprocess
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, urlsplit

import pytest
from faultserver import (
    ARTICLE_HTML,
    ETAG,
    JAPANESE_PARAGRAPHS,
    LAST_MODIFIED,
    LATIN1_SENTENCE,
    FaultServer,
    gzip_bomb,
)

from extract.acquire import fetch
from extract.acquire.fetch import Fetcher, FetchError, FetchPolicy, FetchResult, parse_retry_after
from extract.acquire.read import document_from_fetch, load
from extract.errors import InputError

ARTICLE = ARTICLE_HTML.encode()
METADATA_URL = "http://169.254.169.254/latest/meta-data/"


class FakeTime:
    """A clock that only moves when something sleeps; the sleeps are recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture(autouse=True)
def fresh_server(server: FaultServer) -> None:
    server.reset()


@pytest.fixture()
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture()
def make(fake: FakeTime) -> Callable[..., Fetcher]:
    """Build a fetcher on fake time that may reach 127.0.0.1, without delays or robots.txt unless asked."""

    def build(**overrides: object) -> Fetcher:
        settings: dict = {"allow_hosts": ("127.0.0.1",), "per_host_delay": 0.0, "respect_robots": False}
        return Fetcher(FetchPolicy(**(settings | overrides)), sleep=fake.sleep, clock=fake.clock)

    return build


@pytest.fixture()
def connections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the addresses connected to, and fail the test on any connection not to 127.0.0.1."""
    real = socket.create_connection
    addresses: list[str] = []

    def guarded(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        addresses.append(address[0])
        if address[0] != "127.0.0.1":
            raise AssertionError(f"connection attempted to {address}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)
    return addresses


def fake_dns(monkeypatch: pytest.MonkeyPatch, table: dict[str, list[str]]) -> list[str]:
    """Resolve the names in ``table`` to its addresses (others as usual); return the names looked up."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def getaddrinfo(host: str, port: int, *args: object, **kwargs: object) -> list:
        lookups.append(host)
        if host not in table:
            return real(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in table[host]]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


def fetch_error(fetcher: Fetcher, url: str, **kwargs: str) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetcher.fetch(url, **kwargs)
    assert info.value.source == url
    assert str(info.value).startswith(f"{url}: ")
    return info.value


def recording_real_sleep(slept: list[float]) -> Callable[[float], None]:
    def sleep(seconds: float) -> None:
        slept.append(seconds)
        time.sleep(seconds)

    return sleep


# -- plain fetches ------------------------------------------------------------------------------------------


def test_fetches_a_page(server: FaultServer, make: Callable[..., Fetcher]) -> None:
    result = make().fetch(server.url("/ok"))

    assert result.status == 200
    assert not result.not_modified
    assert result.body == ARTICLE
    assert result.url == result.final_url == server.url("/ok")
    assert (result.media_type, result.charset) == ("text/html", "utf-8")
    assert result.attempts == 1
    assert server.hits("/ok") == 1


def test_sends_user_agent_accept_encoding_and_the_host_name(server: FaultServer, make: Callable[..., Fetcher]) -> None:
    headers = json.loads(make(user_agent="tester/1.0").fetch(server.url("/headers")).body)

    assert headers["User-Agent"] == "tester/1.0"
    assert headers["Accept-Encoding"] == "gzip, deflate"
    assert headers["Host"] == f"127.0.0.1:{server.port}"
    assert "If-None-Match" not in headers


@pytest.mark.parametrize(
    ("content_type", "media_type", "charset"),
    [
        ("Text/HTML; Charset=Shift_JIS", "text/html", "shift_jis"),
        ('application/XHTML+xml; charset="UTF-8"', "application/xhtml+xml", "utf-8"),
        ("text/plain", "text/plain", None),
    ],
)
def test_media_type_is_lower_cased_and_charset_read_from_content_type(
    server: FaultServer, make: Callable[..., Fetcher], content_type: str, media_type: str, charset: str | None
) -> None:
    result = make().fetch(server.url("/typed?ct=" + quote(content_type)))

    assert (result.media_type, result.charset) == (media_type, charset)


@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/deflate?raw=1"])
def test_gzip_and_deflate_bodies_are_decoded(server: FaultServer, make: Callable[..., Fetcher], path: str) -> None:
    assert make().fetch(server.url(path)).body == ARTICLE


def test_unsupported_content_encoding_is_refused(server: FaultServer, make: Callable[..., Fetcher]) -> None:
    error = fetch_error(make(), server.url("/typed?encoding=br"))

    assert error.reason == "decompression"
    assert "'br'" in str(error)


# -- URLs and SSRF ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/file",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://",
        "http://[::1",
        "http://a.b:99999/",
    ],
)
def test_only_http_and_https_urls_are_fetched(url: str, connections: list[str]) -> None:
    assert fetch_error(Fetcher(), url).reason == "bad_url"
    assert connections == []


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://localhost/", "loopback"),
        (METADATA_URL, "link-local"),
        ("http://[::1]/", "loopback"),
        ("http://10.0.0.1/", "private"),
        ("http://192.168.1.1:8080/admin", "private"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),  # IPv4-mapped IPv6
        ("http://[2002:7f00:1::]/", "loopback"),  # 6to4 wrapping 127.0.0.1
        ("http://100.64.0.1/", "non-global"),  # carrier-grade NAT
        ("http://224.0.0.1/", "multicast"),
    ],
)
def test_default_policy_refuses_non_public_addresses_without_connecting(
    url: str, kind: str, connections: list[str]
) -> None:
    error = fetch_error(Fetcher(), url)

    assert (error.reason, error.transient) == ("ssrf", False)
    assert f"{kind} address" in str(error)
    assert connections == []


def test_default_policy_refuses_the_local_server_before_any_request(server: FaultServer) -> None:
    error = fetch_error(Fetcher(), server.url("/ok"))

    assert error.reason == "ssrf"
    assert server.hits() == 0  # not even robots.txt


def test_a_host_is_refused_when_any_of_its_addresses_is_private(
    monkeypatch: pytest.MonkeyPatch, connections: list[str]
) -> None:
    fake_dns(monkeypatch, {"mixed.example": ["93.184.216.34", "10.1.2.3"]})

    error = fetch_error(Fetcher(), "https://mixed.example/news")

    assert error.reason == "ssrf"
    assert "10.1.2.3" in str(error)
    assert connections == []


def test_allow_private_and_allow_hosts_open_the_local_server(server: FaultServer) -> None:
    assert Fetcher(FetchPolicy(allow_private=True, respect_robots=False)).fetch(server.url("/ok")).status == 200
    assert Fetcher(FetchPolicy(allow_hosts=("127.0.0.1",), respect_robots=False)).fetch(server.url("/ok")).body


def test_connection_goes_to_the_checked_address_without_a_second_lookup(
    server: FaultServer, make: Callable[..., Fetcher], monkeypatch: pytest.MonkeyPatch, connections: list[str]
) -> None:
    lookups = fake_dns(monkeypatch, {"news.test": ["127.0.0.1"]})

    result = make(allow_hosts=("news.test",)).fetch(f"http://news.test:{server.port}/headers")

    assert json.loads(result.body)["Host"] == f"news.test:{server.port}"
    assert lookups.count("news.test") == 1  # a rebinding DNS answer later would not be used
    assert connections == ["127.0.0.1"]


def test_redirect_to_the_metadata_address_is_refused_at_the_redirect(
    server: FaultServer, make: Callable[..., Fetcher], connections: list[str]
) -> None:
    error = fetch_error(make(), server.url("/redirect-to?url=" + quote(METADATA_URL)))

    assert error.reason == "ssrf"
    assert METADATA_URL in str(error)
    assert "link-local" in str(error)
    assert server.hits("/redirect-to") == 1
    assert set(connections) == {"127.0.0.1"}


def test_redirect_to_a_loopback_name_not_in_allow_hosts_is_refused(
    server: FaultServer, make: Callable[..., Fetcher]
) -> None:
    target = f"http://localhost:{server.port}/ok"

    error = fetch_error(make(), server.url("/redirect-to?url=" + quote(target)))

    assert error.reason == "ssrf"
    assert server.hits("/ok") == 0


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FaultServer, str]]:
    """An HTTPS fault server with a self-signed certificate for "news.test"; yields it and the cert path."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        + ["-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=news.test"]
        + ["-addext", "subjectAltName=DNS:news.test"],
        check=True,
        capture_output=True,
        timeout=30,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    with FaultServer(tls=context) as running:
        yield running, str(cert)


def test_https_connects_to_the_checked_address_and_verifies_the_host_name(
    tls_server: tuple[FaultServer, str], make: Callable[..., Fetcher], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, cert = tls_server
    fake_dns(monkeypatch, {"news.test": ["127.0.0.1"]})
    url = f"https://news.test:{server.port}/headers"
    fetcher = make(allow_hosts=("127.0.0.1", "news.test"))

    untrusted = fetch_error(fetcher, url)  # the system CAs do not know the test certificate
    monkeypatch.setattr(fetch, "_tls_context", lambda: ssl.create_default_context(cafile=cert))
    result = fetcher.fetch(url)
    wrong_name = fetch_error(fetcher, server.url("/ok"))  # the certificate names news.test, not 127.0.0.1

    assert (untrusted.reason, untrusted.transient) == ("network", False)
    assert "certificate" in str(untrusted)
    assert json.loads(result.body)["Host"] == f"news.test:{server.port}"
    assert (wrong_name.reason, wrong_name.transient) == ("network", False)


# -- redirects ----------------------------------------------------------------------------------------------


def test_relative_redirects_are_followed_up_to_the_limit(server: FaultServer, make: Callable[..., Fetcher]) -> None:
    result = make(max_redirects=5).fetch(server.url("/redirect-chain?n=5"))  # 301, 308, 307, 303, 302

    assert result.status == 200
    assert result.final_url == server.url("/redirect-chain?n=0")
    assert result.url == server.url("/redirect-chain?n=5")
    assert result.attempts == 6


def test_too_many_redirects(server: FaultServer, make: Callable[..., Fetcher]) -> None:
    error = fetch_error(make(max_redirects=5), server.url("/redirect-chain?n=6"))

    assert (error.reason, error.transient) == ("too_many_redirects", False)
    assert server.hits("/redirect-chain") == 6


def test_redirect_loop_is_detected(server: FaultServer, make: Callable[..., Fetcher]) -> None:
    error = fetch_error(make(), server.url("/redirect-loop"))

    assert error.reason == "redirect_loop"
    assert server.hits("/redirect-loop") == 1
    assert server.hits("/redirect-loop/b") == 1


def test_redirect_to_another_scheme_and_redirect_without_location(
    server: FaultServer, make: Callable[..., Fetcher]
) -> None:
    assert fetch_error(make(), server.url("/redirect-to?url=" + quote("file:///etc/passwd"))).reason == "bad_url"
    error = fetch_error(make(), server.url("/status/302"))
    assert (error.reason, error.status) == ("http", 302)
    assert "without a Location" in str(error)


# -- conditional GET ----------------------------------------------------------------------------------------


def test_conditional_get_returns_not_modified(server: FaultServer, make: Callable[..., Fetcher]) -> None:
    fetcher = make()
    url = server.url("/etag")

    first = fetcher.fetch(url)
    again = fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)
    by_date = fetcher.fetch(url, last_modified=LAST_MODIFIED)
    changed = fetcher.fetch(url, etag='"v0"')

    assert (first.status, first.etag, first.last_modified) == (200, ETAG, LAST_MODIFIED)
    assert again.not_modified
    assert (again.status, again.body, again.etag, again.last_modified) == (304, b"", ETAG, LAST_MODIFIED)
    assert by_date.not_modified
    assert changed.status == 200
    assert changed.body == ARTICLE


def test_not_modified_without_a_conditional_request_is_an_error(
    server: FaultServer, make: Callable[..., Fetcher]
) -> None:
    assert fetch_error(make(), server.url("/status/304")).status == 304


# -- retries ------------------------------------------------------------------------------------------------


def test_server_errors_are_retried_with_exponential_backoff_and_jitter(
    server: FaultServer, make: Callable[..., Fetcher], fake: FakeTime
) -> None:
    result = make(retries=3, backoff=0.5).fetch(server.url("/flaky?fail=2&key=backoff"))

    assert (result.status, result.attempts) == (200, 3)
    assert server.hits("/flaky") == 3
    assert len(fake.sleeps) == 2
    assert 0.25 <= fake.sleeps[0] <= 0.5  # backoff * 2**0, jittered down to half at most
    assert 0.5 <= fake.sleeps[1] <= 1.0  # backoff * 2**1


def test_gives_up_after_the_retries(server: FaultServer, make: Callable[..., Fetcher], fake: FakeTime) -> None:
    error = fetch_error(make(retries=2), server.url("/flaky?fail=10&key=give-up"))

    assert (error.reason, error.status, error.transient) == ("http", 500, True)
    assert "after 3 attempts" in str(error)
    assert server.hits("/flaky") == 3
    assert len(fake.sleeps) == 2


@pytest.mark.parametrize(
    ("status", "retried", "transient"),
    [
        (404, False, False),
        (403, False, False),
        (410, False, False),
        (408, True, True),
        (429, True, True),
        (500, True, True),
        (502, True, True),
        (503, True, True),
        (504, True, True),
        (501, False, True),
    ],
)
def test_which_statuses_are_retried(
    server: FaultServer, make: Callable[..., Fetcher], fake: FakeTime, status: int, retried: bool, transient: bool
) -> None:
    error = fetch_error(make(retries=2), server.url(f"/status/{status}"))

    assert (error.reason, error.status, error.transient) == ("http", status, transient)
    assert str(status) in str(error)
    assert server.hits(f"/status/{status}") == (3 if retried else 1)
    assert len(fake.sleeps) == (2 if retried else 0)


def test_retry_after_seconds_is_honoured_with_a_real_sleep(server: FaultServer) -> None:
    slept: list[float] = []
    policy = FetchPolicy(allow_hosts=("127.0.0.1",), per_host_delay=0, respect_robots=False)

    result = Fetcher(policy, sleep=recording_real_sleep(slept)).fetch(server.url("/retry-after?key=real"))

    assert (result.status, result.attempts) == (200, 2)
    assert slept == [1.0]
    assert server.hits("/retry-after") == 2


def test_retry_after_is_capped_and_accepts_an_http_date(
    server: FaultServer, make: Callable[..., Fetcher], fake: FakeTime
) -> None:
    in_30_s = quote(format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True))

    make().fetch(server.url("/retry-after?after=3600&key=cap"))
    make().fetch(server.url(f"/retry-after?after={in_30_s}&key=date"))

    assert fake.sleeps[0] == 60.0
    assert 25.0 <= fake.sleeps[1] <= 30.0


def test_parse_retry_after() -> None:
    now = datetime(2015, 10, 21, 7, 28, tzinfo=UTC)

    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now) == 30.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_timeout_is_transient_and_retried(server: FaultServer, make: Callable[..., Fetcher], fake: FakeTime) -> None:
    error = fetch_error(make(timeout=0.5, retries=1), server.url("/slow?delay=3"))

    assert (error.reason, error.transient) == ("timeout", True)
    assert "after 2 attempts" in str(error)
    assert server.hits("/slow") == 2
    assert len(fake.sleeps) == 1


def test_connection_refused_is_a_transient_network_error(make: Callable[..., Fetcher], fake: FakeTime) -> None:
    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    error = fetch_error(make(retries=1), f"http://127.0.0.1:{port}/")

    assert (error.reason, error.transient) == ("network", True)
    assert len(fake.sleeps) == 1


# -- politeness ---------------------------------------------------------------------------------------------


def test_requests_to_one_host_are_spaced_by_per_host_delay(
    server: FaultServer, make: Callable[..., Fetcher], fake: FakeTime
) -> None:
    fetcher = make(per_host_delay=0.2)

    fetcher.fetch(server.url("/ok"))
    fetcher.fetch(server.url("/ok"))

    assert fake.sleeps == [pytest.approx(0.2)]


def test_redirect_hops_and_retries_wait_their_turn(
    server: FaultServer, make: Callable[..., Fetcher], fake: FakeTime
) -> None:
    make(per_host_delay=0.2).fetch(server.url("/redirect-chain?n=2"))
    assert fake.sleeps == [pytest.approx(0.2), pytest.approx(0.2)]

    fake.sleeps.clear()
    make(per_host_delay=2.0, backoff=0.5).fetch(server.url("/flaky?fail=1&key=polite"))
    assert sum(fake.sleeps) == pytest.approx(2.0)  # backoff, then the rest of the host delay


def test_different_hosts_do_not_wait_for_each_other(
    server: FaultServer, make: Callable[..., Fetcher], fake: FakeTime
) -> None:
    fetcher = make(per_host_delay=5.0, allow_hosts=("127.0.0.1", "localhost"))

    fetcher.fetch(server.url("/ok"))
    fetcher.fetch(f"http://localhost:{server.port}/ok")

    assert fake.sleeps == []


def test_per_host_delay_with_the_real_clock(server: FaultServer) -> None:
    slept: list[float] = []
    policy = FetchPolicy(allow_hosts=("127.0.0.1",), per_host_delay=0.2, respect_robots=False)
    fetcher = Fetcher(policy, sleep=recording_real_sleep(slept))

    fetcher.fetch(server.url("/ok"))
    fetcher.fetch(server.url("/ok"))

    assert len(slept) == 1
    assert 0.0 < slept[0] <= 0.2


# -- robots.txt ---------------------------------------------------------------------------------------------


def test_robots_disallow_is_obeyed_without_requesting_the_page(
    server: FaultServer, make: Callable[..., Fetcher]
) -> None:
    error = fetch_error(make(respect_robots=True), server.url("/private/page"))

    assert (error.reason, error.transient) == ("robots", False)
    assert server.hits("/private/page") == 0
    assert server.hits("/robots.txt") == 1


def test_crawl_delay_spaces_requests_and_robots_is_fetched_once(
    server: FaultServer, make: Callable[..., Fetcher], fake: FakeTime
) -> None:
    fetcher = make(respect_robots=True, per_host_delay=0.2)

    fetcher.fetch(server.url("/ok"))
    fetcher.fetch(server.url("/ok"))

    assert fake.sleeps == [1.0, 1.0]  # Crawl-delay: 1 after robots.txt, then between the two pages
    assert server.hits("/robots.txt") == 1
    assert server.hits("/ok") == 2


def test_robots_groups_are_matched_on_our_user_agent(server: FaultServer, make: Callable[..., Fetcher]) -> None:
    server.configure_robots("User-agent: otherbot\nDisallow: /\n\nUser-agent: extract\nDisallow: /ok\n")
    fetcher = make(respect_robots=True)

    assert fetch_error(fetcher, server.url("/ok")).reason == "robots"
    assert fetcher.fetch(server.url("/private/page")).status == 200


def test_robots_wildcards_and_the_most_specific_rule_are_obeyed(
    server: FaultServer, make: Callable[..., Fetcher]
) -> None:
    """RFC 9309: ``*`` matches any characters, and the longest matching rule wins over the first listed."""
    server.configure_robots("User-agent: *\nDisallow: /private/\nAllow: /private/public\nDisallow: /*?print=\n")
    fetcher = make(respect_robots=True)

    assert fetcher.fetch(server.url("/private/public/page")).status == 200
    assert fetch_error(fetcher, server.url("/private/page")).reason == "robots"
    assert fetch_error(fetcher, server.url("/ok?print=1")).reason == "robots"
    assert fetcher.fetch(server.url("/ok")).status == 200


@pytest.mark.parametrize("status", [404, 410])
def test_missing_robots_allows_everything(server: FaultServer, make: Callable[..., Fetcher], status: int) -> None:
    server.configure_robots("User-agent: *\nDisallow: /\n", status=status)  # the body of an error is ignored

    assert make(respect_robots=True).fetch(server.url("/private/page")).status == 200


@pytest.mark.parametrize("status", [500, 503, 429])
def test_unavailable_robots_blocks_the_origin_for_the_run(
    server: FaultServer, make: Callable[..., Fetcher], status: int
) -> None:
    server.configure_robots("", status=status)
    fetcher = make(respect_robots=True, retries=3)

    first = fetch_error(fetcher, server.url("/ok"))
    second = fetch_error(fetcher, server.url("/ok"))

    assert (first.reason, first.transient) == ("robots", True)
    assert second.reason == "robots"
    assert server.hits("/robots.txt") == 1  # not retried, and remembered for the run
    assert server.hits("/ok") == 0


def test_robots_redirect_to_a_private_address_counts_as_unavailable(
    server: FaultServer, make: Callable[..., Fetcher], connections: list[str]
) -> None:
    server.configure_robots("", status=302, headers={"Location": "http://169.254.169.254/robots.txt"})

    error = fetch_error(make(respect_robots=True), server.url("/ok"))

    assert (error.reason, error.transient) == ("robots", True)
    assert "169.254.169.254" in str(error)
    assert server.hits("/ok") == 0


# -- size caps ----------------------------------------------------------------------------------------------


def test_declared_length_over_the_cap_is_rejected_before_reading(
    server: FaultServer, make: Callable[..., Fetcher]
) -> None:
    error = fetch_error(make(max_bytes=1_000_000), server.url("/huge"))

    assert (error.reason, error.transient) == ("too_large", False)
    assert "declares 50000000 bytes" in str(error)


def test_streamed_body_over_the_cap_is_aborted(server: FaultServer, make: Callable[..., Fetcher]) -> None:
    error = fetch_error(make(max_bytes=1_000_000), server.url("/huge?chunked=1"))

    assert error.reason == "too_large"
    assert "more than 1000000 bytes" in str(error)


@pytest.mark.parametrize("path", ["/truncated", "/truncated?chunked=1"])
def test_truncated_body_is_a_transient_network_error(
    server: FaultServer, make: Callable[..., Fetcher], path: str
) -> None:
    error = fetch_error(make(retries=1), server.url(path))

    assert (error.reason, error.transient) == ("network", True)
    assert "truncated" in str(error)
    assert server.hits("/truncated") == 2


def test_gzip_bomb_is_aborted_quickly_with_bounded_memory(server: FaultServer, make: Callable[..., Fetcher]) -> None:
    bomb = gzip_bomb()  # about 130 KB expanding to 128 MiB, built before measuring
    fetcher = make(max_decompressed_bytes=2_000_000)
    tracemalloc.start()
    try:
        error = fetch_error(fetcher, server.url("/gzip-bomb"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert (error.reason, error.transient) == ("decompression", False)
    assert "2000000 bytes" in str(error)
    assert len(bomb) < 200_000
    assert peak < 6_000_000  # the cap plus one inflate step and buffers, nowhere near 128 MiB


# -- ingest integration -------------------------------------------------------------------------------------


def test_wrong_charset_label_still_gives_readable_japanese(server: FaultServer, make: Callable[..., Fetcher]) -> None:
    result = make().fetch(server.url("/wrong-charset"))
    assert result.charset == "utf-8"  # the label lies: the bytes are Shift_JIS

    doc = document_from_fetch(result)

    assert doc.lang == "ja"
    assert all(paragraph in doc.text for paragraph in JAPANESE_PARAGRAPHS)
    assert doc.title == "停戦後の安全保障を協議"


def test_latin1_page_labelled_utf8_is_readable(server: FaultServer, make: Callable[..., Fetcher]) -> None:
    doc = document_from_fetch(make().fetch(server.url("/wrong-charset?page=latin1")))

    assert doc.lang == "en"
    assert LATIN1_SENTENCE in doc.text


def test_document_from_fetch_hashes_the_decoded_body(server: FaultServer, make: Callable[..., Fetcher]) -> None:
    result = make().fetch(server.url("/redirect-to?url=/gzip"))

    doc = document_from_fetch(result)

    assert doc.raw_sha256 == hashlib.sha256(ARTICLE).hexdigest()
    assert (doc.source, doc.url) == (server.url("/redirect-to?url=/gzip"), server.url("/gzip"))
    assert "harbour bridge reopened to traffic" in doc.text
    assert "Subscriber login" not in doc.text


def test_document_from_fetch_rejects_not_modified_and_binary_results() -> None:
    common = {"url": "https://news.test/a", "final_url": "https://news.test/a", "charset": None, "attempts": 1}
    not_modified = FetchResult(status=304, body=b"", media_type=None, etag='"v1"', last_modified=None, **common)
    png = FetchResult(status=200, body=b"\x89PNG\r\n\x1a\n", media_type=None, etag=None, last_modified=None, **common)

    with pytest.raises(InputError, match="not modified"):
        document_from_fetch(not_modified)
    with pytest.raises(InputError, match="PNG image"):
        document_from_fetch(png)


def test_load_fetches_with_the_given_fetcher(server: FaultServer, make: Callable[..., Fetcher]) -> None:
    doc = load(server.url("/redirect-chain?n=1"), fetcher=make())

    assert doc.url == server.url("/redirect-chain?n=0")
    assert doc.raw_sha256 == hashlib.sha256(ARTICLE).hexdigest()


def test_load_refuses_private_addresses_by_default(server: FaultServer) -> None:
    with pytest.raises(InputError, match="loopback") as info:
        load(server.url("/ok"))

    assert isinstance(info.value, FetchError)
    assert info.value.reason == "ssrf"
    assert server.hits() == 0


# -- a deadline for the whole request ----------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "&headers=1"])
def test_a_server_trickling_bytes_is_cut_off_at_the_request_deadline(
    server: FaultServer, make: Callable[..., Fetcher], query: str
) -> None:
    """Each byte comes well within ``timeout``, so only the deadline for the whole request stops it."""
    fetcher = make(timeout=2.0, deadline=0.6, retries=2)
    error = fetch_error(fetcher, server.url(f"/trickle?every=0.1&n=200{query}"))
    assert error.reason == "deadline" and error.transient
    assert "took longer than 0.6 s (deadline per request)" in str(error)
    assert server.hits("/trickle") == 1  # not retried: the next attempt would be held as long


# -- proxies ------------------------------------------------------------------------------------------------


class Proxy:
    """A forwarding HTTP proxy on 127.0.0.1 (absolute-form GET and CONNECT) that records what it was asked."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str | None]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                proxy.requests.append(("GET", self.path, self.headers.get("Proxy-Authorization")))
                parts = urlsplit(self.path)
                upstream = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
                upstream.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
                response = upstream.getresponse()
                body = response.read()
                self.send_response(response.status)
                for name, value in response.getheaders():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                upstream.close()

            def do_CONNECT(self) -> None:  # noqa: N802 - http.server API
                proxy.requests.append(("CONNECT", self.path, self.headers.get("Proxy-Authorization")))
                host, port = self.path.rsplit(":", 1)
                upstream = socket.create_connection((host, int(port)), timeout=5)
                self.send_response(200, "Connection established")
                self.end_headers()
                ends = [self.connection, upstream]
                deadline = time.monotonic() + 5
                while time.monotonic() < deadline:
                    readable, _, _ = select.select(ends, [], [], 0.2)
                    for end in readable:
                        data = end.recv(65536)
                        if not data:
                            upstream.close()
                            return
                        (upstream if end is self.connection else self.connection).sendall(data)
                upstream.close()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://user:pw@127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> Proxy:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_requests_go_through_the_proxy_with_hosts_checked_before_and_allow_hosts_applied(
    server: FaultServer, make: Callable[..., Fetcher]
) -> None:
    auth = "Basic " + base64.b64encode(b"user:pw").decode()
    with Proxy() as proxy:
        fetcher = make(http_proxy=proxy.url)
        assert fetcher.fetch(server.url("/ok")).status == 200
        assert proxy.requests == [("GET", server.url("/ok"), auth)]

        refused = fetch_error(fetcher, f"http://localhost:{server.port}/ok")  # not in allow_hosts: loopback
        assert refused.reason == "ssrf" and len(proxy.requests) == 1  # refused before the proxy was asked

        direct = make(http_proxy=proxy.url, no_proxy=("127.0.0.1",))
        assert direct.fetch(server.url("/ok")).status == 200 and len(proxy.requests) == 1


def test_https_goes_through_a_connect_tunnel_with_the_certificate_checked(
    tls_server: tuple[FaultServer, str], make: Callable[..., Fetcher], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, cert = tls_server
    fake_dns(monkeypatch, {"news.test": ["127.0.0.1"]})  # for the check here and for the proxy's own lookup
    monkeypatch.setattr(fetch, "_tls_context", lambda: ssl.create_default_context(cafile=cert))
    with Proxy() as proxy:
        fetcher = make(https_proxy=proxy.url, allow_hosts=("news.test",))
        result = fetcher.fetch(f"https://news.test:{server.port}/headers")
        assert json.loads(result.body)["Host"] == f"news.test:{server.port}"
        assert [(method, target) for method, target, _ in proxy.requests] == [("CONNECT", f"news.test:{server.port}")]


def test_proxies_are_read_from_the_environment() -> None:
    env = {"HTTPS_PROXY": "http://proxy.corp:3128", "http_proxy": "http://p:80", "NO_PROXY": "intra.example, .corp"}
    assert fetch.proxies_from_env(env) == {
        "http_proxy": "http://p:80",
        "https_proxy": "http://proxy.corp:3128",
        "no_proxy": ("intra.example", "corp"),
    }
    assert fetch.proxies_from_env({}) == {}
