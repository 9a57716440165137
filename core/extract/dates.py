"""Date expressions in news text, resolved against an article's reference date.

`find_dates(text, ref, tense=...)` returns every date expression of a sentence as
`core.model.DateMention`s. It is pure regular expressions (compiled once from the word lists
in `core/data/date_words.json`), no spaCy, because it runs on every sentence of every article.

Conventions (GOLD_SCHEMA.md):
- `date` is the first day of the period for month and year precision; ranges also get
  `end_date` (their last day).
- Week-level expressions ("last week", "two weeks ago") have month precision: the first day of
  the month the week falls in (the reference date moved by whole weeks).
- Vague expressions ("recently", "in recent months", "in the foreseeable future", "the day
  after the summit") are returned with `date` and `precision` None so callers know the time
  is vague rather than missing.
- `tense` ("past", "future" or None) comes from the governing verb and only decides the
  direction of expressions without a year: weekdays, month-days and bare months.
- With no reference date, expressions carrying a year still resolve; relative ones get None.
"""
from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import NamedTuple

from core.data import load_json
from core.model import DateMention
from core.vocab import Precision

TENSES = ("past", "future", None)
# An unknown-tense date without a year is taken as upcoming only this close ahead; news
# mostly reports what happened, but announces what is about to happen.
FUTURE_WINDOW_DAYS = 61
FUTURE_WINDOW_MONTHS = 2


# --- resolution: pure date arithmetic -----------------------------------------------------


def iso(d: date | None) -> str | None:
    """`d` as YYYY-MM-DD, or None."""
    return d.isoformat() if d is not None else None


def month_start(d: date) -> date:
    """The first day of `d`'s month."""
    return d.replace(day=1)


def month_end(year: int, month: int) -> date:
    """The last day of `month` in `year`."""
    return date(year, month, calendar.monthrange(year, month)[1])


def shift_months(d: date, n: int) -> date:
    """The first day of the month `n` months after `d`'s month (n may be negative)."""
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(a: date, b: date) -> int:
    """Whole calendar months from `a`'s month to `b`'s month (negative when b is earlier)."""
    return (b.year - a.year) * 12 + b.month - a.month


def safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist (Feb. 30) or is out of range."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def year_on_weekday(month: int, day: int, weekday: int, years: Iterable[int]) -> date | None:
    """month/day in the first of `years` in which it falls on `weekday` (Monday=0): the weekday
    picks the year; None when it does in none of them."""
    return next((d for y in years if (d := safe_date(y, month, day)) and d.weekday() == weekday), None)


def _check_tense(tense: str | None) -> str | None:
    """`tense` normalised to one of TENSES ("present" is None); ValueError for anything else."""
    if tense in (None, "present"):
        return None
    if tense in ("past", "future"):
        return tense
    raise ValueError(f"tense must be 'past', 'future' or None, not {tense!r}")


def _pick(past: date | None, future: date | None, tense: str | None, near_future: bool) -> date | None:
    """`past` or `future` by tense; with no tense the future one only when `near_future`."""
    if tense == "past" or future is None:
        return past
    if tense == "future" or past is None:
        return future
    return future if near_future else past


def resolve_weekday(weekday: int, ref: date | None, tense: str | None = None, *,
                    relation: str | None = None) -> date | None:
    """The date of `weekday` (Monday=0) seen from `ref`, or None without `ref`.

    relation "last" is the latest such day strictly before `ref`, "next" the first strictly
    after. Otherwise the tense decides: past -> latest on or before `ref` (the same day allowed:
    published Tuesday, "said Tuesday"); future or present -> the first on or after `ref`.
    """
    if ref is None:
        return None
    back = (ref.weekday() - weekday) % 7
    ahead = (weekday - ref.weekday()) % 7
    if relation == "last":
        return ref - timedelta(days=back or 7)
    if relation == "next":
        return ref + timedelta(days=ahead or 7)
    if _check_tense(tense) == "past":
        return ref - timedelta(days=back)
    return ref + timedelta(days=ahead)


def resolve_month_day(month: int, day: int, ref: date | None, tense: str | None = None) -> date | None:
    """The occurrence of month/day nearest `ref` in the tense's direction, or None.

    past -> the latest on or before `ref`; future -> the first on or after; no tense -> the
    latest on or before unless the next one is within FUTURE_WINDOW_DAYS ahead. None without
    `ref` or when the day does not exist in any nearby year.
    """
    if ref is None:
        return None
    candidates = [c for y in range(ref.year - 4, ref.year + 5) if (c := safe_date(y, month, day))]
    past = max((c for c in candidates if c <= ref), default=None)
    future = min((c for c in candidates if c >= ref), default=None)
    near = future is not None and (future - ref).days <= FUTURE_WINDOW_DAYS
    return _pick(past, future, _check_tense(tense), near)


def resolve_month(month: int, ref: date | None, tense: str | None = None) -> date | None:
    """The first day of the occurrence of `month` nearest `ref`'s month, or None without `ref`.

    Same direction rules as `resolve_month_day`, counted in months: the reference month itself
    counts as both past and future; with no tense a month up to FUTURE_WINDOW_MONTHS ahead is
    taken as upcoming.
    """
    if ref is None:
        return None
    this_month = month_start(ref)
    same_year = date(ref.year, month, 1)
    past = same_year if same_year <= this_month else date(ref.year - 1, month, 1)
    future = same_year if same_year >= this_month else date(ref.year + 1, month, 1)
    near = months_between(this_month, future) <= FUTURE_WINDOW_MONTHS
    return _pick(past, future, _check_tense(tense), near)


