"""Tests for core.extract.dates: date expressions found in made-up news sentences and resolved."""
from datetime import date

import pytest

from core.extract.dates import (
    LEX,
    find_dates,
    iso,
    resolve_ago,
    resolve_month,
    resolve_month_day,
    resolve_relative_month,
    resolve_relative_period,
    resolve_weekday,
    year_on_weekday,
)
from core.model import DateMention

WED = date(2024, 3, 13)  # a Wednesday
SUN = date(2025, 11, 2)  # a Sunday


def found(text, ref, tense=None):
    """find_dates as (text, date, precision, end_date) tuples with ISO dates."""
    return [(m.text, iso(m.date), m.precision, iso(m.end_date)) for m in find_dates(text, ref, tense=tense)]


@pytest.mark.parametrize("text, ref, expected", [
    ("The treaty was signed on October 7, 2022, in Vladivostok.", WED,
     [("October 7, 2022", "2022-10-07", "day", None)]),
    ("Officials met on 3 August 2021 to discuss rail links.", WED,
     [("3 August 2021", "2021-08-03", "day", None)]),
    ("Posted 2023-11-05 by the ministry", WED, [("2023-11-05", "2023-11-05", "day", None)]),
    ("Stand: 05.11.2023 08:15", WED, [("05.11.2023", "2023-11-05", "day", None)]),
    ("Updated: Saturday, 09 Mar 2024", WED, [("Saturday, 09 Mar 2024", "2024-03-09", "day", None)]),
    ("KHABAROVSK, 27 Apr, 2022 (Reuters)", WED, [("27 Apr, 2022", "2022-04-27", "day", None)]),
    ("the 21st of September 2019 meeting", WED, [("the 21st of September 2019", "2019-09-21", "day", None)]),
    ("The ministers spoke on Tuesday, Nov. 14, 2023.", WED, [("Tuesday, Nov. 14, 2023", "2023-11-14", "day", None)]),
    ("Shipments grew in June 2023 and again in Aug. 2023.", WED,
     [("June 2023", "2023-06-01", "month", None), ("Aug. 2023", "2023-08-01", "month", None)]),
    ("Ties have deepened since 2019.", WED, [("2019", "2019-01-01", "year", "2024-03-13")]),
    ("A border bridge is due by mid-2026.", WED, [("mid-2026", "2026-07-01", "month", None)]),
    ("Construction resumed in late 2022 and ended at the end of 2023.", WED,
     [("late 2022", "2022-01-01", "year", None), ("the end of 2023", "2023-01-01", "year", None)]),
    ("The 2018 summit in Singapore changed little.", WED, [("2018", "2018-01-01", "year", None)]),
    ("Putin recalled the 2000 summit.", WED, [("2000", "2000-01-01", "year", None)]),
    ("Seoul, 2023.12.01 10:05", WED, [("2023.12.01", "2023-12-01", "day", None)]),
    ("Filed 12/01/2023 by staff", WED, [("12/01/2023", "2023-12-01", "day", None)]),
    ("Pyongyang's ties with Moscow cooled in the 1990s.", WED,
     [("the 1990s", "1990-01-01", "year", "1999-12-31")]),
    ("Veterans of the 1950-53 conflict attended.", WED, [("1950-53", "1950-01-01", "year", "1953-12-31")]),
    ("Trade fell between 2014 and 2016.", WED, [("between 2014 and 2016", "2014-01-01", "year", "2016-12-31")]),
    ("Output doubled in the third quarter of 2023.", WED,
     [("the third quarter of 2023", "2023-07-01", "month", "2023-09-30")]),
    ("Drills took place in the summer of 2022.", WED, [("summer of 2022", "2022-06-01", "month", "2022-08-31")]),
])
def test_dates_absolute_expressions(text, ref, expected):
    assert found(text, ref) == expected


