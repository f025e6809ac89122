"""Ingestion: real files, a real local HTTP server, and the inputs that must be rejected."""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from extract.acquire.fetch import Fetcher, FetchPolicy
from extract.acquire.langid import detect_language, require_supported
from extract.acquire.read import iter_sources, load
from extract.errors import InputError, LanguageError
from extract.ids import document_key

REPO_ROOT = Path(__file__).resolve().parents[1]
JA_SEED = REPO_ROOT.parent / "shared" / "seeds" / "ft-derived-ja-security-guarantees.txt"

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Harbour Bridge Reopens | Coastal Herald</title>
  <meta property="og:title" content="Harbour bridge reopens after two years of repairs">
  <meta property="og:site_name" content="Coastal Herald">
  <meta property="article:published_time" content="2025-03-04T08:30:00Z">
  <link rel="canonical" href="https://news.example.com/2025/03/harbour-bridge-reopens">
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li>
  <li><a href="/sport">Sport section</a></li><li><a href="/login">Subscriber login</a></li></ul></nav>
  <article>
    <h1>Harbour bridge reopens after two years of repairs</h1>
    <p>The harbour bridge reopened to traffic on Monday morning after two years of repairs that cost
    the city far more than originally planned, officials said at a ceremony attended by residents.</p>
    <p>The mayor told reporters that the new deck would carry twice as many buses as before and that a
    separate lane for bicycles would open in the summer once the remaining safety checks are complete.</p>
    <p>Local shop owners, who had complained for months about falling sales during the closure, welcomed
    the news but said they would wait to see whether customers actually returned to the old town.</p>
  </article>
  <footer><p>Copyright 2025 Coastal Herald Media Group. All rights reserved. Privacy policy.</p></footer>
</body>
</html>
"""

GERMAN = (
    "Die Bundesregierung hat am Mittwoch beschlossen, die Ausgaben für die Verteidigung in den kommenden "
    "Jahren deutlich zu erhöhen. Der Kanzler sagte, Europa müsse mehr Verantwortung für die eigene "
    "Sicherheit übernehmen und dürfe sich nicht allein auf die Vereinigten Staaten verlassen."
)
POLISH = (
    "Rząd w Warszawie zdecydował w środę o znacznym zwiększeniu wydatków na obronność w najbliższych latach. "
    "Premier powiedział, że Europa musi wziąć większą odpowiedzialność za własne bezpieczeństwo."
)
DUTCH = (
    "De regering heeft woensdag besloten de uitgaven voor defensie de komende jaren flink te verhogen. "
    "De premier zei dat Europa meer verantwoordelijkheid moet nemen voor de eigen veiligheid."
)
RUSSIAN = (
    "Правительство России заявило в среду, что переговоры о прекращении огня продолжатся на следующей "
    "неделе в Абу-Даби. Представитель Кремля отметил, что стороны пока не договорились о главных вопросах."
)
JAPANESE = "ゼレンスキー大統領とトランプ大統領は、ホワイトハウスで会談し、停戦後の安全保障について協議した。"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


@pytest.fixture(scope="module")
def http_base() -> Iterator[str]:
    """A local HTTP server: the article (plain and gzipped), a redirect to it, and 404 for anything else."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            body = ARTICLE_HTML.encode("utf-8")
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/article")
                self.end_headers()
            elif self.path in ("/article", "/article-gz"):
                gzipped = self.path == "/article-gz"
                body = gzip.compress(body) if gzipped else body
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                if gzipped:
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_error(404, "Not Found")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture()
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "article.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    return path


def _assert_article(doc_text: str) -> None:
    assert "harbour bridge reopened to traffic on Monday morning" in doc_text
    assert "Local shop owners" in doc_text
    for boilerplate in ("Subscriber login", "Sport section", "Copyright 2025", "Privacy policy"):
        assert boilerplate not in doc_text


# -- plain text -----------------------------------------------------------------------------------------


def test_japanese_seed_is_loaded_as_japanese_text() -> None:
    doc = load(str(JA_SEED))

    assert doc.lang == "ja"
    assert doc.lang_score >= 0.5
    assert doc.raw_sha256 == hashlib.sha256(JA_SEED.read_bytes()).hexdigest()
    assert "第1段階" in doc.text
    assert doc.content_type == "text/plain"
    # The first lines are a section label ("Research") and a byline; the headline follows.
    assert doc.title == "ウクライナ停戦後の安全保障、72時間で米軍介入の枠組み合意"
    assert doc.url is None
    assert doc.published is None
    assert document_key(doc) == "file:" + str(JA_SEED.resolve())


def test_published_argument_sets_the_date_of_plain_text() -> None:
    assert load(str(JA_SEED), published=date(2026, 2, 3)).published == date(2026, 2, 3)


