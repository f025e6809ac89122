"""Sources for the ingestion job: feeds, sitemaps, URL lists and folders (all data in memory or in tmp_path)."""

from __future__ import annotations

import gzip
import time
import tomllib
import tracemalloc
import zlib
from datetime import date
from pathlib import Path

import pytest

from extract.acquire.sources import (
    MAX_BODY_BYTES,
    Item,
    SourceError,
    SourceSpec,
    canonical_url,
    discover,
    parse_spec,
)


class Web:
    """In-memory stand-in for the polite fetcher: a dict of URL → body that records every request."""

    def __init__(self, pages: dict[str, bytes]) -> None:
        self.pages = pages
        self.requests: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.requests.append(url)
        return self.pages[url]


def feed(location: str, **options) -> SourceSpec:
    return SourceSpec(name="test-feed", kind="feed", location=location, **options)


def targets(items: list[Item]) -> list[str]:
    return [item.target for item in items]


# --- feeds ------------------------------------------------------------------------------------------------------

JA_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>NHKニュース 政治</title>
    <link>https://www3.nhk.or.jp/news/cat4.html</link>
    <description>NHKニュースの政治カテゴリーの最新記事</description>
    <language>ja</language>
    <atom:link href="https://www3.nhk.or.jp/rss/news/cat4.xml" rel="self" type="application/rss+xml"/>
    <item>
      <title>政府 防衛費の増額方針を閣議決定</title>
      <link>https://www3.nhk.or.jp/news/html/20260203/k10014712341000.html</link>
      <guid isPermaLink="false">k10014712341000</guid>
      <pubDate>Tue, 03 Feb 2026 18:45:00 +0900</pubDate>
      <description>政府は3日の閣議で、防衛費を段階的に増やす方針を決定しました。</description>
    </item>
    <item>
      <title>与党 連立協議で合意 社会保障改革を優先</title>
      <link>https://www3.nhk.or.jp/news/html/20260205/k10014714561000.html</link>
      <pubDate>Thu, 05 Feb 2026 07:10:00 +0900</pubDate>
    </item>
    <item>
      <title>首相 年頭会見で賃上げ継続を表明</title>
      <guid>https://www3.nhk.or.jp/news/html/20260104/k10014690001000.html</guid>
      <pubDate>Sun, 04 Jan 2026 23:30:00 +0900</pubDate>
    </item>
  </channel>
</rss>
""".encode()

EN_ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Reuters World News</title>
  <id>tag:example.reuters.com,2026:world</id>
  <updated>2026-02-06T09:00:00Z</updated>
  <link rel="self" href="https://www.reuters.com/world/atom.xml"/>
  <link rel="alternate" type="text/html" href="https://www.reuters.com/world/"/>
  <entry>
    <title>EU leaders agree on security guarantees for Ukraine</title>
    <id>tag:example.reuters.com,2026:eu-guarantees</id>
    <link rel="alternate" type="text/html" href="https://www.reuters.com/world/europe/eu-leaders-agree-2026-02-04/"/>
    <link rel="enclosure" type="image/jpeg" href="https://www.reuters.com/resizer/eu.jpg"/>
    <published>2026-02-04T16:20:00Z</published>
    <updated>2026-02-05T08:00:00Z</updated>
    <summary type="html">&lt;p&gt;Leaders pledged long-term support.&lt;/p&gt;</summary>
  </entry>
  <entry>
    <title type="text">Japan's ruling coalition unveils spending plan</title>
    <id>tag:example.reuters.com,2026:japan-spending</id>
    <link href="https://www.reuters.com/world/asia-pacific/japan-coalition-spending-2026-02-06/"/>
    <updated>2026-02-06T02:15:00+09:00</updated>
  </entry>
  <entry>
    <title>Entry with only a self link is skipped</title>
    <id>tag:example.reuters.com,2026:self-only</id>
    <link rel="self" href="https://www.reuters.com/api/entry/1"/>
    <updated>2026-02-06T03:00:00Z</updated>
  </entry>
</feed>
"""

