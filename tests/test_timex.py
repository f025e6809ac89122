from datetime import date

import pytest

from extract.model import TimeValue, Window
from extract.nlp.timex import find_times, find_windows

ANCHOR = date(2026, 2, 2)


def times(text: str, lang: str, anchor: date | None = ANCHOR, context_year: int | None = None) -> list[str]:
    """``iso`` of every time found, after checking offsets, order and non-overlap."""
    found = find_times(text, lang, anchor, context_year)
    assert_spans(text, found)
    return [value.iso for value in found]


def texts(text: str, lang: str, anchor: date | None = ANCHOR) -> list[str]:
    return [value.text for value in find_times(text, lang, anchor)]


def windows(text: str, lang: str) -> list[tuple[str, str, str | None, str]]:
    """(duration, bound, anchor, text) of every window found, after checking offsets."""
    found = find_windows(text, lang)
    assert_spans(text, found)
    return [(window.duration, window.bound, window.anchor, window.text) for window in found]


def assert_spans(text: str, found: list[TimeValue] | list[Window]) -> None:
    previous_end = 0
    for item in found:
        assert text[item.char_start : item.char_end] == item.text
        assert previous_end <= item.char_start < item.char_end
        previous_end = item.char_end


# --- Japanese times ------------------------------------------------------------------------------


def test_ja_range_with_year_is_one_value():
    text = (
        "2026年2月4日から5日にかけて、アブダビで米国、ロシア、ウクライナの3者による"
        "和平交渉の第2ラウンドが開催されます。"
    )
    [value] = find_times(text, "ja")
    assert value == TimeValue(date(2026, 2, 4), date(2026, 2, 5), "day", "2026年2月4日から5日", 0, 13)
    assert value.iso == "2026-02-04/2026-02-05"
    assert value.is_range


def test_ja_range_with_wave_dash():
    text = "2026年1月23日〜24日にアブダビで開催された初の3者協議について、米国当局者は「期待を上回った」と述べ"
    assert times(text, "ja", anchor=None) == ["2026-01-23/2026-01-24"]
    assert texts(text, "ja") == ["2026年1月23日〜24日"]


def test_ja_range_without_year_uses_anchor():
    text = "2月4日〜5日のアブダビでの交渉がどのような成果をもたらすか"
    assert times(text, "ja", anchor=date(2026, 2, 2)) == ["2026-02-04/2026-02-05"]
    assert times("1月23日〜24日に開催された協議", "ja") == ["2026-01-23/2026-01-24"]


def test_ja_range_without_year_uses_context_year():
    assert times("2月4日〜5日の交渉", "ja", anchor=None, context_year=2026) == ["2026-02-04/2026-02-05"]


def test_ja_partial_dates_without_anchor_or_context_year_are_skipped():
    text = "2月4日〜5日の交渉、1月に、12月30日、日曜日まで、今日、2025年3月2日"
    assert times(text, "ja", anchor=None) == ["2025-03-02"]


def test_ja_cross_month_range():
    text = "協議は1月30日から2月2日まで続いた。"
    assert times(text, "ja") == ["2026-01-30/2026-02-02"]
    assert texts(text, "ja") == ["1月30日から2月2日"]


def test_ja_range_across_new_year():
    assert times("12月30日から1月2日まで", "ja", anchor=date(2026, 1, 5)) == ["2025-12-30/2026-01-02"]


def test_ja_range_with_weekdays_in_parentheses():
    text = "2月4日（水）から5日（木）にかけて協議する。"
    assert times(text, "ja") == ["2026-02-04/2026-02-05"]
    assert texts(text, "ja") == ["2月4日（水）から5日（木）"]


def test_ja_abbreviated_day_range():
    assert times("2026年2月4〜5日に開催", "ja", anchor=None) == ["2026-02-04/2026-02-05"]


def test_ja_full_dates():
    text = "2025年3月2日に提案し、2025年4月30日に部隊の派遣を申し出た。"
    assert times(text, "ja", anchor=None) == ["2025-03-02", "2025-04-30"]
    assert texts(text, "ja") == ["2025年3月2日", "2025年4月30日"]


