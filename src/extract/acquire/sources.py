"""Sources for the nightly ingestion job: feeds, sitemaps, URL lists and folders, turned into items to ingest.

A config lists named sources (``parse_spec``); ``discover`` expands one into ``Item``s (absolute URLs or file
paths), newest first where dates are known. Feeds are read by feedparser, which tolerates the mistakes of real
feeds; sitemaps with ``defusedxml``; entity expansion and external entities are refused in both, and gzip
bodies are decompressed with a size cap, so hostile input fails as ``SourceError``.
"""

from __future__ import annotations

import codecs
import gzip
import io
import logging
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET
import feedparser

from extract.acquire.read import is_url, iter_sources
from extract.errors import Error, ExtractError

__all__ = ["KINDS", "Item", "SourceError", "SourceSpec", "canonical_url", "discover", "parse_spec"]

logger = logging.getLogger(__name__)

KINDS = ("feed", "sitemap", "urls", "folder")
OPTION_KEYS = ("max_items", "published")
MAX_BODY_BYTES = 50 * 1024 * 1024  # the sitemap protocol's limit for one (uncompressed) file
MAX_SITEMAP_DEPTH = 3  # sitemap indexes nested deeper than this are refused
GZIP_MAGIC = b"\x1f\x8b"
DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid"})
TRACKING_PREFIXES = ("utm_",)
EXPAT_ENCODINGS = frozenset({"utf-8", "utf-16", "ascii", "latin-1", "iso8859-1"})
XML_DECLARED_ENCODING = re.compile(rb"""^(\xef\xbb\xbf)?(<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._-]+)(["'])""")
SNIFF_XML_BYTES = 4096
ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


class SourceError(Error, ValueError):
    """A source cannot be read or understood: bad config, fetch failure, malformed or hostile content.

    ``reason`` and ``transient`` are recorded in the ``errors`` table: a fetch failure keeps the fetcher's
    ("ssrf", "timeout", "http", …); otherwise "bad_source", "unreadable", "too_large", "decompression",
    "unsafe_xml" or "malformed_xml".
    """

    def __init__(self, source: str, problem: str, reason: str = "bad_source", transient: bool = False) -> None:
        self.source = source
        self.problem = problem
        self.reason = reason
        self.transient = transient
        super().__init__(f"source {source!r}: {problem}")


@dataclass(frozen=True)
class SourceSpec:
    """One named source from the config."""

    name: str
    kind: str  # one of KINDS
    location: str  # URL or local path (relative paths are taken from the config file's folder)
    max_items: int | None = None  # newest first where dates are known
    published: date | None = None  # default publication date for items without one


@dataclass(frozen=True)
class Item:
    """One URL or file to ingest."""

    target: str  # absolute (canonical) URL or file path
    source: str  # SourceSpec.name
    published: date | None
    title: str | None = None


# --- config -----------------------------------------------------------------------------------------------------


def parse_spec(name: str, table: dict) -> SourceSpec:
    """Build a ``SourceSpec`` from a TOML table such as ``{"feed": "https://...", "max_items": 20}``.

    Exactly one of the keys ``feed``, ``sitemap``, ``urls``, ``folder`` gives the kind and location; ``max_items``
    (positive integer) and ``published`` (``"YYYY-MM-DD"`` or a TOML date) are optional. Anything else raises
    ``SourceError`` (a ``ValueError``) naming the source.
    """
    if not isinstance(table, dict):
        raise SourceError(name, f"expected a table, got {type(table).__name__}")
    unknown = sorted(set(table) - set(KINDS) - set(OPTION_KEYS))
    if unknown:
        allowed = ", ".join((*KINDS, *OPTION_KEYS))
        raise SourceError(name, f"unknown key(s) {', '.join(unknown)} (allowed: {allowed})")
    kinds = [kind for kind in KINDS if kind in table]
    if len(kinds) != 1:
        found = ", ".join(kinds) if kinds else "none"
        raise SourceError(name, f"expected exactly one of {', '.join(KINDS)}; found {found}")
    kind = kinds[0]
    location = table[kind]
    if not isinstance(location, str) or not location.strip():
        raise SourceError(name, f"{kind} must be a non-empty string (URL or path)")
    return SourceSpec(
        name=name,
        kind=kind,
        location=location.strip(),
        max_items=_parse_max_items(name, table.get("max_items")),
        published=_parse_published(name, table.get("published")),
    )