RDF_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://news.example.jp/rss">
    <title>Example Japan</title>
    <link>https://news.example.jp/</link>
    <items><rdf:Seq>
      <rdf:li rdf:resource="https://news.example.jp/a/1"/>
      <rdf:li rdf:resource="https://news.example.jp/a/2"/>
    </rdf:Seq></items>
  </channel>
  <item rdf:about="https://news.example.jp/a/1">
    <title>日銀 金融政策を据え置き</title>
    <link>https://news.example.jp/a/1</link>
    <dc:date>2026-01-23T12:30:00+09:00</dc:date>
  </item>
  <item rdf:about="https://news.example.jp/a/2">
    <title>衆院選 投票率は過去2番目の低さ</title>
    <dc:date>2026-01-27T06:00:00+09:00</dc:date>
  </item>
</rdf:RDF>
""".encode()


def test_japanese_rss_feed_gives_links_titles_and_dates_newest_first():
    web = Web({"https://www3.nhk.or.jp/rss/news/cat4.xml": JA_RSS})
    items = discover(feed("https://www3.nhk.or.jp/rss/news/cat4.xml"), web)
    assert items == [
        Item(
            target="https://www3.nhk.or.jp/news/html/20260205/k10014714561000.html",
            source="test-feed",
            published=date(2026, 2, 5),
            title="与党 連立協議で合意 社会保障改革を優先",
        ),
        Item(
            target="https://www3.nhk.or.jp/news/html/20260203/k10014712341000.html",
            source="test-feed",
            published=date(2026, 2, 3),
            title="政府 防衛費の増額方針を閣議決定",
        ),
        Item(  # no <link>: the permalink guid is used
            target="https://www3.nhk.or.jp/news/html/20260104/k10014690001000.html",
            source="test-feed",
            published=date(2026, 1, 4),
            title="首相 年頭会見で賃上げ継続を表明",
        ),
    ]
    assert web.requests == ["https://www3.nhk.or.jp/rss/news/cat4.xml"]


def test_rss_date_is_the_calendar_date_written_in_the_feed_time_zone():
    # 23:30 +0900 on 4 January is 14:30 UTC the same day; 00:30 +0900 would be the previous day in UTC.
    body = JA_RSS.replace(b"Sun, 04 Jan 2026 23:30:00 +0900", b"Mon, 05 Jan 2026 00:30:00 +0900")
    items = discover(feed("https://nhk.example/rss"), Web({"https://nhk.example/rss": body}))
    assert items[-1].published == date(2026, 1, 5)


def test_english_atom_feed_uses_alternate_links_and_skips_entries_without_one():
    web = Web({"https://www.reuters.com/world/atom.xml": EN_ATOM})
    items = discover(feed("https://www.reuters.com/world/atom.xml"), web)
    assert [(item.target, item.published, item.title) for item in items] == [
        (
            "https://www.reuters.com/world/asia-pacific/japan-coalition-spending-2026-02-06/",
            date(2026, 2, 6),
            "Japan's ruling coalition unveils spending plan",
        ),
        (  # <published> wins over <updated>
            "https://www.reuters.com/world/europe/eu-leaders-agree-2026-02-04/",
            date(2026, 2, 4),
            "EU leaders agree on security guarantees for Ukraine",
        ),
    ]


def test_rss_1_0_rdf_feed_uses_link_or_rdf_about_and_dc_date():
    web = Web({"https://news.example.jp/rss": RDF_FEED})
    items = discover(feed("https://news.example.jp/rss"), web)
    assert [(item.target, item.published, item.title) for item in items] == [
        ("https://news.example.jp/a/2", date(2026, 1, 27), "衆院選 投票率は過去2番目の低さ"),
        ("https://news.example.jp/a/1", date(2026, 1, 23), "日銀 金融政策を据え置き"),
    ]


def test_shift_jis_feed_is_decoded():
    body = JA_RSS.decode().replace('encoding="UTF-8"', 'encoding="Shift_JIS"').encode("shift_jis")
    items = discover(feed("https://nhk.example/sjis.xml"), Web({"https://nhk.example/sjis.xml": body}))
    assert [item.title for item in items][:2] == [
        "与党 連立協議で合意 社会保障改革を優先",
        "政府 防衛費の増額方針を閣議決定",
    ]


RELATIVE_FEED = b"""<?xml version="1.0"?>
<rss version="2.0"><channel>
  <title>Local paper</title><link>https://paper.example.com/</link>
  <item><title>First copy</title><link>/politics/budget-vote?utm_source=rss&amp;id=7&amp;page=2</link>
    <pubDate>Mon, 02 Feb 2026 10:00:00 GMT</pubDate></item>
  <item><title>Second copy</title><link>https://PAPER.example.com:443/politics/budget-vote?page=2&amp;id=7&amp;fbclid=XYZ#comments</link>
    <pubDate>Mon, 02 Feb 2026 11:00:00 GMT</pubDate></item>
  <item><title>Sibling</title><link>mayor-resigns.html</link><pubDate>Sun, 01 Feb 2026 09:00:00 GMT</pubDate></item>
  <item><title>No link at all</title><pubDate>Sun, 01 Feb 2026 09:00:00 GMT</pubDate></item>