def test_ja_month_and_year_granularity():
    found = find_times("1月に協議が始まり、2026年に合意を目指す。", "ja", ANCHOR)
    assert [(value.iso, value.granularity, value.text) for value in found] == [
        ("2026-01", "month", "1月"),
        ("2026", "year", "2026年"),
    ]
    assert (found[0].start, found[0].end) == (date(2026, 1, 1), date(2026, 1, 31))
    assert (found[1].start, found[1].end) == (date(2026, 1, 1), date(2026, 12, 31))


def test_ja_qualified_year_is_the_whole_year():
    [value] = find_times("2026年初頭に展開する計画だ。", "ja")
    assert (value.iso, value.granularity, value.text) == ("2026", "year", "2026年初頭")


def test_ja_qualified_month():
    assert times("2月中旬に協議する", "ja") == ["2026-02"]


def test_ja_relative_year_joined_to_month():
    assert texts("今年2月に協議した", "ja") == ["今年2月"]
    assert times("今年2月に協議した", "ja") == ["2026-02"]


def test_ja_year_closest_to_anchor():
    assert times("12月30日に発表した", "ja", anchor=date(2026, 2, 1)) == ["2025-12-30"]
    assert times("12月30日に発表する", "ja", anchor=date(2026, 11, 1)) == ["2026-12-30"]
    assert times("1月5日に発表する", "ja", anchor=date(2025, 12, 20)) == ["2026-01-05"]


def test_ja_weekday_is_first_on_or_after_anchor():
    text = "日曜日までに回答するよう求めた。"
    assert times(text, "ja", anchor=date(2026, 2, 2)) == ["2026-02-08"]
    assert times(text, "ja", anchor=date(2026, 2, 8)) == ["2026-02-08"]
    assert texts(text, "ja") == ["日曜日"]
    assert times(text, "ja", anchor=None) == []


def test_ja_weekday_after_week_word_is_skipped():
    assert times("先週日曜日に発表した", "ja") == []


def test_ja_relative_days():
    text = "今日、明日、昨日の協議"
    assert times(text, "ja", anchor=date(2026, 3, 1)) == ["2026-03-01", "2026-03-02", "2026-02-28"]
    assert times(text, "ja", anchor=None) == []


def test_ja_times_ignore_time_of_day_durations_and_bare_days():
    text = "午後3時に、72時間以内に、3日間、30日以内に"
    assert times(text, "ja") == []


def test_ja_full_width_digits_keep_original_offsets():
    text = "交渉は２０２６年２月４日～５日に行われる。"
    [value] = find_times(text, "ja")
    assert value.iso == "2026-02-04/2026-02-05"
    assert value.text == "２０２６年２月４日～５日"
    assert (value.char_start, value.char_end) == (3, 15)


# --- English times -------------------------------------------------------------------------------


def test_en_day_range_with_year():
    text = "The second round of talks will be held in Abu Dhabi on February 4-5, 2026."
    [value] = find_times(text, "en")
    assert value == TimeValue(date(2026, 2, 4), date(2026, 2, 5), "day", "February 4-5, 2026", 55, 73)


@pytest.mark.parametrize(
    ("text", "iso", "surface"),
    [
        ("Talks resume on Feb. 4 and 5 in Abu Dhabi.", "2026-02-04/2026-02-05", "Feb. 4 and 5"),
        ("Talks on 4-5 February 2026 in Abu Dhabi.", "2026-02-04/2026-02-05", "4-5 February 2026"),
        ("The talks of January 23–24 exceeded expectations.", "2026-01-23/2026-01-24", "January 23–24"),
        ("Talks ran from January 30 to February 2.", "2026-01-30/2026-02-02", "January 30 to February 2"),
        (
            "Talks ran between January 30 and February 2.",
            "2026-01-30/2026-02-02",
            "January 30 and February 2",
        ),
        (
            "Talks ran December 30 to January 2, 2026.",
            "2025-12-30/2026-01-02",
            "December 30 to January 2, 2026",
        ),
    ],
)
def test_en_ranges(text, iso, surface):
    assert times(text, "en") == [iso]
    assert texts(text, "en") == [surface]


