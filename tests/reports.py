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


# --- the same facts in English and Japanese, from two outlets (paraphrase → shared keys) -----------------

PLAN_EN = dict(
    lang="en",
    title="Kyiv accepts U.S. peace plan but rules out ceding land",
    published="2026-02-06T07:30:00Z",
    url="https://harbour-post.test/world/kyiv-accepts-plan",
    site="Harbour Post",
    paragraphs=[
        "Ukraine accepted the U.S.-drafted peace plan on Thursday, President Volodymyr Zelensky said.",
        "Kyiv rejected any cession of territory in the east, his office added.",
        "The talks were held in Abu Dhabi on February 4 and 5.",
        "Spain will send troops to help monitor a ceasefire, Prime Minister Pedro Sánchez said.",
    ],
)

PLAN_JA = dict(
    lang="ja",
    title="ウクライナ、米和平計画を受け入れ 領土割譲は拒否",
    published="2026-02-06T18:00:00+09:00",
    url="https://toyo-tsushin.test/intl/20260206-plan",
    site="東洋通信",
    paragraphs=[
        "ウクライナは米国が作成した和平計画を受け入れた。ゼレンスキー大統領が明らかにした。",
        "一方、東部の領土の割譲については拒否した。",
        "協議は4日から5日にかけてアラブ首長国連邦(UAE)で行われた。",
        "スペインのサンチェス首相は、停戦監視のため部隊を派遣すると表明した。",
    ],
)

# --- one outlet revises the window of a tier: 72 hours within → 48 hours after -------------------------

TIERS_V1 = dict(
    lang="en",
    title="Allies sketch three-tier response to ceasefire breaches",
    published="2026-02-03T11:00:00Z",
    url="https://daily-sentinel.test/europe/three-tier-plan",
    site="Daily Sentinel",
    paragraphs=[
        "Western officials have drawn up a three-tier plan to respond to Russian breaches of a future ceasefire.",
        "In the first tier, Ukrainian forces would respond within 24 hours of a violation.",
        "In the third tier, a Western-backed force including the U.S. military would intervene within 72 hours "
        "of the first violation.",
    ],
)

TIERS_V2 = dict(
    TIERS_V1,
    published="2026-02-05T09:00:00Z",
    paragraphs=[
        "Western officials have drawn up a three-tier plan to respond to Russian breaches of a future ceasefire.",
        "In the first tier, Ukrainian forces would respond within 24 hours of a violation.",
        "In the third tier, a Western-backed force including the U.S. military would intervene 48 hours after "
        "the first violation, officials now say.",
    ],
)

TIERS_JA = dict(
    lang="ja",
    title="停戦違反への3段階の対応計画",
    published="2026-02-03T20:00:00+09:00",
    url="https://toyo-tsushin.test/intl/20260203-tiers",
    site="東洋通信",
    paragraphs=[
        "停戦違反が起きた場合の対応は3段階で構成される。",
        "第1段階では、違反から24時間以内にウクライナ軍が対応する。",
        "第3段階では、最初の違反から72時間以内に米軍を含む部隊が介入する。",
    ],
)

# --- an outlet reverses itself in a later article (a new document, not a new version) --------------------

CROATIA_NO = dict(
    lang="en",
    title="Croatia rules out sending troops to Ukraine",
    published="2026-02-03T08:00:00Z",
    url="https://adriatic-times.test/politics/croatia-no-troops",
    site="Adriatic Times",
    paragraphs=[
        "Croatia will not send troops to Ukraine, the government said on Tuesday.",
        "Ministers said any contribution would be limited to training and equipment.",
    ],
)

CROATIA_YES = dict(
    lang="en",
    title="Croatia to send 30 soldiers to ceasefire monitoring mission",
    published="2026-02-06T08:00:00Z",
    url="https://adriatic-times.test/politics/croatia-30-soldiers",
    site="Adriatic Times",
    paragraphs=[
        "Croatia will send 30 troops to Ukraine to help monitor a ceasefire, the defence ministry said on Friday.",
        "The decision reverses the government's position of earlier in the week.",
    ],
)