</channel></rss>
"""


def test_relative_links_are_resolved_and_tracking_duplicates_removed_first_wins():
    web = Web({"https://paper.example.com/feeds/local.rss": RELATIVE_FEED})
    items = discover(feed("https://paper.example.com/feeds/local.rss"), web)
    assert [(item.target, item.title) for item in items] == [
        ("https://paper.example.com/politics/budget-vote?id=7&page=2", "First copy"),
        ("https://paper.example.com/feeds/mayor-resigns.html", "Sibling"),
    ]


def test_local_feed_file_is_read_relative_to_base_dir_and_links_resolved_against_the_site(tmp_path: Path):
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "local.rss").write_bytes(RELATIVE_FEED)
    web = Web({})
    items = discover(feed("feeds/local.rss"), web, base_dir=tmp_path)
    assert targets(items) == [
        "https://paper.example.com/politics/budget-vote?id=7&page=2",
        "https://paper.example.com/mayor-resigns.html",
    ]
    assert web.requests == []


def test_max_items_keeps_the_newest_entries():
    web = Web({"https://www3.nhk.or.jp/rss/news/cat4.xml": JA_RSS})
    items = discover(feed("https://www3.nhk.or.jp/rss/news/cat4.xml", max_items=2), web)
    assert [item.published for item in items] == [date(2026, 2, 5), date(2026, 2, 3)]


def test_undated_entries_come_after_dated_ones_in_feed_order():
    body = b"""<rss version="2.0"><channel>
      <item><link>https://a.example/undated-1</link></item>
      <item><link>https://a.example/old</link><pubDate>Thu, 01 Jan 2026 00:00:00 GMT</pubDate></item>
      <item><link>https://a.example/undated-2</link><pubDate>not a date</pubDate></item>
      <item><link>https://a.example/new</link><pubDate>Sat, 03 Jan 2026 00:00:00 GMT</pubDate></item>
    </channel></rss>"""
    items = discover(feed("https://a.example/rss", max_items=3), Web({"https://a.example/rss": body}))
    assert targets(items) == ["https://a.example/new", "https://a.example/old", "https://a.example/undated-1"]
    assert items[2].published is None


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><item><title>&lol9;</title><link>https://evil.example/</link></item></channel></rss>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&secret;</title><link>https://evil.example/</link></item></channel></rss>
"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_entity_tricks_are_refused(body: bytes):
    start = time.monotonic()
    with pytest.raises(SourceError, match=r"source 'test-feed': unsafe XML in https://evil\.example/rss") as info:
        discover(feed("https://evil.example/rss"), Web({"https://evil.example/rss": body}))
    assert time.monotonic() - start < 2
    assert info.value.source == "test-feed"
    assert "root:" not in str(info.value)  # nothing from /etc/passwd was read


def test_a_real_world_feed_with_an_unescaped_ampersand_and_an_open_tag_is_read():
    body = (
        b"<rss version='2.0'><channel><title>Politics & Economy</title><link>https://x.example/</link>"
        b"<item><title>Tax & spend: the budget vote</title><link>https://x.example/budget?a=1&b=2</link>"
        b"<pubDate>Mon, 02 Feb 2026 10:00:00 GMT</pubDate></item>"
        b"<item><title>Unclosed</title><link>https://x.example/unclosed</item></channel></rss>"
    )
    items = discover(feed("https://x.example/rss"), Web({"https://x.example/rss": body}))
    assert [(item.target, item.title) for item in items] == [  # the entry with the open tag has no usable link
        ("https://x.example/budget?a=1&b=2", "Tax & spend: the budget vote"),
    ]


def test_html_page_is_not_a_feed():
    body = b"<html><head><title>Home</title></head><body><p>Hi</p></body></html>"
    with pytest.raises(SourceError, match=r"not an RSS or Atom feed \(root element <html>\)"):
        discover(feed("https://x.example/"), Web({"https://x.example/": body}))


def test_fetch_failure_is_reported_against_the_source():
    with pytest.raises(SourceError, match=r"source 'test-feed': cannot fetch https://gone\.example/rss"):
        discover(feed("https://gone.example/rss"), Web({}))


def test_missing_local_feed_file_is_a_source_error(tmp_path: Path):
    with pytest.raises(SourceError, match=r"cannot read .*missing\.xml"):
        discover(feed("missing.xml"), Web({}), base_dir=tmp_path)


# --- sitemaps ---------------------------------------------------------------------------------------------------

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example.com/sitemaps/politics.xml.gz</loc><lastmod>2026-02-06</lastmod></sitemap>
  <sitemap><loc>/sitemaps/economy.xml</loc></sitemap>
  <sitemap><loc>https://news.example.com/sitemaps/politics.xml.gz</loc></sitemap>
</sitemapindex>
"""