@pytest.mark.parametrize(
    ("text", "iso", "surface"),
    [
        ("The plan was presented on March 2, 2025, in London.", "2025-03-02", "March 2, 2025"),
        (
            "On 30 April 2025, Prime Minister Kristen Michal offered a company-sized unit.",
            "2025-04-30",
            "30 April 2025",
        ),
        ("The meeting on January 6 set the agenda.", "2026-01-06", "January 6"),
        ("They met on Wednesday, February 4.", "2026-02-04", "Wednesday, February 4"),
        ("The deal was struck in January.", "2026-01", "January"),
        ("In May 2026 the troops arrive.", "2026-05", "May 2026"),
        ("Troops will deploy in 2026.", "2026", "2026"),
        ("Troops will deploy early 2026.", "2026", "early 2026"),
        ("Russia must answer by Sunday.", "2026-02-08", "Sunday"),
        ("Talks continue today.", "2026-02-02", "today"),
        ("Talks ended yesterday.", "2026-02-01", "yesterday"),
        ("Talks resume tomorrow.", "2026-02-03", "tomorrow"),
        ("The deal was agreed last year.", "2025", "last year"),
    ],
)
def test_en_single_times(text, iso, surface):
    assert times(text, "en") == [iso]
    assert texts(text, "en") == [surface]


def test_en_granularity_and_interval():
    [month, year] = find_times("It began in January and ends in 2027.", "en", ANCHOR)
    assert (month.granularity, month.start, month.end) == ("month", date(2026, 1, 1), date(2026, 1, 31))
    assert (year.granularity, year.start, year.end) == ("year", date(2027, 1, 1), date(2027, 12, 31))


def test_en_year_closest_to_anchor():
    assert times("The offer of December 30 stands.", "en", anchor=date(2026, 2, 1)) == ["2025-12-30"]


def test_en_partial_dates_without_anchor_or_context_year_are_skipped():
    text = "Talks on February 4-5, in January, on Sunday, today; signed on March 2, 2025."
    assert times(text, "en", anchor=None) == ["2025-03-02"]
    assert times("Talks on February 4-5.", "en", anchor=None, context_year=2026) == ["2026-02-04/2026-02-05"]


@pytest.mark.parametrize(
    "text",
    [
        "The coalition has 34 countries.",
        "Forces would respond within 72 hours.",
        "The ministry counted 4,641 incidents.",
        "May I ask a question?",
        "The 2026 budget is larger.",
        "He meets them every Monday.",
        "Talks on February 30 were cancelled.",
    ],
)
def test_en_non_dates(text):
    assert times(text, "en") == []


def test_en_several_times_sorted():
    text = "After talks on January 23–24 and in Abu Dhabi on February 4-5, 2026, a deal is expected in March."
    assert times(text, "en") == ["2026-01-23/2026-01-24", "2026-02-04/2026-02-05", "2026-03"]


# --- windows -------------------------------------------------------------------------------------


def test_ja_window_with_anchor_event():
    text = (
        "より大規模なロシアの攻撃が発生した場合、最初の違反から72時間以内に、"
        "米軍を含む西側主導の統合軍事対応が発動されます。"
    )
    [window] = find_windows(text, "ja")
    assert window == Window("PT72H", "within", "最初の違反", "最初の違反から72時間以内", 20, 33)


def test_ja_window_first_hours():
    text = "停戦違反が発生した場合、最初の24時間はウクライナ軍が対応を担います。"
    assert windows(text, "ja") == [("PT24H", "within", None, "最初の24時間")]