def test_plain_text_is_normalised_but_characters_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    body = f"\n見出し　ＮＡＴＯ\r\n\r\n\r\n\r\n{JAPANESE}   \r\n第２段階：７２時間以内\n\n"
    path.write_bytes(body.encode("shift_jis"))

    doc = load(str(path))

    assert doc.lang == "ja"
    assert doc.title == "見出し　ＮＡＴＯ"
    assert doc.text == f"見出し　ＮＡＴＯ\n\n{JAPANESE}\n第２段階：７２時間以内"


# -- HTML -----------------------------------------------------------------------------------------------


def test_html_file_main_text_and_metadata(article_file: Path) -> None:
    doc = load(str(article_file))

    _assert_article(doc.text)
    assert "\n\n" not in doc.text  # paragraphs separated by a single newline
    assert doc.content_type == "text/html"
    assert doc.lang == "en"
    assert doc.title == "Harbour bridge reopens after two years of repairs"
    assert doc.published == date(2025, 3, 4)
    assert doc.site == "Coastal Herald"
    assert doc.url == "https://news.example.com/2025/03/harbour-bridge-reopens"
    assert document_key(doc) == doc.url
    assert doc.source == str(article_file)


def test_published_argument_overrides_the_html_date(article_file: Path) -> None:
    assert load(str(article_file), published=date(2025, 1, 1)).published == date(2025, 1, 1)


def test_html_is_sniffed_without_an_html_extension(tmp_path: Path) -> None:
    path = tmp_path / "saved-page"
    path.write_text(ARTICLE_HTML, encoding="utf-8")

    doc = load(str(path))

    assert doc.content_type == "text/html"
    _assert_article(doc.text)


# -- HTTP -----------------------------------------------------------------------------------------------

# load() refuses loopback addresses by default (SSRF); these tests allow the local server explicitly.
LOCAL = Fetcher(FetchPolicy(allow_hosts=("127.0.0.1",), per_host_delay=0, respect_robots=False))


def test_url_is_fetched_and_extracted(http_base: str) -> None:
    doc = load(f"{http_base}/article", fetcher=LOCAL)

    _assert_article(doc.text)
    assert doc.raw_sha256 == hashlib.sha256(ARTICLE_HTML.encode("utf-8")).hexdigest()
    assert doc.url == f"{http_base}/article"
    assert doc.title == "Harbour bridge reopens after two years of repairs"
    assert doc.published == date(2025, 3, 4)


def test_url_redirect_gives_final_url_and_gzip_is_decompressed(http_base: str) -> None:
    assert load(f"{http_base}/redirect", fetcher=LOCAL).url == f"{http_base}/article"
    gzipped = load(f"{http_base}/article-gz", fetcher=LOCAL)
    _assert_article(gzipped.text)
    assert gzipped.raw_sha256 == hashlib.sha256(ARTICLE_HTML.encode("utf-8")).hexdigest()


def test_http_404_is_an_input_error(http_base: str) -> None:
    url = f"{http_base}/missing"
    with pytest.raises(InputError, match="404") as info:
        load(url, fetcher=LOCAL)
    assert info.value.source == url
    assert url in str(info.value)


def test_response_over_the_size_limit_is_rejected(http_base: str) -> None:
    with pytest.raises(InputError, match="too large"):
        load(f"{http_base}/article", fetcher=LOCAL, max_bytes=100)