@pytest.mark.parametrize("text, ref, tense, expected", [
    ("Exercises are set for Aug. 19-29 near the border.", WED, "future",
     [("Aug. 19-29", "2024-08-19", "day", "2024-08-29")]),
    ("The envoy will stay from April 2 to 5.", WED, "future",
     [("from April 2 to 5", "2024-04-02", "day", "2024-04-05")]),
    ("The fair runs between 8 and 11 April in Rason.", WED, None,
     [("between 8 and 11 April", "2024-04-08", "day", "2024-04-11")]),
    ("Talks ran from 28 February to 2 March.", WED, "past",
     [("from 28 February to 2 March", "2024-02-28", "day", "2024-03-02")]),
    ("Flights were halted Dec. 29 - Jan. 3.", WED, "past",
     [("Dec. 29 - Jan. 3", "2023-12-29", "day", "2024-01-03")]),
    ("Drills are planned from May to July.", WED, "future",
     [("from May to July", "2024-05-01", "month", "2024-07-31")]),
    ("The games run 14–16 June 2024.", WED, None, [("14–16 June 2024", "2024-06-14", "day", "2024-06-16")]),
])
def test_dates_ranges_have_an_end_date(text, ref, tense, expected):
    assert found(text, ref, tense) == expected


@pytest.mark.parametrize("text, ref, tense, expected", [
    ("Drones hit the port on Nov. 28, Dec. 3, and Jan. 9.", date(2024, 2, 20), "past",
     [("Nov. 28", "2023-11-28", "day", None), ("Dec. 3", "2023-12-03", "day", None),
      ("Jan. 9", "2024-01-09", "day", None)]),
    ("Trains left on March 4, 6 and 9, officials said.", WED, "past",
     [("March 4", "2024-03-04", "day", None), ("6", "2024-03-06", "day", None), ("9", "2024-03-09", "day", None)]),
    ("Ships docked on 4 and 7 March.", WED, "past",
     [("4", "2024-03-04", "day", None), ("7 March", "2024-03-07", "day", None)]),
    ("Launches were reported on Feb. 2 and Feb. 10, 2024.", WED, None,
     [("Feb. 2", "2024-02-02", "day", None), ("Feb. 10, 2024", "2024-02-10", "day", None)]),
])
def test_dates_lists_give_one_mention_per_date(text, ref, tense, expected):
    assert found(text, ref, tense) == expected


@pytest.mark.parametrize("text, ref, tense, expected", [
    # month-day without a year: past -> latest on or before ref, future -> next on or after
    ("The minister arrived on Feb. 22.", WED, "past", [("Feb. 22", "2024-02-22", "day", None)]),
    ("The minister will arrive on Feb. 22.", WED, "future", [("Feb. 22", "2025-02-22", "day", None)]),
    ("Officials said Sept. 12 was chosen.", WED, "past", [("Sept. 12", "2023-09-12", "day", None)]),
    ("A vote is scheduled for May 20.", WED, "future", [("May 20", "2024-05-20", "day", None)]),
    ("The envoy arrived March 13.", WED, "past", [("March 13", "2024-03-13", "day", None)]),
    # unknown tense: the past unless the next one is within about two months
    ("The date of the forum is April 30.", WED, None, [("April 30", "2024-04-30", "day", None)]),
    ("The date of the forum is July 30.", WED, None, [("July 30", "2023-07-30", "day", None)]),
    ("Jan. 11 marked a turning point.", WED, None, [("Jan. 11", "2024-01-11", "day", None)]),
    # a weekday given with the date picks the year
    ("The talks open on Friday, Nov. 15.", WED, None, [("Friday, Nov. 15", "2024-11-15", "day", None)]),
    # bare months need a context word or a part of the month
    ("Lavrov travelled to Pyongyang in October.", WED, "past", [("October", "2023-10-01", "month", None)]),
    ("Lavrov travels to Pyongyang in October.", WED, "future", [("October", "2024-10-01", "month", None)]),
    ("A delegation is expected in April.", WED, None, [("April", "2024-04-01", "month", None)]),
    ("Rail traffic has grown since January.", WED, None, [("January", "2024-01-01", "month", "2024-03-13")]),
    ("In early February, the embassy reopened.", WED, "past", [("early February", "2024-02-01", "month", None)]),
    ("Fighting eased in mid-December.", WED, "past", [("mid-December", "2023-12-01", "month", None)]),
    ("Kim hosted Shoigu in July last year.", WED, "past", [("July last year", "2023-07-01", "month", None)]),
    ("A summit is planned for June of next year.", WED, "future", [("June of next year", "2025-06-01", "month", None)]),
    ("They last met in November this year.", SUN, "past", [("November this year", "2025-11-01", "month", None)]),
])
def test_dates_without_a_year_follow_tense(text, ref, tense, expected):
    assert found(text, ref, tense) == expected


