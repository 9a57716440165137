"""core.extract.published: publication dates from date lines, meta dates, datelines and weekdays."""
from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from core.extract.cleaning import segment_text
from core.extract.ingest import read_file
from core.extract.published import (
    find_published,
    parse_date_line,
    parse_date_value,
    parse_weekday_line,
    pinned_year,
    weekday_dates,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLD = ROOT / "tests" / "gold"
TODAY = date(2025, 6, 1)
HEAD = "Russian delegation arrives in Pyongyang"
BODY = ("The delegation, led by a deputy minister, will discuss trade and transport links, "
        "officials said, adding that more talks were planned.")


def published(*lines: str, meta=None, today=TODAY):
    text = "\n\n".join(lines)
    return find_published(text, segment_text(text), html_meta_date=meta, today=today)


@pytest.mark.parametrize("line, expected", [
    ("2024-02-13 11:47:28", (date(2024, 2, 13), "day")),
    ("| 2024-02-13 11:47:28", (date(2024, 2, 13), "day")),
    ("Status: 18.06.2024 21:44", (date(2024, 6, 18), "day")),
    ("18.06.2024", (date(2024, 6, 18), "day")),
    ("14 Jan, 2024", (date(2024, 1, 14), "day")),
    ("Thursday, 01 Feb 2024", (date(2024, 2, 1), "day")),
    ("• Thursday, 01 Feb 2024", (date(2024, 2, 1), "day")),
    ("June 18, 2024", (date(2024, 6, 18), "day")),
    ("Jun. 18, 2024, 09:05 AM ET", (date(2024, 6, 18), "day")),
    ("Feb 13th, 2024", (date(2024, 2, 13), "day")),
    ("2024/06/18", (date(2024, 6, 18), "day")),
    ("06/18/2024", (date(2024, 6, 18), "day")),
    ("18/06/2024", (date(2024, 6, 18), "day")),
    ("Updated: June 18, 2024 9:30 a.m. EST", (date(2024, 6, 18), "day")),
    ("2024-06-18T21:44:00+09:00", (date(2024, 6, 18), "day")),
    ("2024-06-18T12:44:00Z", (date(2024, 6, 18), "day")),
    ("Mon 17 Jun 2024 23.00 BST", (date(2024, 6, 17), "day")),
    ("Published 18 June 2024, 14:52 GMT", (date(2024, 6, 18), "day")),
    ("Last updated on 18 June 2024 | 3 min read", (date(2024, 6, 18), "day")),
    ("18 июня 2024", (date(2024, 6, 18), "day")),
    ("Stand: 18. Juni 2024 21:44 Uhr", (date(2024, 6, 18), "day")),
    ("2024년 2월 13일", (date(2024, 2, 13), "day")),
    ("June 2024", (date(2024, 6, 1), "month")),
])
def test_published_parse_date_line_formats(line, expected):
    assert parse_date_line(line) == expected


@pytest.mark.parametrize("line", [
    "Putin arrived on June 18, 2024 for talks", "The 2024-02-13 summit", "Opened 2024", "31.02.2024",
    "Korea 2024", "", "Posted 2 hours ago", BODY,
])
def test_published_parse_date_line_refuses_other_lines(line):
    assert parse_date_line(line) is None


@pytest.mark.parametrize("value, expected", [
    (date(2024, 6, 18), (date(2024, 6, 18), "day")),
    (datetime(2024, 6, 18, 23, 30), (date(2024, 6, 18), "day")),
    ("2024-06-18", (date(2024, 6, 18), "day")),
    ("2024-06-18T23:30:00-05:00", (date(2024, 6, 18), "day")),
    ("2024-06", (date(2024, 6, 1), "month")),
    ("2024", (date(2024, 1, 1), "year")),
    ("June 18, 2024", (date(2024, 6, 18), "day")),
    ("not a date", None),
    ("2024-13-01", None),
    (None, None),
])
def test_published_parse_date_value(value, expected):
    assert parse_date_value(value) == expected


@pytest.mark.parametrize("lines, expected", [
    ((HEAD, "Status: 18.06.2024 21:44", BODY), (date(2024, 6, 18), "day", date(2024, 6, 18))),
    ((HEAD, "| 2024-02-13 11:47:28", BODY), (date(2024, 2, 13), "day", date(2024, 2, 13))),
    ((HEAD, "  • World", "  • Thursday, 01 Feb 2024", BODY), (date(2024, 2, 1), "day", date(2024, 2, 1))),
    ((HEAD, "14 Jan, 2024", BODY), (date(2024, 1, 14), "day", date(2024, 1, 14))),
    # the publication line wins over an update line, wherever they stand
    ((HEAD, "Updated: June 20, 2024", "Published: June 18, 2024", BODY), (date(2024, 6, 18), "day", date(2024, 6, 18))),
    ((HEAD, "Updated: June 20, 2024", BODY), (date(2024, 6, 20), "day", date(2024, 6, 20))),
    # a date line in the future of `today` is not the publication date
    ((HEAD, "June 18, 2030", BODY), (None, None, None)),
    ((HEAD, BODY), (None, None, None)),
])
def test_published_from_date_lines(lines, expected):
    assert published(*lines) == expected


def test_published_meta_date_wins_over_the_text():
    assert published(HEAD, "June 18, 2024", BODY, meta="2024-06-19T08:00:00+09:00") == (
        date(2024, 6, 19), "day", date(2024, 6, 19))


@pytest.mark.parametrize("sentence, today, expected", [
    ("It will stay in Pyongyang until Friday, May 24.", TODAY, date(2024, 5, 24)),
    ("Talks are planned for Tuesday (June 18) in the capital.", TODAY, date(2024, 6, 18)),
    ("Talks are planned for June 18 (Tuesday) in the capital.", TODAY, date(2024, 6, 18)),
    ("The summit opens on Wednesday, 13 March, in Moscow.", TODAY, date(2024, 3, 13)),
    ("It will stay until Friday, May 24.", date(2019, 12, 31), date(2019, 5, 24)),
    ("The vote is on Friday, May 24, 2024.", TODAY, date(2024, 5, 24)),
])
def test_published_weekday_with_day_and_month_pins_the_month(sentence, today, expected):
    assert published(HEAD, BODY, sentence, today=today) == (expected.replace(day=1), "month", expected)


@pytest.mark.parametrize("sentence", [
    "The vote is on Friday, May 24, 2023.",  # May 24, 2023 was a Wednesday: the phrase proves nothing
    "The ministers met on Friday and again in May.",
    "They may meet on Friday, officials said.",
    "They met on Friday; the vote is on May 24.",  # a weekday and a day apart are no phrase
    "Talks are planned for Tuesday, (June 18) in the capital.",  # not a bracketed weekday
])
def test_published_inconsistent_or_vague_weekdays_pin_nothing(sentence):
    assert published(HEAD, BODY, sentence) == (None, None, None)


def test_published_latest_pinned_day_is_the_reference():
    text = ("Strikes on Friday, Dec. 30 were followed by the visit that lasts until Friday, May 24.")
    assert published(HEAD, BODY, text) == (date(2024, 5, 1), "month", date(2024, 5, 24))


def test_published_pinned_year_searches_back_from_today():
    assert pinned_year(5, 24, 4, date(2025, 6, 1)) == date(2024, 5, 24)
    assert pinned_year(2, 29, 3, date(2025, 6, 1)) == date(2024, 2, 29)
    assert pinned_year(2, 30, 3, date(2025, 6, 1)) is None


def test_published_weekday_in_a_teaser_or_caption_boilerplate_is_ignored():
    assert weekday_dates("Read also: Vote on Friday, May 24", TODAY) == [date(2024, 5, 24)]
    assert published(HEAD, BODY, "Read also: Vote on Friday, May 24") == (None, None, None)


@pytest.mark.parametrize("lines, expected", [
    ((HEAD, "▲ A photo carried by state media on Feb. 13, 2024. (Yonhap)",
      "SEOUL, Feb. 13 (Yonhap) -- " + BODY), date(2024, 2, 13)),
    ((HEAD, "SEOUL, Feb. 13 (Yonhap) -- " + BODY, "The forum was first held in 2023 and again in 2024."),
     date(2024, 2, 13)),
    ((HEAD, "WASHINGTON, June 18 (Reuters) - " + BODY, "The treaty of 2000 was renewed in 2021."), date(2021, 6, 18)),
])
def test_published_agency_dateline_with_a_year_elsewhere(lines, expected):
    assert published(*lines) == (expected, "day", expected)


@pytest.mark.parametrize("lead, expected", [
    # March 14 fell on a Thursday in 2024 (and 2019): the latest such year is taken
    ("MOSCOW, March 14. /TASS/. Russia and North Korea agreed on Thursday to open new tourist routes.",
     date(2024, 3, 14)),
    # of the years the text names, the one where Feb. 13 is a Tuesday
    ("SEOUL, Feb. 13 (Yonhap) -- State media reported Tuesday that a delegation left; talks began in 2018 "
     "and resumed in 2024 after a pause since 2019.", date(2024, 2, 13)),
])
def test_published_agency_dateline_year_from_the_leads_weekday(lead, expected):
    assert published(HEAD, lead) == (expected, "day", expected)


def test_published_agency_dateline_without_any_year_gives_nothing():
    assert published(HEAD, "SEOUL, Feb. 13 (Yonhap) -- " + BODY) == (None, None, None)


@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
def test_published_seed_dates_match_gold(path):
    gold = json.loads((GOLD / (path.stem + ".gold.json")).read_text(encoding="utf-8"))
    (art,), errors = read_file(path)
    width = {"day": 10, "month": 7, "year": 4}.get(gold["published_precision"], 10)
    got = art.published.isoformat() if art.published else None
    assert errors == []
    assert (got and got[:width], art.published_precision) == (
        gold["published"] and gold["published"][:width], gold["published_precision"])


@pytest.mark.parametrize("lines, expected", [
    # a meta line of short parts: place, date, author
    ([HEAD, "Berlin • 3 March 2024, 09:15 • Jane Roe", BODY], (date(2024, 3, 3), "day")),
    ([HEAD, "By Jane Roe | 28 March 2025 | 7 min read | Shared 318 times", BODY], (date(2025, 3, 28), "day")),
    # month precision from a "Last updated" part
    ([HEAD, "By Jane Roe · Last updated: December 2024 · Reading time: 9 minutes · Comments (6)", BODY],
     (date(2024, 12, 1), "month")),
    (["Example Review · Sanctions · December 2024 · 7 min read", HEAD, BODY], (date(2024, 12, 1), "month")),
    # a line of two dates: the first is the publication
    ([HEAD, "08.11.2022 11:47 (updated 08.11.2022 13:05)", BODY], (date(2022, 11, 8), "day")),
    # only a weekday on the dateline, the full date on the "Updated" line: the weekday's day
    ([HEAD, "Thursday 17:40", "Updated: Saturday, 6 January 2024, 11:02", BODY], (date(2024, 1, 4), "day")),
    ([HEAD, "Seoul • Fri, 09:05 KST • Jane Roe", "Updated 10:12 AM GMT+9, January 5, 2024", BODY],
     (date(2024, 1, 5), "day")),
])
def test_published_from_meta_lines_of_many_styles(lines, expected):
    assert published(*lines)[:2] == expected


@pytest.mark.parametrize("line, expected", [
    ("Thursday", 3), ("Thu, 17:40 KST", 3), ("Published Friday 09:05", 4), ("Friday talks", None), ("", None),
])
def test_published_parse_weekday_line(line, expected):
    assert parse_weekday_line(line) == expected


@pytest.mark.parametrize("line, expected", [
    ("October 25, 20243:42 AM GMT+9Updated 2 hours ago", (date(2024, 10, 25), "day")),
    ("September 14, 2024 2:41 PM 2 min read", (date(2024, 9, 14), "day")),
    ("08.11.2022 11:47 (updated 08.11.2022 13:05)", (date(2022, 11, 8), "day")),
    ("Last updated: December 2024", (date(2024, 12, 1), "month")),
])
def test_published_date_lines_glued_or_doubled(line, expected):
    assert parse_date_line(line) == expected


@pytest.mark.parametrize("text, expected", [
    ("The vote was held on May 24 in the capital.", []),  # a day and month but no weekday
    ("The vote was held on friday, May 24.", []),  # weekdays count as written, capitalised
    ("The vote was held on Friday, May 24.", [date(2024, 5, 24)]),
    ("The vote was held on May 24 (Friday).", [date(2024, 5, 24)]),
])
def test_published_weekday_dates_need_a_weekday_as_written(text, expected):
    assert weekday_dates(text, TODAY) == expected