POLITICS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example.com/politics/coalition-talks</loc><lastmod>2026-02-05T21:10:00+09:00</lastmod></url>
  <url><loc>https://news.example.com/politics/budget</loc><lastmod>2026-02-01</lastmod></url>
  <url>
    <loc>https://news.example.com/politics/election-result</loc>
    <news:news>
      <news:publication><news:name>Example News</news:name><news:language>ja</news:language></news:publication>
      <news:publication_date>2026-02-06T05:00:00+09:00</news:publication_date>
      <news:title>衆院選 与党が過半数を維持</news:title>
    </news:news>
  </url>
</urlset>
""".encode()

ECONOMY_SITEMAP = b"""<urlset>
  <url><loc>https://news.example.com/economy/rates?utm_medium=sitemap</loc><lastmod>2026-02-03</lastmod></url>
  <url><loc>https://news.example.com/politics/budget</loc><lastmod>2026-02-04</lastmod></url>
  <url><loc>https://news.example.com/economy/undated</loc></url>
</urlset>
"""


def sitemap_web() -> Web:
    return Web(
        {
            "https://news.example.com/sitemap_index.xml": SITEMAP_INDEX,
            "https://news.example.com/sitemaps/politics.xml.gz": gzip.compress(POLITICS_SITEMAP),
            "https://news.example.com/sitemaps/economy.xml": ECONOMY_SITEMAP,
        }
    )


def test_sitemap_index_fetches_each_child_once_including_gzipped_and_unnamespaced():
    web = sitemap_web()
    spec = SourceSpec(name="news-sitemap", kind="sitemap", location="https://news.example.com/sitemap_index.xml")
    items = discover(spec, web)
    assert web.requests == [
        "https://news.example.com/sitemap_index.xml",
        "https://news.example.com/sitemaps/politics.xml.gz",
        "https://news.example.com/sitemaps/economy.xml",
    ]
    assert [(item.target, item.published, item.title) for item in items] == [
        ("https://news.example.com/politics/election-result", date(2026, 2, 6), "衆院選 与党が過半数を維持"),
        ("https://news.example.com/politics/coalition-talks", date(2026, 2, 5), None),
        ("https://news.example.com/economy/rates", date(2026, 2, 3), None),
        ("https://news.example.com/politics/budget", date(2026, 2, 1), None),  # first occurrence wins
        ("https://news.example.com/economy/undated", None, None),
    ]
    assert {item.source for item in items} == {"news-sitemap"}


def test_sitemap_max_items_and_local_gzipped_file(tmp_path: Path):
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(POLITICS_SITEMAP))
    spec = SourceSpec(name="local", kind="sitemap", location="sitemap.xml.gz", max_items=2)
    items = discover(spec, Web({}), base_dir=tmp_path)
    assert targets(items) == [
        "https://news.example.com/politics/election-result",
        "https://news.example.com/politics/coalition-talks",
    ]


def test_sitemap_index_cycle_is_followed_once():
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://loop.example/index.xml</loc></sitemap>
      <sitemap><loc>https://loop.example/a.xml</loc></sitemap>
    </sitemapindex>"""
    urlset = b"<urlset><url><loc>https://loop.example/page</loc></url></urlset>"
    web = Web({"https://loop.example/index.xml": index, "https://loop.example/a.xml": urlset})
    items = discover(SourceSpec(name="loop", kind="sitemap", location="https://loop.example/index.xml"), web)
    assert targets(items) == ["https://loop.example/page"]
    assert web.requests == ["https://loop.example/index.xml", "https://loop.example/a.xml"]