@pytest.mark.parametrize("text, ref, tense, expected", [
    ("The ministry said on Monday it had evidence.", WED, "past", [("Monday", "2024-03-11", "day", None)]),
    ("KCNA reported Wednesday that talks ended.", WED, "past", [("Wednesday", "2024-03-13", "day", None)]),
    ("The delegation will leave Wednesday.", WED, "future", [("Wednesday", "2024-03-13", "day", None)]),
    ("The delegation leaves on Friday.", WED, None, [("Friday", "2024-03-15", "day", None)]),
    ("Russia fired missiles on Sunday night.", WED, "past", [("Sunday night", "2024-03-10", "day", None)]),
    ("The envoy arrived last Wednesday.", WED, "past", [("last Wednesday", "2024-03-06", "day", None)]),
    ("Talks resume next Wednesday.", WED, "future", [("next Wednesday", "2024-03-20", "day", None)]),
    ("The forum opens this coming Saturday.", WED, None, [("this coming Saturday", "2024-03-16", "day", None)]),
    ("Officials met on Sunday.", SUN, "past", [("Sunday", "2025-11-02", "day", None)]),
    ("Officials met on Saturday's sidelines.", SUN, "past", [("Saturday", "2025-11-01", "day", None)]),
])
def test_dates_weekdays_follow_tense(text, ref, tense, expected):
    assert found(text, ref, tense) == expected


@pytest.mark.parametrize("text, ref, expected", [
    ("Envoys met last week in Moscow.", WED, [("last week", "2024-03-01", "month", None)]),
    ("Envoys met last week in Moscow.", date(2024, 3, 5), [("last week", "2024-02-01", "month", None)]),
    ("The minister will visit Beijing this coming week.", date(2024, 3, 30),
     [("this coming week", "2024-04-01", "month", None)]),
    ("Talks continue next week.", WED, [("next week", "2024-03-01", "month", None)]),
    ("Earlier this month, the UN panel said so.", WED, [("Earlier this month", "2024-03-01", "month", None)]),
    ("Prices rose this month.", WED, [("this month", "2024-03-01", "month", None)]),
    ("The Kremlin said last month that talks stalled.", WED, [("last month", "2024-02-01", "month", None)]),
    ("A rail link opens next month.", date(2024, 12, 5), [("next month", "2025-01-01", "month", None)]),
    ("Exports fell this year.", WED, [("this year", "2024-01-01", "year", None)]),
    ("Kim visited the Far East last year.", WED, [("last year", "2023-01-01", "year", None)]),
    ("Cargo has moved since last year.", WED, [("last year", "2023-01-01", "year", "2024-03-13")]),
    ("A satellite was launched late last year.", WED, [("late last year", "2023-01-01", "year", None)]),
    ("Drills resume early next year.", WED, [("early next year", "2025-01-01", "year", None)]),
    ("Putin hosted Kim last September.", WED, [("last September", "2023-09-01", "month", None)]),
    ("Putin hosted Kim last March.", WED, [("last March", "2023-03-01", "month", None)]),
    ("Putin hosted Kim last February.", WED, [("last February", "2024-02-01", "month", None)]),
    ("Putin will host Kim next March.", WED, [("next March", "2025-03-01", "month", None)]),
    ("He was last in Pyongyang 24 years ago.", WED, [("24 years ago", "2000-01-01", "year", None)]),
    ("The pact was signed two weeks ago.", WED, [("two weeks ago", "2024-02-01", "month", None)]),
    ("The pact was signed a year ago.", WED, [("a year ago", "2023-01-01", "year", None)]),
    ("The pact was signed three days ago.", WED, [("three days ago", "2024-03-10", "day", None)]),
    ("The pact was signed six months ago.", WED, [("six months ago", "2023-09-01", "month", None)]),
    ("They fought side by side seventy-three years ago.", WED,
     [("seventy-three years ago", "1951-01-01", "year", None)]),
    ("The port reopened yesterday.", WED, [("yesterday", "2024-03-12", "day", None)]),
    ("The port reopens today and tomorrow.", WED,
     [("today", "2024-03-13", "day", None), ("tomorrow", "2024-03-14", "day", None)]),
    ("The day before, the envoy left.", WED, [("The day before", "2024-03-12", "day", None)]),
    ("Strikes intensified over the weekend.", WED, [("the weekend", "2024-03-16", "day", "2024-03-17")]),
    ("Sales slowed last quarter.", WED, [("last quarter", "2023-10-01", "month", "2023-12-31")]),
])
def test_dates_relative_expressions(text, ref, expected):
    assert found(text, ref) == expected