def _parse_max_items(name: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SourceError(name, f"max_items must be a positive integer, got {value!r}")
    return value


def _parse_published(name: str, value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise SourceError(name, f"published must be a date YYYY-MM-DD, got {value!r}")


# --- discovery --------------------------------------------------------------------------------------------------


def discover(spec: SourceSpec, get: Callable[[str], bytes], *, base_dir: Path | None = None) -> list[Item]:
    """Expand ``spec`` into the items to ingest, newest first where dates are known, at most ``max_items``.

    ``get(url)`` returns the body of a URL (the caller's polite fetcher). Local paths are read relative to
    ``base_dir`` (the config file's folder; the working directory when ``None``). URLs are canonicalised
    (``canonical_url``) and de-duplicated, the first occurrence winning. Raises ``SourceError``.
    """
    reader = _Reader(spec, get, base_dir)
    if spec.kind == "feed":
        items = _feed_items(reader)
    elif spec.kind == "sitemap":
        items = _sitemap_items(reader)
    elif spec.kind == "urls":
        items = _url_list_items(reader)
    elif spec.kind == "folder":
        items = _folder_items(reader)
    else:
        raise SourceError(spec.name, f"unknown kind {spec.kind!r} (expected one of {', '.join(KINDS)})")
    items = [replace(item, published=item.published or spec.published) for item in _dedupe(items)]
    return newest_first(items)[: spec.max_items]


def newest_first(items: Iterable[Item]) -> list[Item]:
    """Sort dated items newest first, undated ones after them; ties keep their original order."""
    return sorted(items, key=lambda item: (item.published is None, -(item.published or date.min).toordinal()))


def _dedupe(items: Iterable[Item]) -> list[Item]:
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.target not in seen:
            seen.add(item.target)
            unique.append(item)
    return unique


@dataclass(frozen=True)
class _Reader:
    """Reads the bodies of one source's location and of the URLs it points to, with size limits."""

    spec: SourceSpec
    get: Callable[[str], bytes]
    base_dir: Path | None

    def fail(self, problem: str, reason: str = "bad_source", transient: bool = False) -> SourceError:
        return SourceError(self.spec.name, problem, reason, transient)

    def location_is_url(self) -> bool:
        return is_url(self.spec.location)

    def local_path(self) -> Path:
        path = Path(self.spec.location).expanduser()
        return path if path.is_absolute() or self.base_dir is None else self.base_dir / path

    def read_location(self) -> bytes:
        """The body of the spec's location, fetched or read from disk, gzip-decompressed when compressed."""
        if self.location_is_url():
            return self.fetch(self.spec.location)
        path = self.local_path()
        try:
            if path.stat().st_size > MAX_BODY_BYTES:
                raise self.fail(f"{path} is too large (more than {MAX_BODY_BYTES} bytes)", "too_large")
            body = path.read_bytes()
        except OSError as exc:
            raise self.fail(f"cannot read {path}: {exc.strerror or exc}", "unreadable", True) from exc
        return self.decompress(body, str(path))

    def fetch(self, url: str) -> bytes:
        """``get(url)``, with any failure reported as ``SourceError``, then gzip-decompressed when compressed."""
        try:
            body = self.get(url)
        except Exception as exc:  # the caller's fetcher may raise anything: report it against this source
            reason, transient = getattr(exc, "reason", "network"), getattr(exc, "transient", True)
            raise self.fail(f"cannot fetch {url}: {exc}", reason, transient) from exc
        if not isinstance(body, bytes | bytearray):
            raise self.fail(f"fetching {url} returned {type(body).__name__}, not bytes")
        if len(body) > MAX_BODY_BYTES:
            raise self.fail(f"{url} is too large (more than {MAX_BODY_BYTES} bytes)", "too_large")
        return self.decompress(bytes(body), url)

    def decompress(self, body: bytes, where: str) -> bytes:
        """Gunzip ``body`` when it starts with the gzip magic, refusing more than ``MAX_BODY_BYTES`` of output."""
        if not body.startswith(GZIP_MAGIC):
            return body
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
                data = stream.read(MAX_BODY_BYTES + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise self.fail(f"corrupt gzip data in {where}: {exc}", "decompression") from exc
        if len(data) > MAX_BODY_BYTES:
            raise self.fail(f"{where} decompresses to more than {MAX_BODY_BYTES} bytes (gzip bomb?)", "decompression")
        return data

    def refuse_unsafe_xml(self, body: bytes, where: str) -> None:
        """Raise for DTD entities and external references; malformed XML is left to a tolerant parser."""
        try:
            SafeET.fromstring(_expat_compatible(body))
        except defusedxml.DefusedXmlException as exc:
            raise self.fail(f"unsafe XML in {where}: {exc}", "unsafe_xml") from exc
        except (ParseError, ValueError, LookupError):
            pass

    def parse_xml(self, body: bytes, where: str) -> Element:
        """Parse XML safely: DTD entities and external references are refused, errors become ``SourceError``."""
        try:
            return SafeET.fromstring(_expat_compatible(body))
        except defusedxml.DefusedXmlException as exc:
            raise self.fail(f"unsafe XML in {where}: {exc}", "unsafe_xml") from exc
        except (ParseError, ValueError, LookupError) as exc:
            raise self.fail(f"malformed XML in {where}: {exc}", "malformed_xml") from exc


def _expat_compatible(body: bytes) -> bytes:
    """Re-encode XML declared in an encoding expat cannot read (Shift_JIS, EUC-JP, ...) as UTF-8."""
    match = XML_DECLARED_ENCODING.match(body)
    if not match:
        return body
    encoding = codecs.lookup(match.group(3).decode("ascii")).name  # LookupError for unknown encodings
    if encoding in EXPAT_ENCODINGS:
        return body
    text = body[match.end() :].decode(encoding)  # UnicodeDecodeError is a ValueError
    return match.group(2) + b"utf-8" + match.group(4) + text.encode("utf-8")


# --- XML helpers ------------------------------------------------------------------------------------------------


def _local(tag: object) -> str:
    """Tag name without its namespace: ``{http://www.w3.org/2005/Atom}entry`` → ``entry``."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _text(element: Element | None) -> str | None:
    """All the text inside ``element``, stripped; ``None`` when empty or missing."""
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


def _child_text(element: Element, *names: str) -> str | None:
    """Text of the first non-empty child named one of ``names`` (tried in that order)."""
    for name in names:
        for child in _children(element, name):
            text = _text(child)
            if text:
                return text
    return None


def _find_descendant(element: Element, name: str) -> Element | None:
    return next((node for node in element.iter() if _local(node.tag) == name), None)


def parse_date(value: str | None) -> date | None:
    """Date of an RFC 822 (``pubDate``) or ISO 8601 / W3C (``updated``, ``dc:date``, ``lastmod``) timestamp.

    The calendar date is taken as written (in the timestamp's own time zone); unparseable values give ``None``.
    """
    if not value:
        return None
    match = ISO_DATE.match(value)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(value.strip()).date()
    except (TypeError, ValueError, IndexError):
        return None


# --- feeds ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    link: str | None
    published: date | None
    title: str | None


def _feed_items(reader: _Reader) -> list[Item]:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, links resolved against the feed URL.

    feedparser reads the bytes the fetcher got (it fetches nothing itself) and tolerates what real feeds get
    wrong (an unescaped ``&``, a tag left open); entity tricks are refused first with defusedxml, as they are
    where the XML is well-formed.
    """
    where = reader.spec.location
    body = reader.read_location()
    reader.refuse_unsafe_xml(body, where)
    parsed = feedparser.parse(body, resolve_relative_uris=False, sanitize_html=False)
    if not parsed.version:
        if parsed.entries:  # not recognisably RSS or Atom, but it lists entries: take them
            logger.warning("source %r: %s is not quite RSS or Atom; reading its entries", reader.spec.name, where)
        else:
            raise reader.fail(f"{where} is not an RSS or Atom feed (root element <{_root_name(body)}>)", "not_a_feed")
    rss = parsed.version.startswith("rss")
    entries = [
        _Entry(
            link=_entry_link(entry, rss),
            published=parse_date(entry.get("published") or entry.get("updated")),
            title=entry.get("title"),
        )
        for entry in parsed.entries
    ]
    base = where if reader.location_is_url() else parsed.feed.get("link")
    return [item for entry in entries if (item := _entry_item(reader, entry, base)) is not None]


def _entry_link(entry: dict, rss: bool) -> str | None:
    """The entry's alternate link; in RSS, else its permalink ``guid`` (or RSS 1.0's ``rdf:about``)."""
    for link in entry.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"].strip()
    if rss and entry.get("guidislink") is not False and entry.get("id"):
        return entry["id"].strip()
    return None


def _root_name(body: bytes) -> str:
    """The name of the first element of an XML or HTML document, for messages."""
    match = re.search(rb"<([A-Za-z][\w:.-]*)", re.sub(rb"<[?!][^>]*>", b"", body[:SNIFF_XML_BYTES]))
    return match.group(1).decode("ascii", "replace") if match else "?"


def _entry_item(reader: _Reader, entry: _Entry, base: str | None) -> Item | None:
    """The entry's ``Item``, or ``None`` (logged) when it has no usable http(s) link."""
    link = urljoin(base, entry.link) if base and entry.link else entry.link
    if not link or not _is_http_url(link):
        logger.warning("source %r: skipping feed entry %r: no absolute http(s) link", reader.spec.name, entry.title)
        return None
    return Item(target=canonical_url(link), source=reader.spec.name, published=entry.published, title=entry.title)


# --- sitemaps ---------------------------------------------------------------------------------------------------


def _sitemap_items(reader: _Reader) -> list[Item]:
    """Items of a ``urlset`` or of a ``sitemapindex`` whose child sitemaps are fetched (each once), the newest
    (by ``lastmod``) first, and only until ``max_items`` items are found: a large site's index lists hundreds."""
    location = reader.spec.location
    seen = {canonical_url(location)} if reader.location_is_url() else set()
    return _walk_sitemap(reader, reader.read_location(), location, depth=0, seen=seen)


def _walk_sitemap(reader: _Reader, body: bytes, where: str, *, depth: int, seen: set[str]) -> list[Item]:
    root = reader.parse_xml(body, where)
    kind = _local(root.tag)
    base = where if is_url(where) else None
    if kind == "urlset":
        return [item for url in _children(root, "url") if (item := _sitemap_url(reader, url, base)) is not None]
    if kind != "sitemapindex":
        raise reader.fail(f"{where} is not a sitemap (root element <{kind}>, expected <urlset> or <sitemapindex>)")
    if depth >= MAX_SITEMAP_DEPTH:
        raise reader.fail(f"{where}: sitemap indexes nested more than {MAX_SITEMAP_DEPTH} deep")
    children = []
    for child in _children(root, "sitemap"):
        loc = _child_text(child, "loc")
        url = urljoin(base, loc) if base and loc else loc
        if not url or not _is_http_url(url):
            raise reader.fail(f"{where}: child sitemap location {loc!r} is not an absolute http(s) URL")
        children.append((url, parse_date(_child_text(child, "lastmod"))))
    items: list[Item] = []
    for url, _ in sorted(children, key=lambda c: (c[1] is None, -(c[1] or date.min).toordinal())):
        if reader.spec.max_items is not None and len(_dedupe(items)) >= reader.spec.max_items:
            break  # enough: the children left are older (or undated)
        key = canonical_url(url)
        if key in seen:
            continue
        seen.add(key)
        items += _walk_sitemap(reader, reader.fetch(url), url, depth=depth + 1, seen=seen)
    return items


def _sitemap_url(reader: _Reader, url: Element, base: str | None) -> Item | None:
    """A ``urlset/url`` entry: ``loc``, ``lastmod`` (else a Google News ``publication_date``) and news title."""
    loc = _child_text(url, "loc")
    target = urljoin(base, loc) if base and loc else loc
    if not target or not _is_http_url(target):
        logger.warning("source %r: skipping sitemap entry %r: not an absolute http(s) URL", reader.spec.name, loc)
        return None
    news = _find_descendant(url, "news")
    published = parse_date(_child_text(url, "lastmod"))
    if published is None and news is not None:
        published = parse_date(_child_text(news, "publication_date"))
    title = _child_text(news, "title") if news is not None else None
    return Item(target=canonical_url(target), source=reader.spec.name, published=published, title=title)


# --- URL lists and folders --------------------------------------------------------------------------------------


def _url_list_items(reader: _Reader) -> list[Item]:
    """One http(s) URL per line; blank lines and ``#`` comments are skipped, other lines are skipped with a
    warning naming them (one typo must not drop the whole list); a list with no URL at all is an error."""
    try:
        text = reader.read_location().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise reader.fail(f"{reader.spec.location} is not UTF-8 text: {exc}") from exc
    urls: list[str] = []
    bad: list[int] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if _is_http_url(line) and not any(char.isspace() for char in line):
            urls.append(line)
        else:
            bad.append(number)
    if bad:
        lines = ", ".join(map(str, bad))
        if not urls:
            raise reader.fail(f"{reader.spec.location}: not an http(s) URL on line(s) {lines}")
        logger.warning(
            "source %r: %s: skipped line(s) %s: not an http(s) URL", reader.spec.name, reader.spec.location, lines
        )
    return [Item(target=canonical_url(url), source=reader.spec.name, published=None) for url in urls]


def _folder_items(reader: _Reader) -> list[Item]:
    """The .html, .htm, .txt and .md files under a local folder (``extract.acquire.read.iter_sources``)."""
    if reader.location_is_url():
        raise reader.fail(f"folder must be a local path, not a URL: {reader.spec.location}")
    path = reader.local_path()
    if not path.is_dir():
        raise reader.fail(f"{path} is not a folder")
    try:
        files = iter_sources(str(path))
    except (ExtractError, OSError) as exc:
        raise reader.fail(f"cannot list {path}: {exc}") from exc
    return [Item(target=file, source=reader.spec.name, published=None) for file in files]


# --- URLs -------------------------------------------------------------------------------------------------------


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def canonical_url(url: str) -> str:
    """Canonical form of a URL, used as the item target and for de-duplication.

    Lower-cases the scheme and host, drops credentials, default ports, the fragment and tracking parameters (``utm_*``,
    ``fbclid``, ``gclid``, ``mc_cid``, ``mc_eid``), sorts the remaining query parameters (their encoding is kept
    as is) and turns an empty path into ``/``. Raises ``ValueError`` for an invalid port.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    netloc = _canonical_netloc(parts.netloc, scheme, parts.hostname, parts.port)
    path = parts.path or ("/" if netloc else "")
    return urlunsplit((scheme, netloc, path, _canonical_query(parts.query), ""))


def _canonical_netloc(netloc: str, scheme: str, hostname: str | None, port: int | None) -> str:
    """Host and non-default port; credentials (``user:secret@``) are dropped: the fetcher never sends them."""
    if not netloc:
        return ""
    host = hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and DEFAULT_PORTS.get(scheme) != port:
        host = f"{host}:{port}"
    return host


def _canonical_query(query: str) -> str:
    pairs = [pair for pair in query.split("&") if pair and not _is_tracking(pair)]
    return "&".join(sorted(pairs, key=lambda pair: tuple(pair.partition("=")[::2])))


def _is_tracking(pair: str) -> bool:
    key = unquote_plus(pair.partition("=")[0]).lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)