def resolve_relative_month(month: int, ref: date | None, relation: str) -> date | None:
    """First day of "last|this|next <month>": last = the latest strictly before `ref`'s month,
    next = the first strictly after, this = the one in `ref`'s year."""
    if ref is None:
        return None
    this_month = month_start(ref)
    same_year = date(ref.year, month, 1)
    if relation == "last":
        return same_year if same_year < this_month else date(ref.year - 1, month, 1)
    if relation == "next":
        return same_year if same_year > this_month else date(ref.year + 1, month, 1)
    return same_year


class Period(NamedTuple):
    """A resolved time: its first day, a `Precision` (None when vague) and, for ranges, its last day."""

    # datetime.date: inside the class body `date` names the field, not the type
    date: datetime.date | None
    precision: str | None
    end_date: datetime.date | None = None


VAGUE = Period(None, None)


def resolve_relative_period(unit: str, offset: int, ref: date | None) -> Period:
    """The period `offset` units (week|weekend|month|quarter|year) from `ref`'s.

    Weeks give month precision (the month of `ref` moved by whole weeks); weekends give their
    Saturday with day precision and end on the Sunday; quarters give their first month with
    month precision and end on the quarter's last day. VAGUE without `ref`.
    """
    if ref is None:
        return VAGUE
    if unit == "week":
        return Period(month_start(ref + timedelta(weeks=offset)), Precision.MONTH)
    if unit == "weekend":
        saturday = ref - timedelta(days=ref.weekday()) + timedelta(days=5 + 7 * offset)
        return Period(saturday, Precision.DAY, saturday + timedelta(days=1))
    if unit == "month":
        return Period(shift_months(ref, offset), Precision.MONTH)
    if unit == "quarter":
        first = shift_months(date(ref.year, (ref.month - 1) // 3 * 3 + 1, 1), 3 * offset)
        last = shift_months(first, 2)
        return Period(first, Precision.MONTH, month_end(last.year, last.month))
    return Period(date(ref.year + offset, 1, 1), Precision.YEAR)


def resolve_ago(count: float, unit: str, ref: date | None, *, sign: int = -1) -> Period:
    """The period `count` units before `ref` (after it when sign=+1).

    Hours and days give day precision, weeks month precision (the week's month), months
    month precision, whole years, decades and centuries year precision.
    """
    if ref is None:
        return VAGUE
    # `unit` is a time unit (what is counted), not a precision: "3 days ago" is day-precise.
    if unit in ("hour", "day", "week"):
        days = {"hour": count / 24, "day": count, "week": 7 * count}[unit]
        moved = ref + timedelta(days=sign * int(days))
        return Period(moved, Precision.DAY) if unit != "week" else Period(month_start(moved), Precision.MONTH)
    months = count * {"month": 1, "year": 12, "decade": 120, "century": 1200}[unit]
    if unit != "month" and months % 12 == 0:
        return Period(date(ref.year + sign * int(months // 12), 1, 1), Precision.YEAR)
    return Period(shift_months(ref, sign * round(months)), Precision.MONTH)


def resolve_season(season_months: tuple[int, int], ref: date | None, relation: str | None,
                   year: int | None = None) -> Period:
    """The season starting in season_months[0] and ending in season_months[1] (winter spans
    the new year), in `year` or "last|this|next" from `ref`; month precision with end_date."""
    first, last = season_months

    def bounds(y: int) -> tuple[date, date]:
        end_year = y + 1 if last < first else y
        return date(y, first, 1), month_end(end_year, last)

    if year is not None:
        start, end = bounds(year)
    elif ref is None:
        return VAGUE
    else:
        # (first day, last day) pairs: seasons start in distinct years, so they order by first day
        seasons = [bounds(y) for y in range(ref.year - 2, ref.year + 2)]
        if relation == "last":
            start, end = max(s for s in seasons if s[1] < ref)
        elif relation == "next":
            start, end = min(s for s in seasons if s[0] > ref)
        else:
            current = [s for s in seasons if s[0] <= ref <= s[1]]
            start, end = current[0] if current else min(s for s in seasons if s[0] > ref)
    return Period(start, Precision.MONTH, end)


# --- the lexicon and the patterns built from it --------------------------------------------


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of `words`, longest first, spaces matching any whitespace."""
    escaped = (re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))
    return "(?:" + "|".join(escaped) + ")"


LEX = load_json("date_words.json")
MONTHS: dict[str, int] = {**LEX["months"], **LEX["month_abbreviations"]}
WEEKDAYS: dict[str, int] = {**LEX["weekdays"], **LEX["weekday_abbreviations"]}
NUMBER_WORDS: dict[str, float] = LEX["number_words"]
TENS = {w: n for w, n in NUMBER_WORDS.items() if isinstance(n, int) and n >= 20 and n % 10 == 0 and n < 100}
UNITS = {w: n for w, n in NUMBER_WORDS.items() if isinstance(n, int) and 1 <= n <= 9 and w not in ("a", "an")}
TIME_UNITS: dict[str, str] = LEX["time_units"]
RELATIVE: dict[str, int] = {k: v for k, v in LEX["relative_offsets"].items() if not k.startswith("_")}
SEASONS: dict[str, tuple[int, int]] = {k: tuple(v) for k, v in LEX["seasons"].items()}

MONTH_FULL = "(?:" + "|".join(LEX["months"]) + r")\b"
# Only abbreviations take a period: "Sept. 12" but not the full stop after "in March."
MONTH_ANY = r"(?:" + _alt(LEX["months"]) + r"\b|" + _alt(LEX["month_abbreviations"]) + r"\b\.?)"
WEEKDAY_PREFIX = (r"(?:(?P<wd>" + _alt(LEX["weekdays"]) + "|" + _alt(LEX["weekday_abbreviations"])
                  + r")\b\.?,?\s+)?")
DAY_CORE = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b(?!:|[.,]\d)"
# Not after a hyphen or digit group: "COVID-19 March", "Hwasong-11", "2,000" are no days.
DAY_NUM = r"(?<![\d.,/:-])" + DAY_CORE
YEAR_NUM = r"(?<![\d.,/:])(?:1[5-9]\d\d|20\d\d)(?![\d]|[.,]\d)"
DASH = r"(?:-|–|—|\s+(?i:to|through|until|till|and)\s+)"
PART = "(?i:" + _alt(LEX["period_parts"]) + ")"
NUMBER = ("(?i:\\d{1,4}|(?:" + _alt(TENS) + "[-\\s]" + _alt(UNITS) + ")|" + _alt(NUMBER_WORDS) + ")")
VAGUE_COUNT = "(?i:" + _alt(LEX["vague_counts"]) + ")"
UNIT = "(?i:(?P<unit>" + _alt(TIME_UNITS) + ")s?)"
SEASON = "(?i:(?P<season>" + _alt(SEASONS) + "))"
RELATION = "(?i:(?P<rel>this\\s+past|this\\s+coming|last|next|this))"


def _g(fragment: str, name: str) -> str:
    """`fragment` as the named group `name`."""
    return f"(?P<{name}>{fragment})"


class Hit(NamedTuple):
    """One date expression a pattern handler found: its offsets in the text and its Period's fields."""

    start: int
    end: int
    # datetime.date: inside the class body `date` names the field, not the type
    date: datetime.date | None
    precision: str | None
    end_date: datetime.date | None = None


Handler = Callable[[re.Match, date | None, str | None], list[Hit]]


def _hit(m: re.Match, period: Period, group: str | int = 0) -> Hit:
    """A Hit spanning `group` of `m`; a period without a date is vague (no precision, no end)."""
    if period.date is None:
        period = VAGUE
    return Hit(m.start(group), m.end(group), period.date, period.precision, period.end_date)


def _day(text: str) -> int:
    """The day number of "18", "18th", "01"."""
    m = re.match(r"\d+", text)
    if m is None:
        raise ValueError(f"not a day number: {text!r}")
    return int(m.group())


def _number(text: str) -> float | None:
    """The value of "24", "two", "twenty-four", "a", "half a"; None for vague counts."""
    text = re.sub(r"\s+", " ", text.lower())
    if text.isdigit():
        return int(text)
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    parts = re.split(r"[-\s]", text)
    if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS:
        return TENS[parts[0]] + UNITS[parts[1]]
    return None


def count_value(text: str) -> float | None:
    """The value of a count word or number ("24", "two", "twenty-four", "a"); None for vague
    counts ("several")."""
    return _number(text)


def _month(name: str) -> int:
    """The month number of "September", "Sept.", "Jan"."""
    return MONTHS[name.rstrip(".")]


# --- handlers: one per pattern, each returns the hits of one match --------------------------


def _numeric_date(m: re.Match, ref, tense) -> list[Hit]:
    """2024-06-18 (Y-M-D), 18.06.2024 / 18-06-2024 (D.M.Y), 06/18/2024 (M/D/Y unless the first
    number cannot be a month)."""
    if m.group("iy"):
        y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
    else:
        a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        # Slashes are the US (and Korean) order; dots and dashes the European one.
        month_first = m.group("sep") == "/" and a <= 12
        mo, d = (a, b) if month_first else (b, a)
    found = safe_date(y, mo, d)
    return [_hit(m, Period(found, Precision.DAY))] if found else []


def _month_day_date(month: int, day: int, year: str | None, weekday: str | None, ref, tense) -> date | None:
    """month/day in `year`, or resolved against `ref` by tense (using the weekday, when given,
    to choose between neighbouring years)."""
    if year:
        return safe_date(int(year), month, day)
    found = resolve_month_day(month, day, ref, tense)
    if found is None or weekday is None:
        return found
    years = (found.year, found.year - 1, found.year + 1)
    return year_on_weekday(month, day, WEEKDAYS[weekday.rstrip(".")], years) or found


MODAL_MAY = re.compile(r"\s+" + _alt(LEX["verbs_after_modal_may"]) + r"\b")


def _is_modal_may(m: re.Match) -> bool:
    """Whether the match ends in "May" used as a verb: "at least 20 May be killed"."""
    return m.group().endswith("May") and MODAL_MAY.match(m.string, m.end()) is not None


def _single_date(m: re.Match, ref, tense) -> list[Hit]:
    """"June 18, 2024", "Friday, May 24", "18 June 2024", "the 18th of June"."""
    if _is_modal_may(m):
        return []
    found = _month_day_date(_month(m.group("mon")), _day(m.group("d")), m.group("y"), m.group("wd"), ref, tense)
    if found is None and (m.group("y") or ref is not None):
        return []  # no such day (Feb. 30)
    return [_hit(m, Period(found, Precision.DAY))]


def _day_range(m: re.Match, ref, tense) -> list[Hit]:
    """"Feb. 15-17", "from January 15 to 17", "between 15 and 17 January", "Jan. 30 - Feb. 2";
    joined by "and" without "between" it is a list of two days ("May 20 and 24")."""
    month1 = _month(m.group("mon1") or m.group("mon2"))
    month2 = _month(m.group("mon2") or m.group("mon1"))
    day1, day2, year = _day(m.group("d1")), _day(m.group("d2")), m.group("y")
    is_list = re.fullmatch(r"\s+(?i:and)\s+", m.group("sep")) and not m.group("pre")
    if is_list:
        first = _month_day_date(month1, day1, year, None, ref, tense)
        second = _month_day_date(month2, day2, year, None, ref, tense)
        return [Hit(m.start("first"), m.end("first"), first, Precision.DAY if first else None),
                Hit(m.start("second"), m.end(), second, Precision.DAY if second else None)]
    start = _month_day_date(month1, day1, year, None, ref, tense)
    if start is None:
        return [_hit(m, VAGUE)] if ref is None and not year else []
    end = safe_date(start.year, month2, day2)
    if end is not None and end < start:
        end = safe_date(start.year + 1, month2, day2)
    if end is None or (end - start).days > 366:
        return []
    return [_hit(m, Period(start, Precision.DAY, end))]


def _day_list(m: re.Match, ref, tense) -> list[Hit]:
    """"May 20, 22 and 24" / "20, 22 and 24 May": one hit per day number."""
    month, year = _month(m.group("mon")), m.group("y")
    hits = []
    for d in re.finditer(r"\d{1,2}(?:st|nd|rd|th)?\b", m.group("days")):
        found = _month_day_date(month, _day(d.group()), year, None, ref, tense)
        start = m.start("days") + d.start()
        hits.append(Hit(start, m.start("days") + d.end(), found, Precision.DAY if found else None))
    # The month (and year) belong to the day next to them.
    near = 0 if m.start("mon") < m.start("days") else -1
    hits[near] = hits[near]._replace(start=min(hits[near].start, m.start("mon")),
                                     end=max(hits[near].end, m.end("mon")))
    if year:
        hits[-1] = hits[-1]._replace(end=m.end())
    return hits


def _month_range(m: re.Match, ref, tense) -> list[Hit]:
    """"from March to May (2024)", "between January and March", "in January and February":
    month precision with end_date. "in May and August" are two months, not a period: after
    "in" or "during" only two months in a row are one."""
    month1, month2, year = _month(m.group("mon1")), _month(m.group("mon2")), m.group("y")
    if m.group("pre").lower() in ("in", "during") and month2 != month1 % 12 + 1:
        return []
    if year:
        end_year = int(year)
        start: date | None = date(end_year - (month1 > month2), month1, 1)
    else:
        start = resolve_month(month1, ref, tense)
        if start is None:
            return [_hit(m, VAGUE)]
        end_year = start.year + (month2 < month1)
    return [_hit(m, Period(start, Precision.MONTH, month_end(end_year, month2)))]


def _month_year(m: re.Match, ref, tense) -> list[Hit]:
    """"March 2024", "early September of 2023", "Jan. 2024"."""
    return [_hit(m, Period(date(int(m.group("y")), _month(m.group("mon")), 1), Precision.MONTH))]


def _month_relative_year(m: re.Match, ref, tense) -> list[Hit]:
    """"September last year", "March of next year", "in October this year"."""
    if ref is None:
        return [_hit(m, VAGUE)]
    offset = RELATIVE[m.group("rel").lower()]
    return [_hit(m, Period(date(ref.year + offset, _month(m.group("mon")), 1), Precision.MONTH))]


def _relative_month(m: re.Match, ref, tense) -> list[Hit]:
    """"last September", "next March", "this May"."""
    relation = {-1: "last", 0: "this", 1: "next"}[RELATIVE[re.sub(r"\s+", " ", m.group("rel").lower())]]
    return [_hit(m, Period(resolve_relative_month(_month(m.group("mon")), ref, relation), Precision.MONTH))]


def _bare_month(m: re.Match, ref, tense) -> list[Hit]:
    """"in March", "since January", "in early January", "mid-May": the nearest such month by
    tense. Without a context word or a part ("early") a month name is not taken as a date."""
    if not (m.group("ctx") or m.group("part")) or _is_modal_may(m):
        return []
    return [_hit(m, Period(resolve_month(_month(m.group("mon")), ref, tense), Precision.MONTH), "x")]


def _season(m: re.Match, ref, tense) -> list[Hit]:
    """"summer 2023", "last winter", "this spring"."""
    months = SEASONS[m.group("season").lower()]
    if m.groupdict().get("y"):
        return [_hit(m, resolve_season(months, ref, None, int(m.group("y"))))]
    rel = RELATIVE[re.sub(r"\s+", " ", m.group("rel").lower())]
    return [_hit(m, resolve_season(months, ref, {-1: "last", 0: "this", 1: "next"}[rel]))]


def _quarter(m: re.Match, ref, tense) -> list[Hit]:
    """"the first quarter of 2024", "Q3 2023", "the fourth quarter of last year": month
    precision from the quarter's first month, ending on its last day."""
    groups = m.groupdict()
    if groups.get("qn"):
        q = int(groups["qn"])
    else:
        q = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
             "fourth": 4, "4th": 4, "final": 4, "last": 4}[groups["q"].lower()]
    if m.group("y"):
        year = int(m.group("y"))
    elif ref is not None and groups.get("rel"):
        year = ref.year + RELATIVE[m.group("rel").lower()]
    else:
        return [_hit(m, VAGUE)]
    return [_hit(m, Period(date(year, 3 * q - 2, 1), Precision.MONTH, month_end(year, 3 * q)))]


def _decade(m: re.Match, ref, tense) -> list[Hit]:
    """"the 1990s", "the early 2000s": year precision from the decade's first year, ending on
    its last day."""
    first = int(m.group("y"))
    return [_hit(m, Period(date(first, 1, 1), Precision.YEAR, date(first + 9, 12, 31)))]


def _year_range(m: re.Match, ref, tense) -> list[Hit]:
    """"1950-53", "2019-2021", "from 2019 to 2021", "between 2019 and 2021": year precision
    with end_date; "and" needs "between", and the second year must come after the first."""
    y1, tail = int(m.group("y1")), m.group("y2")
    if re.fullmatch(r"\s+(?i:and)\s+", m.group("sep")) and not m.group("pre"):
        return []
    y2 = int(tail) if len(tail) == 4 else y1 // 100 * 100 + int(tail)
    if not y1 < y2 <= y1 + 100 or y2 > 2099:
        return []
    return [_hit(m, Period(date(y1, 1, 1), Precision.YEAR, date(y2, 12, 31)))]


def _year(m: re.Match, ref, tense) -> list[Hit]:
    """"in 2019", "mid-2023", "the end of 2023", "2023's", "the 2018 summit". A bare number is a
    year only after a context word or a part, or before "'s"."""
    if not (m.group("ctx") or m.group("part") or m.group("poss")) or _is_round_count(m):
        return []
    year = int(m.group("y"))
    if re.sub(r"\s+", " ", (m.group("part") or "").lower()) in MID_PARTS:
        return [_hit(m, Period(date(year, 7, 1), Precision.MONTH), "x")]  # "mid-2022": July, month precision
    return [_hit(m, Period(date(year, 1, 1), Precision.YEAR), "x")]


MID_PARTS = frozenset({"mid", "middle", "the middle of"})


DETERMINERS = frozenset(LEX["determiners"])
PLURAL_NEXT = re.compile(r"\s+[a-z]+s\b")


def _is_round_count(m: re.Match) -> bool:
    """Whether a year-like number after a determiner is rather a count: "the 2000 troops" (a
    round number before a plural), unlike "the 2018 talks" or "the 2000 summit"."""
    ctx = (m.group("ctx") or "").lower()
    return (ctx in DETERMINERS and int(m.group("y")) % 100 == 0 and not m.group("part")
            and PLURAL_NEXT.match(m.string, m.end()) is not None)


def _weekday(m: re.Match, ref, tense) -> list[Hit]:
    """"on Monday", "reported Tuesday", "last Friday", "next Tuesday morning"."""
    before = m.string[max(0, m.start() - 4):m.start()]
    after = m.string[m.end():m.end() + 2]
    if not m.group("rel") and before.lower().endswith("the ") and re.match(r"\s[A-Z]", after):
        return []  # a title: "the Sunday Times"
    rel = m.group("rel")
    offset = RELATIVE[re.sub(r"\s+", " ", rel.lower())] if rel else 0
    relation = {-1: "last", 1: "next"}.get(offset)
    found = resolve_weekday(WEEKDAYS[m.group("wdn")], ref, tense, relation=relation)
    return [_hit(m, Period(found, Precision.DAY))]


DAY_WORDS = {"the day before yesterday": -2, "the day after tomorrow": 2, "yesterday": -1,
             "today": 0, "tonight": 0, "tomorrow": 1, "the day before": -1, "the night before": -1,
             "the previous day": -1, "the previous night": -1, "the next day": 1,
             "the following day": 1, "the day after": 1}


def _day_word(m: re.Match, ref, tense) -> list[Hit]:
    """"yesterday", "today", "tomorrow", "the day before": ref moved by whole days. "the day
    before the summit" is relative to the summit, so it is vague; "Russia Today" is a name."""
    phrase = re.sub(r"\s+", " ", m.group().lower())
    rest = m.string[m.end():]
    if phrase in ("the day before", "the day after", "the night before") and re.match(
            r"\s+(?!(?:and|but|or|when|while|as|that|he|she|they|it|we|I)\b)[A-Za-z]", rest):
        return [_hit(m, VAGUE)]
    if m.group().startswith("Today") and re.search(r"[A-Z]\w*\s+$", m.string[:m.start()]):
        return []
    if ref is None:
        return [_hit(m, VAGUE)]
    return [_hit(m, Period(ref + timedelta(days=DAY_WORDS[phrase]), Precision.DAY))]


def _ago(m: re.Match, ref, tense) -> list[Hit]:
    """"24 years ago", "two weeks ago", "a year ago", "three days from now"; counts like
    "several" and anaphoric "two days later" are vague."""
    count = _number(m.group("n"))
    direction = re.sub(r"\s+", " ", m.group("dir").lower())
    if count is None or direction in ("earlier", "later", "after", "before"):
        return [_hit(m, VAGUE)]  # "two days later", "seven months after the summit": from another time
    unit = TIME_UNITS[m.group("unit").lower()]
    return [_hit(m, resolve_ago(count, unit, ref, sign=-1 if direction == "ago" else 1))]


def _in_time(m: re.Match, ref, tense) -> list[Hit]:
    """"in two weeks' time", "in three days' time": that far after `ref`."""
    count = _number(m.group("n"))
    unit = TIME_UNITS[m.group("unit").lower()]
    return [_hit(m, resolve_ago(count, unit, ref, sign=1) if count else VAGUE)]


def _relative_period(m: re.Match, ref, tense) -> list[Hit]:
    """"last week", "this coming week", "earlier this month", "late last year", "next quarter",
    "this weekend"."""
    offset = RELATIVE[re.sub(r"\s+", " ", m.group("rel").lower())]
    return [_hit(m, resolve_relative_period(m.group("unit").lower(), offset, ref))]


def _the_weekend(m: re.Match, ref, tense) -> list[Hit]:
    """"over the weekend", "at the weekend": the one just past in the past tense, else the one
    of `ref`'s week."""
    if ref is None:
        return [_hit(m, VAGUE)]
    offset = -1 if tense == "past" and ref.weekday() < 5 else 0
    return [_hit(m, resolve_relative_period("weekend", offset, ref), "x")]


def _vague(m: re.Match, ref, tense) -> list[Hit]:
    """"recently", "in recent months", "in the foreseeable future": a time the text leaves
    vague. "as soon as" and "as recently as <date>" are not. A span that runs up to the
    reference date ("in recent weeks", "over the past month", "over the past two years") is
    a period ending on it."""
    before = m.string[max(0, m.start() - 3):m.start()].lower()
    word = m.group().lower()
    if word in ("soon", "recently") and before == "as ":
        return []
    return [_hit(m, past_span(re.sub(r"\s+", " ", word), ref))]


# "in recent weeks" is read as the month before the report (GOLD_SCHEMA's convention).
RECENT_SPANS = {"in recent days": ("day", 7), "in recent weeks": ("month", 1)}
PAST_SPAN = re.compile(r"^(?:in|over|during|for|within)?\s*the\s+(?:past|last|previous)\s+(?:(?P<n>[\w-]+)\s+)?"
                       r"(?P<unit>day|week|month|year)s?$")


def past_span(phrase: str, ref: date | None) -> Period:
    """The period a span back from `ref` covers ("in recent weeks", "over the past month",
    "in the last two years"): start with day precision (month for years), end `ref`; VAGUE
    for spans with no count ("the past few weeks", "in recent months") or without `ref`."""
    if ref is None:
        return VAGUE
    if phrase in RECENT_SPANS:
        unit, count = RECENT_SPANS[phrase]
    else:
        m = PAST_SPAN.match(phrase)
        if m is None:
            return VAGUE
        value = count_value(m.group("n")) if m.group("n") else 1
        if value is None or not m.group(0).startswith(("in ", "over ", "during ", "for ", "within ")):
            return VAGUE
        unit, count = m.group("unit"), int(value)
    if unit == "day":
        return Period(ref - timedelta(days=count), Precision.DAY, ref)
    if unit == "week":
        return Period(ref - timedelta(weeks=count), Precision.DAY, ref)
    if unit == "month":
        first = shift_months(ref, -count)
        return Period(first.replace(day=min(ref.day, month_end(first.year, first.month).day)), Precision.DAY, ref)
    return Period(shift_months(ref, -12 * count), Precision.MONTH, ref)


# --- the pattern table --------------------------------------------------------------------

_CTX_MONTH = "(?i:" + _alt(LEX["context_words_before_bare_month"]) + ")"
_CTX_YEAR = "(?i:" + _alt(LEX["context_words_before_bare_year"]) + ")"
_YEAR = _g(YEAR_NUM, "y")
_OPT_YEAR = r"(?:,?\s*" + _YEAR + ")?"

PATTERNS: list[tuple[str, str, Handler]] = [
    ("numeric", r"(?<![\d./-])(?:(?P<iy>\d{4})([-/.])(?P<im>\d{1,2})\2(?P<id>\d{1,2})"
                r"|(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}))(?![\d/-]|\.\d)", _numeric_date),
    ("month_day_range", r"(?:(?P<pre>(?i:from|between))\s+)?(?P<first>" + _g(MONTH_ANY, "mon1") + r"\s*"
                        + _g(DAY_NUM, "d1") + r")\s*" + _g(DASH, "sep") + r"\s*(?P<second>(?:"
                        + _g(MONTH_ANY, "mon2") + r"\s*)?" + _g(DAY_CORE, "d2") + ")" + _OPT_YEAR,
     _day_range),
    ("day_month_range", r"(?:(?P<pre>(?i:from|between))\s+)?(?:the\s+)?(?P<first>" + _g(DAY_NUM, "d1")
                        + r"(?:\s+(?:of\s+)?" + _g(MONTH_ANY, "mon1") + r")?)\s*" + _g(DASH, "sep")
                        + r"\s*(?P<second>" + _g(DAY_CORE, "d2") + r"(?:\s+of)?\s+" + _g(MONTH_ANY, "mon2")
                        + ")" + _OPT_YEAR,
     _day_range),
    ("month_day_list", _g(MONTH_ANY, "mon") + r"\s*(?P<days>" + DAY_NUM + r"(?:\s*,\s*" + DAY_NUM
                       + r")+,?\s+(?i:and|&)\s+" + DAY_NUM + ")" + _OPT_YEAR, _day_list),
    ("day_month_list", r"(?P<days>" + DAY_NUM + r"(?:\s*,\s*" + DAY_NUM + r")+,?\s+(?i:and|&)\s+" + DAY_NUM
                       + r")\s+" + _g(MONTH_ANY, "mon") + _OPT_YEAR, _day_list),
    ("month_day", WEEKDAY_PREFIX + _g(MONTH_ANY, "mon") + r"\s*" + _g(DAY_NUM, "d") + _OPT_YEAR, _single_date),
    ("day_month", WEEKDAY_PREFIX + r"(?:(?i:the)\s+)?" + _g(DAY_NUM, "d") + r"(?:\s+(?i:of))?\s+"
                  + _g(MONTH_ANY, "mon") + _OPT_YEAR, _single_date),
    ("month_range", r"(?P<pre>(?i:from|between|in|during))\s+" + _g(MONTH_FULL, "mon1")
                    + r"\s+(?i:to|and|through|until|till)\s+" + _g(MONTH_FULL, "mon2")
                    + r"(?:,?\s+(?:of\s+)?" + _YEAR + ")?", _month_range),
    ("month_year", r"(?:" + PART + r"(?:\s+|-))?" + _g(MONTH_ANY, "mon") + r"\s*,?\s+(?:(?i:of)\s+)?" + _YEAR,
     _month_year),
    ("month_relative_year", r"(?:" + PART + r"(?:\s+|-))?" + _g(MONTH_FULL, "mon") + r"\s+(?:(?i:of)\s+)?"
                            + r"(?i:(?P<rel>last|this|next))\s+(?i:year)\b", _month_relative_year),
    ("relative_month", RELATION + r"\s+" + _g(MONTH_FULL, "mon"), _relative_month),
    ("bare_month", r"(?:(?<![\w-])(?P<ctx>" + _CTX_MONTH + r")\s+)?(?P<x>(?:(?P<part>" + PART + r")(?:\s+|-))?"
                   + _g(MONTH_FULL, "mon") + r")(?!\s*\d|['’]s)", _bare_month),
    ("season_year", r"(?:" + PART + r"\s+)?" + SEASON + r"\s+(?:(?i:of)\s+)?" + _YEAR, _season),
    ("relative_season", RELATION + r"\s+" + SEASON + r"\b", _season),
    ("quarter", r"(?i:(?:the\s+)?(?P<q>first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s+quarter\s+"
                r"(?:of\s+)?)(?:" + _YEAR + r"|(?i:(?P<rel>last|this|next)\s+year)\b)", _quarter),
    ("quarter_code", r"\bQ(?P<qn>[1-4])\s+" + _YEAR, _quarter),
    ("decade", r"(?:(?i:the)\s+)?(?:(?i:early|mid|late)(?:\s+|-))?(?P<y>1[5-9]\d0|20\d0)['’]?s\b", _decade),
    ("year_range", r"(?:(?P<pre>(?i:from|between))\s+)?" + _g(YEAR_NUM, "y1")
                   + _g(r"\s*(?:-|–|—|/)\s*|\s+(?i:to|through|until|till|and)\s+", "sep")
                   + r"(?P<y2>\d{4}|\d{2})(?!\d|[-./:]\d)", _year_range),
    ("year", r"(?:(?<![\w-])(?P<ctx>" + _CTX_YEAR + r")\s+)?(?P<x>(?:(?P<part>" + PART + r")(?:\s+|-))?" + _YEAR
             + r")(?P<poss>['’]s\b)?(?![-–/]\d|\s*(?:%|(?i:percent|per\s+cent)))", _year),
    ("weekday", r"(?:" + RELATION + r"\s+)?(?P<wdn>" + "|".join(LEX["weekdays"]) + r")\b"
                r"(?:\s+(?i:morning|afternoon|evening|night))?", _weekday),
    ("day_word", r"\b(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tonight|"
                 r"tomorrow|the\s+(?:day|night)\s+before|the\s+previous\s+(?:day|night)|the\s+(?:next|following)\s+day|"
                 r"the\s+day\s+after)\b", _day_word),
    ("ago", r"\b(?P<n>" + NUMBER + "|" + VAGUE_COUNT + r")(?:\s+|-)" + UNIT
            + r"\s+(?P<dir>(?i:ago|earlier|later|after|before|from\s+now|hence))\b", _ago),
    ("in_time", r"\b(?i:in)\s+(?P<n>" + NUMBER + r")\s+" + UNIT + r"(?:['’]|\s)\s*(?i:time)\b", _in_time),
    ("vague_span", r"\b(?i:(?:in|over|during|for|within)\s+the\s+(?:past|last|next|coming|previous|following)\s+)"
                   r"(?:" + NUMBER + "|" + VAGUE_COUNT + r")\s+(?i:(?:hour|day|week|month|year|decade)s)\b", _vague),
    ("relative_period", r"\b(?:" + PART + r"(?:\s+|-))?(?i:(?P<rel>this\s+past|this\s+coming|the\s+coming|last|"
                        r"next|this|current|the\s+current)\s+(?P<unit>weekend|week|month|quarter|year))\b",
     _relative_period),
    ("the_weekend", r"\b(?i:(?:over|at|during|on)\s+(?P<x>the\s+weekend))\b", _the_weekend),
    ("vague", r"\b(?i:" + _alt(LEX["vague_phrases"]) + r")\b", _vague),
]


# Which cues a sentence must hold for a pattern to be tried at all: "<month>" a capitalised
# month prefix, "<year>" four digits in a row, "<numeric>" digits joined by . / -, any other
# string a substring of the lower-cased sentence. Most sentences hold none and cost a few
# substring tests.
MONTH_PREFIXES = tuple(name[:3] for name in LEX["months"])
SEASON_CUES = tuple(SEASONS)
CUES: dict[str, tuple[str, ...]] = {
    "numeric": ("<numeric>",),
    **{name: ("<month>",) for name in ("month_day_range", "day_month_range", "month_day_list",
                                       "day_month_list", "month_day", "day_month", "month_range",
                                       "month_year", "month_relative_year", "relative_month", "bare_month")},
    "season_year": SEASON_CUES,
    "relative_season": SEASON_CUES,
    "quarter": ("quarter",),
    "quarter_code": ("<year>",),
    "decade": ("<year>",),
    "year_range": ("<year>",),
    "year": ("<year>",),
    "weekday": ("day",),
    "day_word": ("day", "night", "tomorrow"),
    "ago": ("ago", "earlier", "later", "after", "before", "from now", "hence"),
    "in_time": ("time",),
    "vague_span": ("past", "last", "next", "coming", "previous", "following"),
    "relative_period": ("week", "month", "year", "quarter"),
    "the_weekend": ("weekend",),
    "vague": ("recent", "lately", "soon", "future", "past", "coming", "ahead", "term", "point", "date",
              "day", "week", "month", "year"),
}
FOUR_DIGITS = re.compile(r"\d{4}")
NUMERIC_CUE = re.compile(r"\d[./-]\d")


class CompiledPattern(NamedTuple):
    """A PATTERNS entry ready to run: its regex compiled and the cues (see CUES) it needs."""

    name: str
    regex: re.Pattern
    handler: Handler
    cues: tuple[str, ...]


# Every pattern starts at a word start: sre then skips most positions at once.
COMPILED: list[CompiledPattern] = [CompiledPattern(name, re.compile(r"(?<!\w)(?=\w)(?:" + rx + ")"), h, CUES[name])
                                   for name, rx, h in PATTERNS]


WORD_CUES = tuple(sorted({cue for cues in CUES.values() for cue in cues if not cue.startswith("<")}))


def present_cues(text: str) -> frozenset[str]:
    """The cues (see CUES) that occur in `text`."""
    low = text.lower()
    found = {cue for cue in WORD_CUES if cue in low}
    if any(p in text for p in MONTH_PREFIXES):
        found.add("<month>")
    if FOUR_DIGITS.search(text):
        found.add("<year>")
    if NUMERIC_CUE.search(text):
        found.add("<numeric>")
    return frozenset(found)


# --- matching -----------------------------------------------------------------------------


class _Group(NamedTuple):
    start: int
    end: int
    rank: int
    hits: list[Hit]


def candidate_groups(text: str, ref: date | None, tense: str | None) -> list[_Group]:
    """Every pattern's matches in `text` with their hits (possibly overlapping); a match whose
    handler rejects it yields no group."""
    groups: list[_Group] = []
    for rank, pattern, matches in _matches(text):
        for m in matches:
            since = _after_since(text, m)
            # "since Friday" looks back from the reference date, and runs up to it
            hits = pattern.handler(m, ref, "past" if since else tense)
            if since and ref is not None:
                hits = [h._replace(end_date=ref) if h.date is not None and h.end_date is None and h.date <= ref
                        else h for h in hits]
            if hits:
                groups.append(_Group(min(m.start(), hits[0].start), max(m.end(), hits[-1].end), rank, hits))
    return groups


@functools.lru_cache(maxsize=64)
def _matches(text: str) -> tuple[tuple[int, CompiledPattern, tuple[re.Match, ...]], ...]:
    """(rank, pattern, its matches in `text`) for every pattern whose cues `text` holds. Cached
    for the few texts read again: a sentence is read once more in the tense of its verb, and
    only the handlers, not the patterns, depend on the tense."""
    cues = present_cues(text)
    if not cues:
        return ()
    return tuple((rank, pattern, tuple(pattern.regex.finditer(text))) for rank, pattern in enumerate(COMPILED)
                 if not cues.isdisjoint(pattern.cues))


SINCE_BEFORE = re.compile(r"(?i)\bsince\s+$")


def _after_since(text: str, m: re.Match) -> bool:
    """True when the match opens a "since ..." period ("since Friday", "since last September")."""
    return bool(SINCE_BEFORE.search(text[max(0, m.start() - 7):m.start()])) or m.group().lower().startswith("since ")


def non_overlapping(groups: list[_Group]) -> list[_Group]:
    """The longest groups that do not overlap, ties going to the earlier pattern, in text order."""
    chosen: list[_Group] = []
    for g in sorted(groups, key=lambda g: (g.start - g.end, g.rank, g.start)):
        if all(g.end <= c.start or g.start >= c.end for c in chosen):
            chosen.append(g)
    return sorted(chosen, key=lambda g: g.start)


def find_dates(text: str, ref: date | None, *, offset: int = 0, tense: str | None = None) -> list[DateMention]:
    """Every date expression in `text`, resolved against `ref`, in text order.

    `offset` is added to every start/end (the position of `text` in the article). `tense`
    ("past", "future" or None) sets the direction of weekdays and of dates without a year.
    Vague expressions come back with date and precision None. Raises ValueError for an
    unknown tense.
    """
    tense = _check_tense(tense)
    if isinstance(ref, datetime.datetime):
        ref = ref.date()
    mentions = []
    for group in non_overlapping(candidate_groups(text, ref, tense)):
        for h in group.hits:
            mentions.append(DateMention(start=h.start + offset, end=h.end + offset, text=text[h.start:h.end],
                                        date=h.date, precision=h.precision, end_date=h.end_date))
    return mentions