def test_ja_window_for_a_week():
    text = "プーチン大統領が寒波を理由に1週間にわたってエネルギー施設への攻撃を停止することに同意しました。"
    assert windows(text, "ja") == [("P1W", "for", None, "1週間にわたって")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("停戦違反から24時間以内に対応する", ("PT24H", "within", "停戦違反", "停戦違反から24時間以内")),
        ("米国は違反から72時間以内に介入する", ("PT72H", "within", "違反", "違反から72時間以内")),
        ("24時間以内に対応する", ("PT24H", "within", None, "24時間以内")),
        ("3日間の停戦", ("P3D", "for", None, "3日間")),
        ("48時間後に発効する", ("PT48H", "after", None, "48時間後")),
        ("30日以内に撤退する", ("P30D", "within", None, "30日以内")),
        ("2週間以内に回答する", ("P2W", "within", None, "2週間以内")),
        ("6か月以内に選挙を行う", ("P6M", "within", None, "6か月以内")),
        ("6カ月以内に選挙を行う", ("P6M", "within", None, "6カ月以内")),
        ("攻撃を1週間にわたり停止", ("P1W", "for", None, "1週間にわたり")),
        ("三日間の停戦", ("P3D", "for", None, "三日間")),
        ("1週間の停戦", ("P1W", "for", None, "1週間")),
        ("6週間の停戦で合意", ("P6W", "for", None, "6週間")),
        ("24時間の対応枠を設ける", ("PT24H", "within", None, "24時間の対応枠")),
        (
            "最初の違反を起点に72時間がたった時点で介入する",
            ("PT72H", "after", "最初の違反", "最初の違反を起点に72時間がたった時点"),
        ),
        ("二十四時間以内に対応", ("PT24H", "within", None, "二十四時間以内")),
        ("７２時間以内に対応", ("PT72H", "within", None, "７２時間以内")),
    ],
)
def test_ja_windows(text, expected):
    assert windows(text, "ja") == [expected]


@pytest.mark.parametrize(
    "text",
    ["24時間体制で監視する", "2月30日以内", "2025年後半に", "2026年内に", "34カ国が参加"],
)
def test_ja_non_windows(text):
    assert windows(text, "ja") == []


def test_en_window_with_anchor_event():
    text = "US forces would intervene within 72 hours of the first violation."
    [window] = find_windows(text, "en")
    assert window == Window("PT72H", "within", "the first violation", "within 72 hours of the first violation", 26, 64)


def test_en_window_first_hours():
    text = "In the first 24 hours, Ukrainian forces would respond."
    assert windows(text, "en") == [("PT24H", "within", None, "In the first 24 hours")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Strikes stop for one week.", ("P1W", "for", None, "for one week")),
        ("Strikes stop for a week.", ("P1W", "for", None, "for a week")),
        ("Troops leave within 30 days.", ("P30D", "within", None, "within 30 days")),
        ("The truce lapses after 48 hours.", ("PT48H", "after", None, "after 48 hours")),
        ("Allies have a 72-hour window to act.", ("PT72H", "within", None, "72-hour window")),
        ("A 90-day pause took effect.", ("P90D", "for", None, "90-day")),
        ("The 42-day first phase begins.", ("P42D", "for", None, "42-day")),
        ("A reaction no later than 24 hours afterwards.", ("PT24H", "within", None, "no later than 24 hours")),
        (
            "A response would kick in 72 hours after the first violation.",
            ("PT72H", "after", "the first violation", "72 hours after the first violation"),
        ),
        ("They respond within seventy-two hours.", ("PT72H", "within", None, "within seventy-two hours")),
        ("They respond within twenty-four hours.", ("PT24H", "within", None, "within twenty-four hours")),
        ("Elections follow within twelve months.", ("P12M", "within", None, "within twelve months")),
        ("A pause for three days was agreed.", ("P3D", "for", None, "for three days")),
        (
            "Sanctions return 48 hours after the violation by Russia.",
            ("PT48H", "after", "the violation", "48 hours after the violation"),
        ),
    ],
)
def test_en_windows(text, expected):
    assert windows(text, "en") == [expected]


@pytest.mark.parametrize("text", ["The coalition has 34 countries.", "It lasted 72 hours.", "4,641 troops"])
def test_en_non_windows(text):
    assert windows(text, "en") == []