# -- rejected input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        ("empty.html", b"", InputError, r"empty file \(0 bytes\)"),
        ("blank.txt", b"  \n\t\r\n   \n", InputError, "only whitespace"),
        ("image.png", PNG_HEADER, InputError, r"binary data \(PNG image\)"),
        ("picture.html", PNG_HEADER, InputError, "binary data"),
        ("nul.txt", b"abc\x00\x01\x02def" * 20, InputError, "NUL bytes"),
        (
            "script.html",
            b"<html><body><script>var x = 1;</script></body></html>",
            InputError,
            "no extractable",
        ),
        ("polish.txt", POLISH.encode(), LanguageError, "unsupported language 'pl'"),
        ("dutch.md", DUTCH.encode(), LanguageError, "unsupported language 'nl'"),
        (
            "numbers.txt",
            b"Tab 1: 123,456.78 | 901,234.56 | 789,012.34 (+5.6%)\n" * 10,
            LanguageError,
            "digits",
        ),
        ("short.txt", b"Hello there", LanguageError, "too little text"),
    ],
)
def test_bad_input_is_rejected_with_a_message_naming_the_source(
    tmp_path: Path, name: str, content: bytes, error: type[InputError], message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(error, match=message) as info:
        load(str(path))

    assert info.value.source == str(path)
    assert str(info.value).startswith(f"{path}: ")


def test_missing_file_and_oversized_file_are_input_errors(tmp_path: Path, article_file: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load(str(tmp_path / "nope.html"))
    with pytest.raises(InputError, match="too large"):
        load(str(article_file), max_bytes=10)


# -- sources --------------------------------------------------------------------------------------------


def test_iter_sources_walks_a_folder_and_keeps_bad_files_for_the_caller(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b.html").write_text(ARTICLE_HTML, encoding="utf-8")
    (tmp_path / "a.txt").write_text(JAPANESE, encoding="utf-8")
    (tmp_path / "sub" / "empty.htm").write_bytes(b"")
    (tmp_path / "sub" / "polish.md").write_text(POLISH, encoding="utf-8")
    (tmp_path / "sub" / "image.png").write_bytes(PNG_HEADER)
    (tmp_path / ".secret.txt").write_text(JAPANESE, encoding="utf-8")
    (tmp_path / ".hidden" / "c.txt").write_text(JAPANESE, encoding="utf-8")

    sources = iter_sources(str(tmp_path))

    expected = ["a.txt", "b.html", "sub/empty.htm", "sub/polish.md"]
    assert sources == [str(tmp_path / name) for name in expected]
    loaded, failed = [], []
    for source in sources:
        try:
            loaded.append(load(source).lang)
        except InputError as exc:
            failed.append(type(exc))
    assert loaded == ["ja", "en"]
    assert failed == [InputError, LanguageError]


def test_iter_sources_for_url_file_and_missing_path(tmp_path: Path, article_file: Path) -> None:
    assert iter_sources("https://example.com/a") == ["https://example.com/a"]
    assert iter_sources(str(article_file)) == [str(article_file)]
    with pytest.raises(InputError, match="no such file or directory"):
        iter_sources(str(tmp_path / "missing"))


# -- language -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        JAPANESE,
        "国家安全保障会議は本日開催され、防衛費増額方針を決定した。",  # kanji-heavy: py3langid alone says zh
        "NATOのルッテ事務総長は、EUとNATOのパートナーシップについてBrusselsで記者会見を行った。",
    ],
)
def test_japanese_is_detected_even_when_kanji_heavy_or_mixed(text: str) -> None:
    assert detect_language(text)[0] == "ja"
    assert require_supported(text, "t.txt")[0] == "ja"


def test_chinese_is_not_taken_for_japanese() -> None:
    text = "国务院总理今天在北京主持召开国务院常务会议，研究部署进一步扩大内需的政策措施。"
    with pytest.raises(LanguageError, match="unsupported language 'zh'"):
        require_supported(text, "zh.txt")


# -- decoding: repair what can be repaired, refuse what is not text ------------------------------------------

JA_UTF8 = (
    "政府は月曜日、新しい港湾施設の建設計画を発表した。関係者によると、工事は来年の春に始まり、"
    "三年後の完成を目指すという。地元の漁業団体は計画を歓迎する一方、環境への影響を懸念する声も上がっている。"
)
EN_QUOTES = (
    "“We’re not going to wait,” the mayor said on Monday. The city’s new harbour bridge reopened after "
    "two years of repairs that cost far more than planned, and residents’ groups said they’d watch the "
    "buses closely. “It’s a start,” one shop owner said."
)


def test_a_stray_byte_in_utf8_text_is_replaced_with_a_warning_and_the_text_kept(tmp_path: Path) -> None:
    for name, text, lang in (("ja.txt", JA_UTF8, "ja"), ("en.txt", EN_QUOTES, "en")):
        body = text.encode("utf-8")
        middle = len(body) // 2
        while body[middle] & 0xC0 == 0x80:  # not inside a character
            middle += 1
        path = tmp_path / name
        path.write_bytes(body[:middle] + b"\xff" + body[middle:])
        doc = load(str(path))
        assert doc.lang == lang
        assert doc.text.replace("\ufffd", "", 1) == text  # one replacement character, nothing else touched
        assert doc.warnings == ("1 undecodable byte sequence(s) replaced with U+FFFD (decoded as UTF-8)",)


def test_short_euc_jp_is_read_as_japanese_and_utf16_without_bom_as_text(tmp_path: Path) -> None:
    euc = tmp_path / "euc.txt"
    euc.write_bytes("首相は記者会見で、停戦合意について説明した。関係国との協議は続く。".encode("euc_jp"))
    doc = load(str(euc))  # detection ranks cp949 (Korean) first for these bytes
    assert (doc.lang, doc.text) == ("ja", "首相は記者会見で、停戦合意について説明した。関係国との協議は続く。")
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(EN_QUOTES.encode(encoding))
        doc = load(str(path))
        assert (doc.lang, doc.text) == ("en", EN_QUOTES)


def test_a_nul_byte_anywhere_is_binary_and_a_folder_does_not_follow_links_out_of_it(tmp_path: Path) -> None:
    late_nul = tmp_path / "late.txt"
    late_nul.write_bytes(EN_QUOTES.encode() * 30 + b"\x00" + EN_QUOTES.encode())
    with pytest.raises(InputError, match="NUL bytes") as info:
        load(str(late_nul))
    assert info.value.reason == "binary"

    folder, outside = tmp_path / "folder", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (folder / "passwd.txt").symlink_to(outside / "passwd")
    (folder / "inside.txt").write_text(EN_QUOTES)
    (folder / "link-inside.txt").symlink_to(folder / "inside.txt")
    assert iter_sources(str(folder)) == [str(folder / "inside.txt"), str(folder / "link-inside.txt")]