def test_sitemap_indexes_nested_too_deep_are_refused():
    def index_pointing_to(child: str) -> bytes:
        return f"<sitemapindex><sitemap><loc>{child}</loc></sitemap></sitemapindex>".encode()

    web = Web(
        {f"https://deep.example/{n}.xml": index_pointing_to(f"https://deep.example/{n + 1}.xml") for n in range(6)}
    )
    with pytest.raises(SourceError, match="nested more than 3 deep"):
        discover(SourceSpec(name="deep", kind="sitemap", location="https://deep.example/0.xml"), web)
    assert len(web.requests) == 4


def gzip_bomb(uncompressed: int) -> bytes:
    """Gzip stream of ``uncompressed`` zero bytes, built chunk by chunk so the zeros never sit in memory at once."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(uncompressed // len(chunk))]
    return b"".join(parts) + compressor.flush()


def test_gzip_bomb_sitemap_is_refused_quickly_without_inflating_it_all():
    bomb = gzip_bomb(128 * 1024 * 1024)
    assert len(bomb) < 200_000  # deflate tops out near 1000:1, so 128 MB of zeros is about 130 KB
    spec = SourceSpec(name="bomb", kind="sitemap", location="https://bomb.example/s.xml.gz")
    web = Web({"https://bomb.example/s.xml.gz": bomb})
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(SourceError, match=f"decompresses to more than {MAX_BODY_BYTES} bytes"):
            discover(spec, web)
        elapsed = time.monotonic() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 5
    assert peak < 2 * MAX_BODY_BYTES < 128 * 1024 * 1024  # decompression stopped at the cap


def test_corrupt_gzip_sitemap_is_a_source_error():
    corrupt = gzip.compress(POLITICS_SITEMAP)[:40]
    with pytest.raises(SourceError, match="corrupt gzip data"):
        discover(
            SourceSpec(name="s", kind="sitemap", location="https://c.example/s.xml.gz"),
            Web({"https://c.example/s.xml.gz": corrupt}),
        )


def test_feed_given_as_sitemap_is_rejected():
    with pytest.raises(SourceError, match=r"not a sitemap \(root element <rss>"):
        discover(
            SourceSpec(name="s", kind="sitemap", location="https://a.example/rss"),
            Web({"https://a.example/rss": JA_RSS}),
        )


# --- URL lists --------------------------------------------------------------------------------------------------

URL_LIST = """\ufeff# Seed articles for the nightly run
https://www.asahi.com/articles/ASV2345ABC.html

   https://www.bbc.co.uk/news/world-12345678?utm_campaign=share#top