@pytest.mark.parametrize("text, expected", [
    ("Russia has received shells in recent months.", [("in recent months", None, None, None)]),
    ("Tourists recently visited Wonsan.", [("recently", None, None, None)]),
    ("A visit will take place in the foreseeable future.", [("in the foreseeable future", None, None, None)]),
    ("More trains will run in the coming weeks.", [("in the coming weeks", None, None, None)]),
    ("Cooperation grew over the past few years.", [("over the past few years", None, None, None)]),
    ("Earlier the same day, the envoy left.", [("the same day", None, None, None)]),
    ("Seven months after the summit, Kim visited.", [("Seven months after", None, None, None)]),
    ("Kim visited several years ago.", [("several years ago", None, None, None)]),
    ("Two days later, the ship sailed.", [("Two days later", None, None, None)]),
    ("The day after the summit, Kim left.", [("The day after", None, None, None)]),
    ("Talks will resume soon.", [("soon", None, None, None)]),
])
def test_dates_vague_expressions_have_no_date(text, expected):
    assert found(text, WED, "past") == expected


@pytest.mark.parametrize("text", [
    "Kim may visit Russia, officials said.",
    "Putin May Visit North Korea, Reports Say",
    "At least 20 May be killed, officials warned.",
    "Thousands joined a protest march in the capital.",
    "The march was organised by veterans.",
    "The two-day visit ended with a banquet.",
    "The two countries have had 24 years of formal ties.",
    "Russia fired Hwasong-11 missiles after the COVID-19 pandemic.",
    "Su-27 and MiG-29 jets escorted the plane.",
    "It was the first such launch; 50 missiles and 1,000 containers were sent.",
    "Victory Day parades were held in Moscow.",
    "The plane landed at 21:44 local time.",
    "UN Security Council Resolution 2094 bans such trade.",
    "The Sunday Times reported the deal.",
    "Russia Today broadcast the speech.",
    "Kim arrived as soon as possible.",
    "Russia moved the 2000 troops north.",
    "Production reached 1500 shells a day.",
])
def test_dates_ignores_non_dates(text):
    assert found(text, WED, "past") == []


@pytest.mark.parametrize("text, expected", [
    ("The treaty of June 19, 2024 was ratified.", [("June 19, 2024", "2024-06-19", "day", None)]),
    ("Trade grew in 2023.", [("2023", "2023-01-01", "year", None)]),
    ("The vote is set for Aug. 1.", [("Aug. 1", None, None, None)]),
    ("Kim left on Monday.", [("Monday", None, None, None)]),
    ("Envoys met last week.", [("last week", None, None, None)]),
    ("He visited 24 years ago.", [("24 years ago", None, None, None)]),
    ("The talks run Feb. 15-17.", [("Feb. 15-17", None, None, None)]),
])
def test_dates_without_reference_resolve_only_absolute(text, expected):
    assert found(text, None, "past") == expected


