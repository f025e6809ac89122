"""Turn URLs, files and folders into ``Document``s.

Read or fetch, reject unusable input, decode, extract the main text and metadata, detect the language.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import trafilatura
from trafilatura.metadata import extract_metadata
from trafilatura.utils import detect_encoding

from extract.acquire.fetch import Fetcher, FetchPolicy, FetchResult, proxies_from_env
from extract.acquire.langid import require_supported
from extract.errors import InputError
from extract.model import Document
from extract.urls import without_credentials

logger = logging.getLogger(__name__)

SOURCE_SUFFIXES = (".html", ".htm", ".txt", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".md", ".text", ".markdown")
HTML_MEDIA_TYPES = ("text/html", "application/xhtml+xml")
TEXT_MEDIA_TYPES = ("text/plain", "text/markdown")
SNIFF_MEDIA_TYPES = (None, "application/octet-stream")  # unknown: decide from the content
MAX_TITLE_CHARS = 200
SNIFF_BYTES = 4096
LEGACY_ENCODINGS = ("cp932", "euc_jp")  # tried strictly when detection finds nothing

BINARY_SIGNATURES = {
    b"\x89PNG": "PNG image",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive or Office document",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "executable",
}
UNICODE_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
HTML_SNIFF = re.compile(rb"<(!doctype\s+html|html|head|body|p|div|article|title|meta)[\s>/]", re.IGNORECASE)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Raw:
    """Bytes as read or fetched, with what the transport said about them."""

    body: bytes  # after gzip decompression: raw_sha256 is computed on these bytes
    media_type: str | None  # from the HTTP Content-Type header
    charset: str | None  # from the HTTP Content-Type header
    url: str | None  # final URL after redirects (HTTP only)


@dataclass(frozen=True)
class _Extracted:
    """Main text and metadata taken from the decoded content."""

    text: str
    title: str | None
    published: date | None
    site: str | None
    url: str | None


def is_url(target: str) -> bool:
    """True for http(s) URLs."""
    return urlsplit(target).scheme in ("http", "https")


def iter_sources(target: str) -> list[str]:
    """Expand ``target`` (URL, file or folder) into the list of sources to load.

    Folders are walked recursively for *.html, *.htm, *.txt and *.md files (sorted; hidden ones, and links to
    files outside the folder, skipped).
    Files given directly are returned whatever their type: ``load`` decides whether they are usable.
    """
    if is_url(target):
        return [target]
    root = Path(target)
    if not root.exists():
        raise InputError(target, "no such file or directory", "not_found")
    if not root.is_dir():
        return [target]
    inside = root.resolve()
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in SOURCE_SUFFIXES:
            continue
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if not path.resolve().is_relative_to(inside):  # a link out of the folder (to /etc/passwd, say)
            logger.warning("%s: skipped: a link to %s, outside the folder", path, path.resolve())
            continue
        found.append(str(path))
    return found


def load(
    source: str,
    *,
    fetcher: Fetcher | None = None,
    timeout: float = 20.0,
    max_bytes: int = 10_000_000,
    published: date | None = None,
) -> Document:
    """Read or fetch ``source`` and return its extracted main text as a ``Document``.

    URLs are fetched with ``fetcher``, by default a polite one shared by all calls with the same ``timeout``
    and ``max_bytes``: robots.txt respected, loopback and private addresses refused (see ``extract.acquire.fetch``).
    ``max_bytes`` caps the size of a file and the decoded body of a fetched page.
    Raises ``InputError`` for unusable input (``FetchError``, a subclass, when fetching fails) and
    ``LanguageError`` when the language is not supported.
    ``published``, when given, overrides any date found in the content.
    """
    if is_url(source):
        raw = _fetch(source, fetcher or _default_fetcher(timeout, max_bytes), max_bytes)
    else:
        raw = _read_file(source, max_bytes)
    return _document(source, raw, published)


def document_from_fetch(result: FetchResult, *, published: date | None = None) -> Document:
    """Build the ``Document`` from an already fetched page (e.g. after a conditional GET).

    Same checks as ``load``: binary, empty, no main text, language. A 304 result has no body to extract.
    """
    if result.not_modified:
        raise InputError(result.url, "not modified (HTTP 304): no body to extract", "not_modified")
    return _document(result.url, _raw_from_fetch(result), published)


def _document(source: str, raw: Raw, published: date | None) -> Document:
    try:
        return _checked_document(source, raw, published)
    except InputError as exc:
        exc.raw_sha256 = hashlib.sha256(raw.body).hexdigest()  # the same bytes will fail the same way
        raise


def _checked_document(source: str, raw: Raw, published: date | None) -> Document:
    _reject_binary(raw.body, source)
    content_type = _content_type(source, raw)
    decoded, warnings = decode(raw, source, content_type)
    if not decoded.strip():
        raise InputError(source, f"empty: only whitespace ({len(raw.body)} bytes)", "empty")
    if content_type == "text/html":
        extracted = _extract_html(decoded, source, raw.url)
    else:
        extracted = _extract_plain(decoded, raw.url)
    lang, lang_score = require_supported(extracted.text, source)
    return Document(
        source=without_credentials(source),
        url=without_credentials(extracted.url) if extracted.url else None,
        raw_sha256=hashlib.sha256(raw.body).hexdigest(),
        text=extracted.text,
        title=extracted.title,
        published=published or extracted.published,
        site=extracted.site,
        lang=lang,
        lang_score=lang_score,
        content_type=content_type,
        warnings=warnings,
    )


@functools.cache
def _default_fetcher(timeout: float, max_bytes: int) -> Fetcher:
    """One fetcher per setting, shared between calls so per-host delays and robots.txt rules carry over."""
    policy = FetchPolicy(timeout=timeout, max_bytes=max_bytes, max_decompressed_bytes=max_bytes, **proxies_from_env())
    return Fetcher(policy)


def _fetch(url: str, fetcher: Fetcher, max_bytes: int) -> Raw:
    """GET ``url`` with ``fetcher`` (redirects, retries, decompression, caps) and enforce ``max_bytes``."""
    raw = _raw_from_fetch(fetcher.fetch(url))
    _check_size(raw.body, max_bytes, url)
    return raw


def _raw_from_fetch(result: FetchResult) -> Raw:
    return Raw(body=result.body, media_type=result.media_type, charset=result.charset, url=result.final_url)


def _check_size(body: bytes, max_bytes: int, source: str) -> None:
    if len(body) > max_bytes:
        raise InputError(source, f"too large (more than {max_bytes} bytes)", "too_large")


def _read_file(source: str, max_bytes: int) -> Raw:
    path = Path(source)
    if not path.exists():
        raise InputError(source, "no such file", "not_found")
    if path.is_dir():
        raise InputError(source, "is a directory, not a file", "not_found")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(source, f"too large ({size} bytes, limit {max_bytes})", "too_large")
        body = path.read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot read file: {exc.strerror or exc}", "unreadable", True) from exc
    return Raw(body=body, media_type=None, charset=None, url=None)


def _bom_encoding(body: bytes) -> str | None:
    return next((encoding for bom, encoding in UNICODE_BOMS if body.startswith(bom)), None)


def _reject_binary(body: bytes, source: str) -> None:
    """Raise for empty input and for data that is obviously not text (known magic numbers, NUL bytes anywhere
    outside UTF-16/32 text)."""
    if not body:
        raise InputError(source, f"empty {'response' if is_url(source) else 'file'} (0 bytes)", "empty")
    for magic, kind in BINARY_SIGNATURES.items():
        if body.startswith(magic):
            raise InputError(source, f"binary data ({kind}), not HTML or text", "binary")
    if b"\x00" in body and not _bom_encoding(body) and not _utf16_without_bom(body):
        raise InputError(source, "binary data (contains NUL bytes), not HTML or text", "binary")


def _utf16_without_bom(body: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when ``body`` reads as UTF-16 text without a byte order mark: NUL bytes on
    one side of the byte pairs only (the high bytes of ASCII characters), and the whole decodes to text."""
    if len(body) % 2:
        return None
    even, odd = body[0::2].count(0), body[1::2].count(0)
    if even and odd or even == odd:
        return None
    encoding = "utf-16-le" if odd else "utf-16-be"
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        return None
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text)
    return encoding if printable >= 0.98 * len(text) else None