# duplicates and comments are fine
https://WWW.ASAHI.COM/articles/ASV2345ABC.html
"""


def test_url_list_file_skips_blanks_and_comments_and_dedupes(tmp_path: Path):
    (tmp_path / "seeds.txt").write_text(URL_LIST, encoding="utf-8")
    spec = SourceSpec(name="seeds", kind="urls", location="seeds.txt", published=date(2026, 2, 1))
    items = discover(spec, Web({}), base_dir=tmp_path)
    assert items == [
        Item("https://www.asahi.com/articles/ASV2345ABC.html", "seeds", date(2026, 2, 1)),
        Item("https://www.bbc.co.uk/news/world-12345678", "seeds", date(2026, 2, 1)),
    ]


def test_url_list_bad_lines_are_skipped_with_a_warning_naming_them(tmp_path: Path, caplog):
    text = URL_LIST + "ftp://files.example/a.txt\nnot a url\nhttps://ok.example/\n"
    (tmp_path / "seeds.txt").write_text(text, encoding="utf-8")
    items = discover(SourceSpec(name="seeds", kind="urls", location=str(tmp_path / "seeds.txt")), Web({}))
    assert targets(items) == [
        "https://www.asahi.com/articles/ASV2345ABC.html",
        "https://www.bbc.co.uk/news/world-12345678",
        "https://ok.example/",
    ]
    assert "skipped line(s) 7, 8: not an http(s) URL" in caplog.text
    (tmp_path / "bad.txt").write_text("# nothing usable\nnot a url\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"source 'seeds': .*bad\.txt: not an http\(s\) URL on line\(s\) 2$"):
        discover(SourceSpec(name="seeds", kind="urls", location=str(tmp_path / "bad.txt")), Web({}))


def test_sitemap_index_children_are_fetched_newest_first_only_until_max_items():
    web = sitemap_web()
    spec = SourceSpec("news", "sitemap", "https://news.example.com/sitemap_index.xml", max_items=2)
    items = discover(spec, web)
    assert web.requests == [  # the dated child first; it has enough items, so the other is never fetched
        "https://news.example.com/sitemap_index.xml",
        "https://news.example.com/sitemaps/politics.xml.gz",
    ]
    assert targets(items) == [
        "https://news.example.com/politics/election-result",
        "https://news.example.com/politics/coalition-talks",
    ]


def test_url_list_can_be_fetched():
    web = Web({"https://cfg.example/urls.txt": b"https://a.example/1\r\nhttps://a.example/2\r\n"})
    items = discover(SourceSpec(name="remote", kind="urls", location="https://cfg.example/urls.txt", max_items=1), web)
    assert targets(items) == ["https://a.example/1"]


# --- folders ----------------------------------------------------------------------------------------------------


def test_folder_lists_html_and_text_files_skipping_hidden_and_other_files(tmp_path: Path):
    corpus = tmp_path / "corpus"
    (corpus / "ja").mkdir(parents=True)
    (corpus / ".drafts").mkdir()
    (corpus / "en-article.html").write_text("<html><body><p>Hello</p></body></html>")
    (corpus / "ja" / "seed.txt").write_text("政府は3日、方針を決定した。", encoding="utf-8")
    (corpus / "notes.md").write_text("# Notes")
    (corpus / ".hidden.html").write_text("<p>hidden</p>")
    (corpus / ".drafts" / "draft.html").write_text("<p>draft</p>")
    (corpus / "photo.png").write_bytes(b"\x89PNG\r\n")
    spec = SourceSpec(name="samples", kind="folder", location="corpus", published=date(2026, 2, 2))
    items = discover(spec, Web({}), base_dir=tmp_path)
    assert items == [
        Item(str(corpus / "en-article.html"), "samples", date(2026, 2, 2)),
        Item(str(corpus / "ja" / "seed.txt"), "samples", date(2026, 2, 2)),
        Item(str(corpus / "notes.md"), "samples", date(2026, 2, 2)),
    ]


def test_missing_folder_is_a_source_error(tmp_path: Path):
    with pytest.raises(SourceError, match=r"source 'samples': .*nowhere is not a folder"):
        discover(SourceSpec(name="samples", kind="folder", location="nowhere"), Web({}), base_dir=tmp_path)


# --- config -----------------------------------------------------------------------------------------------------

CONFIG = """
[sources.nhk]
feed = "https://www3.nhk.or.jp/rss/news/cat4.xml"
max_items = 20