# --- three readings of one prisoner swap: 157 each, 314 in total (one wire story on three sites), unclear ----

_WIRE_BODY = [
    "Russia and Ukraine exchanged a total of 314 prisoners on Thursday under a deal brokered by the United Arab "
    "Emirates, the first swap since trilateral talks with the United States resumed in Abu Dhabi.",
    "Buses carrying the freed men crossed the border in the afternoon, and relatives waited for hours at the "
    "checkpoint with flags and photographs of missing soldiers.",
    "The talks in Abu Dhabi ended without a breakthrough on territory, officials said, but negotiators agreed "
    "to meet again in the coming weeks.",
]


def _wire(site: str, host: str, title: str, byline_note: str | None = None) -> dict:
    paragraphs = list(_WIRE_BODY) + ([byline_note] if byline_note else [])
    return dict(
        lang="en",
        title=title,
        published="2026-02-05T16:00:00Z",
        url=f"https://{host}/news/prisoner-swap-314",
        site=site,
        paragraphs=paragraphs,
    )


SWAP_EACH_EN = dict(
    lang="en",
    title="Russia and Ukraine swap 157 prisoners each",
    published="2026-02-05T15:00:00Z",
    url="https://northern-herald.test/world/157-each",
    site="Northern Herald",
    paragraphs=[
        "Russia and Ukraine exchanged 157 prisoners each on Thursday, officials on both sides said.",
        "It was the first exchange since the talks in Abu Dhabi resumed.",
    ],
)

SWAP_EACH_JA = dict(
    lang="ja",
    title="ロシアとウクライナ、捕虜157人ずつ交換",
    published="2026-02-06T09:00:00+09:00",
    url="https://toto-shimbun.test/world/0206-prisoners",
    site="東都新聞",
    paragraphs=[
        "ロシアとウクライナは5日、捕虜を157人ずつ交換した。",
        "アブダビでの協議の再開後、初めての交換となった。",
    ],
)

SWAP_WIRE_C = _wire("Global Courier", "global-courier.test", "Russia, Ukraine swap 314 prisoners in UAE-brokered deal")
SWAP_WIRE_D = _wire("Metro Daily", "metro-daily.test", "Russia and Ukraine exchange 314 prisoners")
SWAP_WIRE_E = _wire(
    "Evening Gazette",
    "evening-gazette.test",
    "Prisoner swap: 314 freed as Russia and Ukraine trade captives",
    "(Reporting by the wire's Kyiv bureau.)",
)

SWAP_UNCLEAR = dict(
    lang="en",
    title="Prisoner swap follows Abu Dhabi talks",
    published="2026-02-05T18:00:00Z",
    url="https://kyiv-ledger.test/news/swap",
    site="Kyiv Ledger",
    paragraphs=[
        "Russia and Ukraine exchanged 157 prisoners on Thursday, according to the Ukrainian ombudsman.",
        "Many of those freed had been held since the first months of the war.",
    ],
)

CROATIA_NO_EDITED = dict(
    CROATIA_NO,
    published="2026-02-05T08:00:00Z",
    paragraphs=[
        "Croatia's government said on Tuesday that any contribution to Ukraine's security would be decided by "
        "parliament.",
        "Ministers said any contribution would be limited to training and equipment.",
    ],
)

# --- a later version states a detail the first did not (a refined claim) ----------------------------------

DENMARK_V1 = dict(
    lang="en",
    title="Denmark to join ceasefire monitoring mission",
    published="2026-02-04T10:00:00Z",
    url="https://nordic-wire.test/politics/denmark-monitoring",
    site="Nordic Wire",
    paragraphs=["Denmark will send troops to help monitor a ceasefire in Ukraine, the defence ministry said."],
)

DENMARK_V2 = dict(
    DENMARK_V1,
    published="2026-02-05T10:00:00Z",
    paragraphs=[
        "Denmark will send 40 troops to help monitor a ceasefire in Ukraine, the defence ministry said on Thursday."
    ],
)