def test_windows_sorted_and_separate():
    text = "最初の24時間はウクライナ軍が、停戦違反から72時間以内に米軍が対応する。"
    assert [window.duration for window in find_windows(text, "ja")] == ["PT24H", "PT72H"]


# --- language ------------------------------------------------------------------------------------


@pytest.mark.parametrize("function", [find_times, find_windows])
def test_unknown_language_raises(function):
    with pytest.raises(ValueError):
        function("2026年2月4日", "nl")


def test_ja_window_anchor_written_as_kiten():
    text = "大規模な攻撃の場合には第3段階となり、最初の停戦違反を起点として、72時間以内に米軍が介入する。"
    (window,) = find_windows(text, "ja")
    assert (window.duration, window.bound, window.anchor) == ("PT72H", "within", "最初の停戦違反")
    assert text[window.char_start : window.char_end] == window.text


def test_en_weekday_ranges_and_last_weekdays():
    tuesday = date(2026, 2, 3)
    assert times("Negotiators are due to meet on Wednesday and Thursday in Abu Dhabi.", "en", tuesday) == [
        "2026-02-04/2026-02-05"
    ]
    assert times("He spoke last Sunday.", "en", tuesday) == ["2026-02-01"]
    # A weekday next to the date it names is that date.
    assert times("The session held last Friday and Saturday, Jan. 23-24, ended.", "en", date(2026, 1, 30)) == [
        "2026-01-23/2026-01-24"
    ]
    assert times("On Friday the ministry published a list.", "en", date(2025, 1, 18)) == ["2025-01-17"]
    assert times("Officials went over the plan over December and January.", "en", tuesday) == ["2025-12/2026-01"]


def test_ja_day_ranges_as_news_writes_them():
    anchor = date(2026, 2, 6)
    for text in (
        "協議は4日に続いて5日も開かれました。",
        "4日から2日間の日程で開かれました。",
        "会合は5日までの2日間にわたりました。",
    ):
        assert times(text, "ja", anchor) == ["2026-02-04/2026-02-05"], text


def test_en_weekday_in_past_tense_is_the_last_one():
    anchor = date(2026, 2, 6)  # a Friday
    (said,) = find_times("Spain will send troops, Prime Minister Pedro Sánchez said on Thursday.", "en", anchor)
    assert said.iso == "2026-02-05"
    (meets,) = find_times("The coalition will meet again on Thursday.", "en", anchor)
    assert meets.iso == "2026-02-12"


def test_ja_bare_day_is_a_day_of_the_anchor_month():
    assert times("政府は4日、追加の制裁を発表した。", "ja", anchor=date(2026, 2, 6)) == ["2026-02-04"]
    assert times("ロシアは28日、声明を出した。", "ja", anchor=date(2026, 2, 3)) == ["2026-01-28"]
    assert times("政府は4日、追加の制裁を発表した。", "ja", anchor=None) == []
    assert times("停戦から5日連続で攻撃がなかった。", "ja", anchor=date(2026, 2, 6)) == []


# --- relative months, parts of a year, last week's weekdays ---------------------------------------


def test_en_last_and_next_named_month_are_anchored():
    # anchor: Monday 2 February 2026
    assert times("The talks were relaunched in Doha last November.", "en") == ["2025-11"]
    assert times("A follow-up summit is planned for next March.", "en") == ["2026-03"]
    assert times("Elections are due next January.", "en") == ["2027-01"]
    # a month named with its year relative to the anchor is one time, not the month of this year
    assert times("The junta, which seized power in July last year, expelled the envoy.", "en") == ["2025-07"]
    assert times("Talks are to resume in March next year.", "en") == ["2027-03"]


def test_en_parts_of_a_year_are_month_ranges():
    assert times("Elections will be held in the second half of 2027.", "en") == ["2027-07/2027-12"]
    assert times("Output rises over the first nine months of 2026.", "en") == ["2026-01/2026-09"]
    assert times("Deliveries start in the third quarter of 2026.", "en") == ["2026-07/2026-09"]
    assert times("Cuts are phased out from October 2026 until September 2027.", "en") == ["2026-10/2027-09"]