def _content_type(source: str, raw: Raw) -> str:
    """Decide "text/html" or "text/plain" from the HTTP header, then the file extension, then the content."""
    if raw.media_type in HTML_MEDIA_TYPES:
        return "text/html"
    if raw.media_type in TEXT_MEDIA_TYPES:
        return "text/plain"
    if raw.media_type not in SNIFF_MEDIA_TYPES:
        raise InputError(source, f"unsupported content type {raw.media_type!r}, expected HTML or text", "content_type")
    suffix = Path(urlsplit(source).path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "text/html"
    if suffix in TEXT_SUFFIXES:
        return "text/plain"
    return "text/html" if HTML_SNIFF.search(raw.body[:SNIFF_BYTES]) else "text/plain"


def decode(raw: Raw, source: str, content_type: str) -> tuple[str, tuple[str, ...]]:
    """Decode using the BOM (or the shape of UTF-16 without one), the declared charset (header or <meta>),
    UTF-8; then UTF-8 with the few bytes it cannot decode replaced (a stray byte in a UTF-8 text, with a
    warning), charset detection and the legacy Japanese encodings, a decoding with kana winning (detection
    takes short EUC-JP for Korean, and can miss short Shift_JIS texts)."""
    candidates = [_bom_encoding(raw.body) or _utf16_without_bom(raw.body), raw.charset]
    if content_type == "text/html":
        declared = META_CHARSET.search(raw.body[:SNIFF_BYTES])
        candidates.append(declared.group(1).decode("ascii") if declared else None)
    candidates.append("utf-8")
    for encoding in filter(None, candidates):
        try:
            return raw.body.decode(encoding), ()
        except (LookupError, UnicodeDecodeError):
            continue
    repaired = _mostly_utf8(raw.body)
    if repaired is not None:
        return repaired
    decodings = []
    for encoding in dict.fromkeys([*detect_encoding(raw.body), *LEGACY_ENCODINGS]):
        try:
            decodings.append(raw.body.decode(encoding))
        except (LookupError, UnicodeDecodeError):
            continue
    if decodings:
        return next((text for text in decodings if _has_kana(text)), decodings[0]), ()
    raise InputError(source, "cannot decode: binary data or unknown text encoding", "undecodable")


MAX_BAD_UTF8_SHARE = 0.01  # of the characters (one is always allowed): more is not UTF-8 with stray bytes
MIN_GOOD_PER_BAD_UTF8 = 4  # well-formed multi-byte characters per undecodable byte


def _mostly_utf8(body: bytes) -> tuple[str, tuple[str, ...]] | None:
    """UTF-8 with the undecodable bytes replaced by U+FFFD, and a warning, when they are a few among many
    well-formed multi-byte characters; None for text in another encoding (Latin-1 or Shift_JIS read as
    UTF-8 is mostly undecodable)."""
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - body.count("\ufffd".encode())
    good = sum(1 for ch in text if ch > "\x7f") - text.count("\ufffd")
    if bad > max(1.0, MAX_BAD_UTF8_SHARE * len(text)) or good < MIN_GOOD_PER_BAD_UTF8 * bad:
        return None
    return text, (f"{bad} undecodable byte sequence(s) replaced with U+FFFD (decoded as UTF-8)",)


def _has_kana(text: str) -> bool:
    """Hiragana or katakana in more than a twentieth of the non-ASCII characters: the text is Japanese."""
    wide = [ch for ch in text if ch > "\x7f"]
    kana = sum("\u3040" <= ch <= "\u30ff" for ch in wide)
    return bool(wide) and kana > len(wide) / 20


def normalise_text(text: str) -> str:
    """Unify newlines, strip trailing whitespace, collapse runs of blank lines to one; characters are kept."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _trafilatura_text(html: str, url: str | None, **mode: bool) -> str:
    text = trafilatura.extract(
        html, url=url, output_format="txt", include_comments=False, include_tables=True, with_metadata=False, **mode
    )
    return text or ""


def main_text(html: str, url: str | None) -> str:
    """Main text, favouring recall; but short pages make trafilatura fall back to a baseline extractor
    that joins all paragraphs (and bylines) into one line, so then take the precise extraction when it
    keeps the paragraphs and most of the text."""
    text = _trafilatura_text(html, url, favor_recall=True)
    if "\n" in text.strip():
        return text
    precise = _trafilatura_text(html, url, favor_precision=True)
    if "\n" in precise.strip() and len(precise) >= 0.8 * len(text):
        return precise
    return text


def _extract_html(html: str, source: str, fetched_url: str | None) -> _Extracted:
    text = normalise_text(main_text(html, fetched_url))
    if not text:
        raise InputError(source, "HTML has no extractable main text", "no_main_text")
    metadata = extract_metadata(html, default_url=fetched_url)
    url = fetched_url or metadata.url
    return _Extracted(
        text=text,
        title=_clean_title(metadata.title),
        published=_parse_date(metadata.date),
        site=metadata.sitename or _hostname(url),
        url=url,
    )


def _extract_plain(decoded: str, fetched_url: str | None) -> _Extracted:
    text = normalise_text(decoded)
    return _Extracted(
        text=text,
        title=_clean_title(_plain_title(text)),
        published=None,
        site=_hostname(fetched_url),
        url=fetched_url,
    )


_BYLINE = re.compile(r"^(?:by|BY|By)\s|^(?:文|写真)[:：]")


def _plain_title(text: str) -> str:
    """The first line that reads like a headline: not a short section label ("Research") or a byline."""
    lines = [line.strip().lstrip("# ") for line in text.split("\n") if line.strip()]
    for line in lines[:10]:
        long_enough = len(line) >= (12 if line.isascii() else 6)
        if long_enough and not _BYLINE.match(line):
            return line
    return lines[0]


def _clean_title(title: str | None) -> str | None:
    title = re.sub(r"[ \t\r\n]+", " ", title or "").strip()  # full-width spaces are kept
    return title[:MAX_TITLE_CHARS] or None


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _hostname(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None
