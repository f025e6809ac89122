"""Small real-looking news pages written for the change-tracking tests (original text, fictional outlets)."""

from __future__ import annotations

from pathlib import Path


def page(path: Path, *, lang: str, title: str, published: str, url: str, site: str, paragraphs: list[str]) -> Path:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    path.write_text(
        f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="article:published_time" content="{published}">
<meta property="og:site_name" content="{site}">
<link rel="canonical" href="{url}"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1><p class="byline">{site} staff</p>
{body}
</article><footer>© {site}</footer></body></html>
""",
        encoding="utf-8",
    )
    return path


EXCHANGE_EN = dict(
    lang="en",
    title="Russia and Ukraine swap prisoners in UAE-brokered deal",
    published="2026-02-07T08:00:00Z",
    url="https://outlet-a.test/world/prisoner-swap",
    site="Outlet A",
    paragraphs=[
        "Russia and Ukraine each released 157 prisoners on Saturday in an exchange mediated by the "
        "United Arab Emirates, officials in both capitals said.",
        "The swap was the first since the second round of trilateral talks in Abu Dhabi, where envoys "
        "from Washington, Moscow and Kyiv discussed a ceasefire framework.",
        "Families of missing soldiers gathered at the border crossing as buses carrying the freed men "
        "arrived in the afternoon.",
    ],
)

EXCHANGE_JA = dict(
    lang="ja",
    title="ロシアとウクライナが捕虜交換 UAEが仲介",
    published="2026-02-07T18:00:00+09:00",
    url="https://outlet-b.test/ja/world/prisoner-swap",
    site="Outlet B",
    paragraphs=[
        "ロシアとウクライナは7日、アラブ首長国連邦(UAE)の仲介で捕虜計314人を交換した。",
        "アブダビで開かれた米国、ロシア、ウクライナの3者協議の後、初めての交換となった。",
        "国境の検問所では、解放された兵士を乗せたバスの到着を家族らが出迎えた。",
    ],
)

SPAIN_JA_V1 = dict(
    lang="ja",
    title="有志連合の派遣計画 各国の対応割れる",
    published="2026-02-03T10:00:00+09:00",
    url="https://example-news.test/ja/coalition-contributions",
    site="Example News 日本語版",
    paragraphs=[
        "スペインのサンチェス首相は、部隊派遣を含む可能性のある貢献について、主要政党との協議を開始すると発表した。",
        "クロアチアとチェコは部隊を派遣しないと表明した。",
        "2026年2月4日から5日にかけて、アブダビで第2回の3者協議が開催される。",
    ],
)

SPAIN_JA_V2 = dict(
    SPAIN_JA_V1,
    published="2026-02-06T10:00:00+09:00",
    paragraphs=[
        "スペインは部隊を派遣すると発表した。",
        "クロアチアとチェコは部隊を派遣しないと表明した。",
        "第2回の3者協議は、2月11日から12日にかけてアブダビで開催される。",
    ],
)

SPAIN_EN_V1 = dict(
    lang="en",
    title="Coalition members split over troop contributions",
    published="2026-02-03T09:00:00Z",
    url="https://example-news.test/world/coalition-contributions",
    site="Example News",
    paragraphs=[
        "Prime Minister Pedro Sánchez said he would begin consultations with the main parties on a Spanish "
        "contribution that could include troops.",
        "Croatia and the Czech Republic have said they will not send troops.",
    ],
)

SPAIN_EN_V2 = dict(
    SPAIN_EN_V1,
    published="2026-02-06T09:00:00Z",
    paragraphs=[
        "Spain will send troops to help monitor a ceasefire, Prime Minister Pedro Sánchez said on Thursday.",
        "Croatia and the Czech Republic have said they will not send troops.",
    ],
)