def test_en_last_weekday_is_the_previous_calendar_weeks():
    sunday = date(2026, 2, 1)
    assert times("The first round, held last Friday and Saturday, ended without a deal.", "en", sunday) == [
        "2026-01-23/2026-01-24"
    ]
    monday = date(2026, 2, 2)
    assert times("The ministers met last Friday.", "en", monday) == ["2026-01-30"]


def test_ja_half_a_year_is_six_months_and_a_range_day_is_no_duration():
    assert [w[:2] for w in windows("政府は半年以内に新たな計画を策定する方針だ。", "ja")] == [("P6M", "within")]
    assert windows("次回会合は2月4日〜5日の日程で調整が進んでいる。", "ja") == []


@pytest.mark.parametrize(
    ("lang", "text", "want"),
    [
        ("fr", "La junte avait pris le pouvoir en juillet dernier.", ["2025-07"]),
        ("fr", "Le sommet aura lieu en mars prochain.", ["2026-03"]),  # the first March after the anchor
        ("de", "Die Junta hatte im Juli vergangenen Jahres die Macht übernommen.", ["2025-07"]),
        ("es", "La junta tomó el poder en julio del año pasado.", ["2025-07"]),
        ("it", "La giunta ha preso il potere nel luglio scorso.", ["2025-07"]),
        ("ru", "Хунта пришла к власти в июле прошлого года.", ["2025-07"]),
        ("uk", "Хунта захопила владу у липні минулого року.", ["2025-07"]),
    ],
)
def test_a_month_of_last_or_next_year_is_anchored(lang, text, want):
    # anchor: Monday 2 February 2026
    assert times(text, lang) == want


@pytest.mark.parametrize(
    ("lang", "text", "iso"),
    [
        ("en", "The bank expects to finish the sale by the end of 2027.", "2027-12"),
        ("en", "Both sides hope to sign the accord before the end of the year.", "2026-12"),
        ("en", "The reactor is to restart by year-end.", "2026-12"),
        ("en", "Payments resume at the end of the month.", "2026-05"),
        ("ja", "両政府は2027年末までの合意を目指す。", "2027-12"),
        ("ja", "政府は今年末までに方針をまとめる。", "2026-12"),
        ("ja", "部隊は今月末までに撤収する。", "2026-05"),
        ("fr", "Paris veut conclure d'ici la fin de l'année.", "2026-12"),
        ("fr", "Le retrait sera achevé fin 2027.", "2027-12"),
        ("de", "Die Truppen sollen bis Ende 2027 abgezogen werden.", "2027-12"),
        ("de", "Berlin will das Abkommen noch vor Jahresende unterzeichnen.", "2026-12"),
        ("es", "El Gobierno prevé aprobarlo antes de fin de año.", "2026-12"),
        ("es", "La retirada concluirá a finales de 2027.", "2027-12"),
        ("it", "Il governo punta a chiudere entro la fine dell'anno.", "2026-12"),
        ("it", "Il ritiro sarà completato entro fine 2027.", "2027-12"),
        ("ru", "Москва рассчитывает завершить вывод к концу 2027 года.", "2027-12"),
        ("ru", "Переговоры продолжатся до конца года.", "2026-12"),
        ("uk", "Київ очікує рішення до кінця року.", "2026-12"),
        ("uk", "Виведення завершать наприкінці 2027 року.", "2027-12"),
    ],
)
def test_the_end_of_a_year_or_month_is_its_last_month(lang, text, iso):
    found = find_times(text, lang, anchor=date(2026, 5, 14))
    assert [value.iso for value in found] == [iso]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("政府は１１月までに結論を出したい考えだ。", "2023-11"),  # a deadline is ahead
        ("両国は１１月に合意していた。", "2022-11"),  # a told month is the nearest one
    ],
)
def test_a_deadline_month_without_a_year_is_the_next_one(text, iso):
    assert [v.iso for v in find_times(text, "ja", anchor=date(2023, 3, 7))] == [iso]