@pytest.mark.parametrize("name, number", [*LEX["months"].items(), *LEX["month_abbreviations"].items()])
def test_dates_every_month_name_in_the_lexicon(name, number):
    text = f"It happened on {name} 5, 2020, officials said."
    assert [(m.date, m.precision) for m in find_dates(text, WED)] == [(date(2020, number, 5), "day")]


def test_dates_offsets_point_into_the_article():
    article = "Headline\n\nThe envoy arrived on Feb. 22 and left last week."
    sentence_start = article.index("The envoy")
    mentions = find_dates(article[sentence_start:], WED, offset=sentence_start, tense="past")
    assert mentions == [
        DateMention(start=31, end=38, text="Feb. 22", date=date(2024, 2, 22), precision="day"),
        DateMention(start=48, end=57, text="last week", date=date(2024, 3, 1), precision="month"),
    ]
    assert [article[m.start:m.end] for m in mentions] == ["Feb. 22", "last week"]


def test_dates_unknown_tense_is_an_error():
    with pytest.raises(ValueError, match="tense"):
        find_dates("on Monday", WED, tense="pluperfect")


@pytest.mark.parametrize("weekday, ref, tense, relation, expected", [
    (1, date(2024, 2, 13), "past", None, date(2024, 2, 13)),  # published Tuesday, "reported Tuesday"
    (0, date(2024, 2, 13), "past", None, date(2024, 2, 12)),
    (0, date(2024, 2, 13), "future", None, date(2024, 2, 19)),
    (1, date(2024, 2, 13), None, None, date(2024, 2, 13)),
    (1, date(2024, 2, 13), "past", "last", date(2024, 2, 6)),
    (1, date(2024, 2, 13), "past", "next", date(2024, 2, 20)),
    (6, date(2024, 2, 13), None, None, date(2024, 2, 18)),
    (6, None, "past", None, None),
])
def test_dates_resolve_weekday(weekday, ref, tense, relation, expected):
    assert resolve_weekday(weekday, ref, tense, relation=relation) == expected


@pytest.mark.parametrize("month, day, ref, tense, expected", [
    (12, 30, date(2024, 2, 20), "past", date(2023, 12, 30)),
    (12, 30, date(2024, 2, 20), "future", date(2024, 12, 30)),
    (2, 20, date(2024, 2, 20), "past", date(2024, 2, 20)),
    (2, 20, date(2024, 2, 20), "future", date(2024, 2, 20)),
    (4, 10, date(2024, 2, 20), None, date(2024, 4, 10)),  # 50 days ahead: upcoming
    (5, 10, date(2024, 2, 20), None, date(2023, 5, 10)),  # 80 days ahead: last year's
    (2, 29, date(2025, 3, 1), "past", date(2024, 2, 29)),
    (2, 30, date(2025, 3, 1), "past", None),
])
def test_dates_resolve_month_day(month, day, ref, tense, expected):
    assert resolve_month_day(month, day, ref, tense) == expected


@pytest.mark.parametrize("month, ref, tense, expected", [
    (9, date(2024, 1, 14), "past", date(2023, 9, 1)),
    (9, date(2024, 1, 14), None, date(2023, 9, 1)),
    (3, date(2024, 2, 1), None, date(2024, 3, 1)),
    (1, date(2024, 1, 14), "past", date(2024, 1, 1)),
    (1, date(2024, 1, 14), "future", date(2024, 1, 1)),
    (12, date(2024, 1, 14), "future", date(2024, 12, 1)),
])
def test_dates_resolve_month(month, ref, tense, expected):
    assert resolve_month(month, ref, tense) == expected


@pytest.mark.parametrize("month, relation, expected", [
    (9, "last", date(2023, 9, 1)),
    (5, "last", date(2023, 5, 1)),  # ref is in May: strictly before its month
    (4, "last", date(2024, 4, 1)),
    (5, "next", date(2025, 5, 1)),
    (6, "next", date(2024, 6, 1)),
    (1, "this", date(2024, 1, 1)),
])
def test_dates_resolve_relative_month(month, relation, expected):
    assert resolve_relative_month(month, date(2024, 5, 21), relation) == expected