[sources.samples]
folder = "corpus/samples"
published = "2026-02-02"

[sources.seeds]
urls = "seeds.txt"
published = 2026-01-15
"""


def test_parse_spec_reads_toml_tables():
    tables = tomllib.loads(CONFIG)["sources"]
    specs = [parse_spec(name, table) for name, table in tables.items()]
    assert specs == [
        SourceSpec("nhk", "feed", "https://www3.nhk.or.jp/rss/news/cat4.xml", max_items=20),
        SourceSpec("samples", "folder", "corpus/samples", published=date(2026, 2, 2)),
        SourceSpec("seeds", "urls", "seeds.txt", published=date(2026, 1, 15)),
    ]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"feed": "https://a.example/rss", "maxitems": 5}, r"unknown key\(s\) maxitems \(allowed: feed, sitemap"),
        (
            {"feed": "https://a.example/rss", "sitemap": "https://a.example/s.xml"},
            "expected exactly one of feed, sitemap, urls, folder; found feed, sitemap",
        ),
        ({"max_items": 5}, "expected exactly one of feed, sitemap, urls, folder; found none"),
        ({"folder": "  "}, "folder must be a non-empty string"),
        ({"urls": ["a", "b"]}, "urls must be a non-empty string"),
        ({"feed": "https://a.example/rss", "max_items": 0}, "max_items must be a positive integer, got 0"),
        ({"feed": "https://a.example/rss", "max_items": True}, "max_items must be a positive integer"),
        ({"feed": "https://a.example/rss", "published": "02/02/2026"}, "published must be a date YYYY-MM-DD"),
        ("https://a.example/rss", "expected a table, got str"),
    ],
)
def test_parse_spec_errors_name_the_source(table, message: str):
    with pytest.raises(ValueError, match=r"^source 'broken': " + message):
        parse_spec("broken", table)


# --- canonical URLs ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.COM/Path/To?b=2&a=1", "https://www.example.com/Path/To?a=1&b=2"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        (
            "https://example.com/a?utm_source=x&UTM_Medium=y&fbclid=1&gclid=2&mc_cid=3&mc_eid=4&id=9",
            "https://example.com/a?id=9",
        ),
        ("https://example.com/a?utm_source=rss", "https://example.com/a"),
        ("https://example.com/a?q=a%20b&q=a+b&&x", "https://example.com/a?q=a%20b&q=a+b&x"),
        ("https://example.com/%E6%94%BF%E6%B2%BB/", "https://example.com/%E6%94%BF%E6%B2%BB/"),
        ("  https://user@Example.com/x  ", "https://example.com/x"),
        ("http://[2001:DB8::1]:80/", "http://[2001:db8::1]/"),
    ],
)
def test_canonical_url(url: str, expected: str):
    assert canonical_url(url) == expected


def test_canonical_url_is_idempotent():
    url = "HTTP://Example.com:80?utm_source=a&z=1&b=2#frag"
    assert canonical_url(url) == "http://example.com/?b=2&z=1"
    assert canonical_url(canonical_url(url)) == canonical_url(url)