@pytest.mark.parametrize("unit, offset, expected", [
    ("week", -1, (date(2024, 2, 1), "month", None)),
    ("week", 0, (date(2024, 3, 1), "month", None)),
    ("month", -3, (date(2023, 12, 1), "month", None)),
    ("year", 1, (date(2025, 1, 1), "year", None)),
    ("weekend", 0, (date(2024, 3, 9), "day", date(2024, 3, 10))),
    ("quarter", 0, (date(2024, 1, 1), "month", date(2024, 3, 31))),
])
def test_dates_resolve_relative_period(unit, offset, expected):
    assert tuple(resolve_relative_period(unit, offset, date(2024, 3, 4))) == expected


@pytest.mark.parametrize("count, unit, sign, expected", [
    (24, "year", -1, (date(2000, 1, 1), "year", None)),
    (2, "week", -1, (date(2024, 6, 1), "month", None)),
    (3, "day", 1, (date(2024, 6, 21), "day", None)),
    (0.5, "year", -1, (date(2023, 12, 1), "month", None)),
    (1, "decade", -1, (date(2014, 1, 1), "year", None)),
])
def test_dates_resolve_ago(count, unit, sign, expected):
    assert tuple(resolve_ago(count, unit, date(2024, 6, 18), sign=sign)) == expected


@pytest.mark.parametrize("value, expected", [(date(2024, 1, 5), "2024-01-05"), (None, None)])
def test_dates_iso(value, expected):
    assert iso(value) == expected


@pytest.mark.parametrize("month, day, weekday, years, expected", [
    (5, 24, 4, [2026, 2025, 2024, 2023], date(2024, 5, 24)),  # the first year in which May 24 is a Friday
    (2, 29, 3, range(2027, 2019, -1), date(2024, 2, 29)),  # only leap years have the day
    (5, 24, 4, [2025, 2026], None),  # a Saturday and a Sunday
])
def test_dates_the_weekday_picks_the_year(month, day, weekday, years, expected):
    assert year_on_weekday(month, day, weekday, years) == expected


@pytest.mark.parametrize("text, ref, expected", [
    # a "since" period looks back from the reference date and runs up to it
    ("Minsk has hosted the troops since Friday.", WED, [("Friday", "2024-03-08", "day", "2024-03-13")]),
    ("Rail cargo has doubled since last September.", WED, [("last September", "2023-09-01", "month", "2024-03-13")]),
    ("Ferries have sailed since early May.", WED, [("early May", "2023-05-01", "month", "2024-03-13")]),
    ("Flights ran between 7 September and 1 October.", WED,
     [("between 7 September and 1 October", "2023-09-07", "day", "2023-10-01")]),
    # spans back from the reference date
    ("Shipments rose in recent weeks.", WED, [("in recent weeks", "2024-02-13", "day", "2024-03-13")]),
    ("Trade grew over the past month.", WED, [("over the past month", "2024-02-13", "day", "2024-03-13")]),
    ("Talks were held twice in the past week.", WED, [("in the past week", "2024-03-06", "day", "2024-03-13")]),
    ("Cooperation grew over the past two years.", WED,
     [("over the past two years", "2022-03-01", "month", "2024-03-13")]),
    # vague times by the schema's conventions
    ("The line reopened in mid-2021.", WED, [("mid-2021", "2021-07-01", "month", None)]),
    ("Drills were held in summer 2023.", WED, [("summer 2023", "2023-06-01", "month", "2023-08-31")]),
])
def test_dates_periods(text, ref, expected):
    assert found(text, ref) == expected


@pytest.mark.parametrize("text, expected", [
    # two months in a row are one period; two months apart are two dates
    ("Ships docked in January and February.", [("in January and February", "2024-01-01", "month", "2024-02-29")]),
    ("Launches failed in May and August.",
     [("May", "2023-05-01", "month", None), ("August", "2023-08-01", "month", None)]),
])
def test_dates_months_joined_by_and(text, expected):
    assert found(text, WED, "past") == expected
