"""The publication date of an article: from its date line, an HTML meta date, or the text.

`find_published` returns `(published, precision, reference_date)`:
  - the page's meta date, else a date line ("Status: 18.06.2024 21:44", "| 2024-02-13 11:47:28",
    "Thursday, 01 Feb 2024", "Updated: June 18, 2024 9:30 a.m. EST") gives the day;
  - an agency dateline ("SEOUL, Feb. 13 (Yonhap) --") gives the day when the year can be found:
    a full date in the text with the same day and month, else a year on which that day is the
    weekday the lead names ("... said on Thursday"), else the latest year the text names;
  - otherwise a weekday written with a day and month ("until Friday, May 24") pins a date: the
    latest year (not after `today`, within 30 years) in which that day falls on that weekday.
    The article was written around then, so `published` is that month (precision `Precision.MONTH`)
    and `reference_date` the pinned day.
Nothing found gives (None, None, None). All functions are pure; the word lists are read once
from core/data/date_lines.json and date_words.json. Regular expressions only (no dateparser): thousands of
articles go through here.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

from core.data import load_json
from core.extract.dates import MONTHS, find_dates, year_on_weekday
from core.model import DateMention, Segment, blank_unanalysed
from core.vocab import Precision

# Segment reasons core.extract.cleaning gives the dateline segments this module reads back.
REASON_DATE_LINE = "date line"
REASON_WEEKDAY_LINE = "weekday line"
REASON_AGENCY_DATELINE = "agency dateline place/date"
MAX_DATE_LINE_CHARS = 100
YEARS_BACK = 30
_YEAR = r"(?P<y>(?:19|20)\d{2})"
_ORD = r"(?:st|nd|rd|th)?"
_YEAR_IN = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# A weekday in brackets next to a day: "June 18 (Tuesday)", "Tuesday (June 18)".
_OPEN, _CLOSE = re.compile(r"\s*\(\s*"), re.compile(r"\s*\)")


@lru_cache(maxsize=1)
def date_words() -> dict:
    """core/data/date_lines.json (weekdays, labels, time zones) with the month and weekday names of
    date_words.json: "months" lower-cased with other languages (date lines), "running_text_weekdays" as written."""
    words = load_json("date_words.json")
    months = {name.lower(): n for name, n in MONTHS.items()} | words["months_other_languages"]
    return {**load_json("date_lines.json"), "months": months, "running_text_weekdays": words["weekdays"]}


def _alternation(words) -> str:
    # Longest first so "sept" wins over "sep" and "last updated" over "updated".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _words_pattern(key: str, template: str, flags: int = 0) -> re.Pattern:
    """`template` with `{}` replaced by the alternation of the date words under `key`, compiled
    once (building it escapes every word: too slow to do for each line)."""
    return re.compile(template.replace("{}", _alternation(date_words()[key])), flags)


@lru_cache(maxsize=1)
def _line_patterns() -> list[tuple[str, re.Pattern]]:
    """(shape, pattern) pairs for a date inside a date line, tried in order."""
    mon = rf"(?P<mon>{_alternation(date_words()['months'])})\.?"
    iso_time = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    shapes = [
        ("ymd", rf"(?<!\d){_YEAR}(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})(?!\d){iso_time}"),
        ("ymd", rf"{_YEAR}\s*[년年]\s*(?P<m>\d{{1,2}})\s*[월月]\s*(?P<d>\d{{1,2}})\s*[일日]?"),
        ("numeric", r"(?<!\d)(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d{2}|\d{2})(?!\d)"),
        ("dmy", rf"(?<!\d)(?P<d>\d{{1,2}}){_ORD}\.?\s+(?:of\s+|de\s+)?{mon},?\s+(?:de\s+)?{_YEAR}(?!\d)"),
        ("mdy", rf"\b{mon}\s+(?P<d>\d{{1,2}}){_ORD}\.?,?\s+{_YEAR}(?!\d)"),
        ("my", rf"\b{mon},?\s+{_YEAR}(?!\d)"),
    ]
    return [(shape, re.compile(p, re.IGNORECASE)) for shape, p in shapes]


@lru_cache(maxsize=1)
def _residue_patterns() -> list[re.Pattern]:
    """What may surround the date in a date line: times, zones, labels, weekdays, separators."""
    words = date_words()
    named = list(words["labels"]) + list(words["weekdays"]) + list(words["time_zones"])
    return [
        re.compile(r"(?<!\d)\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?(?:\.\d+)?\s*(?:[ap]\.?\s?m\b\.?)?", re.I),
        re.compile(r"(?<!\d)\d{1,2}\s*[ap]\.?m\b\.?", re.I),
        re.compile(r"(?:\b(?:utc|gmt))?\s*[+\-−]\s*\d{1,2}(?::?\d{2})?\b", re.I),
        re.compile(r"(?<!\d)\d{1,3}\s*(?:mins?|minutes?)\s+read\b", re.I),
        re.compile(r"(?<!\d)(?:\d{1,3}|an?|one)\s+(?:sec|second|min|minute|hr|hour|day|week)s?\s+ago\b", re.I),
        re.compile(rf"(?<!\w)(?:{_alternation(named)})\.?(?!\w)", re.I),
    ]


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _from_match(shape: str, m: re.Match) -> tuple[date, str] | None:
    g = m.groupdict()
    months = date_words()["months"]
    if shape == "ymd":
        d = _valid(int(g["y"]), int(g["m"]), int(g["d"]))
        return (d, Precision.DAY) if d else None
    if shape == "numeric":
        a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
        y = y + 2000 if y < 100 else y
        # Dots and dashes are day-first (18.06.2024); slashes are month-first unless that
        # cannot be (18/06/2024).
        day_first = g["sep"] != "/" or a > 12
        d = _valid(y, b, a) if day_first else _valid(y, a, b)
        return (d, Precision.DAY) if d else None
    month = months[g["mon"].lower()]
    if shape == "my":
        return date(int(g["y"]), month, 1), Precision.MONTH
    d = _valid(int(g["y"]), month, int(g["d"]))
    return (d, Precision.DAY) if d else None


def _residue_is_empty(line: str, span: tuple[int, int]) -> bool:
    rest = line[: span[0]] + " " + line[span[1]:]
    for pattern in _residue_patterns():
        rest = pattern.sub(" ", rest)
    return not re.search(r"[^\W_]", rest)


def parse_date_line(line: str) -> tuple[date, str] | None:
    """(date, precision) when `line` is only a date (with labels, weekday, time, zone), else None.

    "Status: 18.06.2024 21:44" -> (2024-06-18, Precision.DAY); "June 2024" -> (2024-06-01, Precision.MONTH);
    "Putin arrived on June 18, 2024" -> None (there are other words).
    """
    line = line.strip()
    if not line or len(line) > MAX_DATE_LINE_CHARS or not re.search(r"\d", line):
        return None
    # Text copied from a page glues its parts: "October 25, 20243:42 AM GMT+9Updated 2 hours ago".
    line = re.sub(r"(?<!\d)((?:19|20)\d{2})(?=\d{1,2}:\d{2})", r"\1 ", line)
    line = re.sub(r"(?<=[\d a-z])(?=[A-Z][a-z])", " ", line)
    dates: list[tuple[int, int, tuple[date, str]]] = []
    for shape, pattern in _line_patterns():
        for m in pattern.finditer(line):
            found = _from_match(shape, m)
            if found and _residue_is_empty(line, m.span()):
                return found
            if found and not any(s < m.end() and m.start() < e for s, e, _ in dates):
                dates.append((*m.span(), found))
    # Two dates on one line ("08.11.2022 11:47 (updated 08.11.2022 13:05)"): the first is the
    # publication, when nothing but dates, times and labels is there.
    dates.sort(key=lambda d: d[0])
    if len(dates) >= 2 and _residue_is_empty(_without(line, dates[1:]), dates[0][:2]):
        return dates[0][2]
    return None


def _without(line: str, spans) -> str:
    """`line` with the characters of `spans` ((start, end, ...)) blanked."""
    chars = list(line)
    for s, e, *_ in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def parse_weekday_line(line: str) -> int | None:
    """The weekday (0 = Monday) of a line that gives only a weekday, with labels, time and zone
    ("Thursday", "Thu, 17:40 KST", "Published Friday 09:05"), else None."""
    line = line.strip()
    if not line or len(line) > MAX_DATE_LINE_CHARS:
        return None
    weekdays = date_words()["weekdays"]
    m = _words_pattern("weekdays", r"(?<!\w)(?:{})\.?(?!\w)", re.IGNORECASE).search(line)
    if not m or not _residue_is_empty(line, m.span()):
        return None
    return weekdays[m.group().rstrip(".").lower()]


def is_relative_age_line(line: str) -> bool:
    """True for a line that only gives the page's age ("Updated 2 hours ago", "3 days ago")."""
    return bool(re.match(date_words()["relative_age"], line.strip(), re.IGNORECASE))


def is_updated_line(line: str) -> bool:
    """True when a date line labels its date as an update rather than the publication."""
    return bool(_words_pattern("updated_labels", r"(?<!\w)(?:{})(?!\w)", re.IGNORECASE).search(line))


def parse_date_value(value) -> tuple[date, str] | None:
    """(date, precision) from a date, datetime, ISO string ("2024-06-18T21:44:00+09:00",
    "2024-06", "2024") or any date-line string; None when it is not a date.

    The date part is taken as written, not converted to UTC: it is the local publication day.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date(), Precision.DAY
    if isinstance(value, date):
        return value, Precision.DAY
    text = str(value).strip()
    m = re.fullmatch(r"((?:19|20)\d{2})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if m:
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        if d:
            found = _valid(y, int(mo), int(d))
            return (found, Precision.DAY) if found else None
        if mo:
            return (date(y, int(mo), 1), Precision.MONTH) if 1 <= int(mo) <= 12 else None
        return date(y, 1, 1), Precision.YEAR
    return parse_date_line(text)


def _with_reference(found: tuple[date, str] | None) -> tuple[date | None, str | None, date | None]:
    if not found:
        return None, None, None
    d, precision = found
    return d, precision, d


def _date_line_choice(text: str, segments: list[Segment], today: date) -> tuple[date, str] | None:
    """The publication date from the date-line segments: a published/unlabelled line first, the
    earliest of them; an "Updated" line only when nothing else is there. Future dates are skipped."""
    best, weekday = None, None
    for n, seg in enumerate(segments):
        if seg.kind != "dateline" or seg.reason not in (REASON_DATE_LINE, REASON_WEEKDAY_LINE):
            continue
        line = text[seg.start:seg.end]
        if seg.reason == REASON_WEEKDAY_LINE:
            weekday = parse_weekday_line(line) if weekday is None else weekday
            continue
        found = parse_date_line(line)
        if not found or found[0] > today + timedelta(days=1):
            continue
        rank = (1 if is_updated_line(line) else 0, n)
        if best is None or rank < best[0]:
            best = (rank, found)
    if best is None:
        return None
    (updated, _), (day, precision) = best
    if updated and weekday is not None and precision == Precision.DAY:
        # "Thursday 17:40" over "Updated: Saturday, 6 January 2024": published on the last
        # Thursday up to the update.
        day -= timedelta(days=(day.weekday() - weekday) % 7)
    return day, precision


@lru_cache(maxsize=1)
def _month_day_patterns() -> list[re.Pattern]:
    """A day and month without a year: "Feb. 13", "13 February"."""
    mon = rf"(?P<mon>{_alternation(date_words()['months'])})\.?"
    return [re.compile(rf"\b{mon}\s+(?P<d>\d{{1,2}}){_ORD}(?!\d)", re.IGNORECASE),
            re.compile(rf"(?<!\d)(?P<d>\d{{1,2}}){_ORD}\s+{mon}(?!\w)", re.IGNORECASE)]


def _month_day(fragment: str) -> tuple[int, int] | None:
    for pattern in _month_day_patterns():
        m = pattern.search(fragment)
        if m:
            return date_words()["months"][m.group("mon").lower()], int(m.group("d"))
    return None


def _full_dates(text: str) -> list[date]:
    """Every written date with a year ("Feb. 13, 2024", "13 February 2024", "2024-02-13")."""
    out = []
    for shape, pattern in _line_patterns():
        if shape in ("ymd", "dmy", "mdy"):
            for m in pattern.finditer(text):
                found = _from_match(shape, m)
                if found:
                    out.append(found[0])
    return out


def _lead_weekday(text: str, start: int) -> int | None:
    """The first weekday named in the paragraph that starts at `start` ("... reported Tuesday")."""
    end = text.find("\n", start)
    paragraph = text[start:end if end >= 0 else len(text)]
    words = date_words()["running_text_weekdays"]
    m = _words_pattern("running_text_weekdays", r"\b(?:{})\b").search(paragraph)
    return words[m.group()] if m else None


def _dateline_year(month: int, day: int, text: str, weekday: int | None, today: date) -> date | None:
    """The year of a dateline's day: a full date in the text on the same day and month; else a
    year the text names on which the day falls on the lead's weekday; else the latest such
    year (as `pinned_year`); else, with no weekday, the latest year the text names."""
    limit = today + timedelta(days=1)
    same_day = [d for d in _full_dates(text) if (d.month, d.day) == (month, day) and d <= limit]
    if same_day:
        return max(same_day)
    candidates = (_valid(int(y), month, day) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text))
    named = sorted({d for d in candidates if d and d <= limit}, reverse=True)
    if weekday is not None:
        return year_on_weekday(month, day, weekday, (d.year for d in named)) or pinned_year(month, day, weekday, today)
    return named[0] if named else None


def _agency_dateline_date(text: str, segments: list[Segment], today: date) -> date | None:
    """The day of an agency dateline ("SEOUL, Feb. 13 (Yonhap)") with its year found elsewhere
    in the text (see `_dateline_year`)."""
    for seg in segments:
        if seg.kind != "dateline" or seg.reason != REASON_AGENCY_DATELINE:
            continue
        month_day = _month_day(text[seg.start:seg.end])
        if month_day:
            found = _dateline_year(*month_day, text, _lead_weekday(text, seg.end), today)
            if found:
                return found
    return None


def pinned_year(month: int, day: int, weekday: int, today: date) -> date | None:
    """The latest date (year not after `today`'s, within 30 years) on which `day` `month` is a
    `weekday` (0 = Monday); None when none is."""
    return year_on_weekday(month, day, weekday, range(today.year, today.year - YEARS_BACK - 1, -1))


def _bracketed_weekday(text: str, before: DateMention | None, day: DateMention,
                       after: DateMention | None) -> int | None:
    """The weekday of the mention bracketed right after `day` ("June 18 (Tuesday)"), or of the
    one `day` is bracketed after ("Tuesday (June 18)"); None when neither is there."""
    weekdays = date_words()["running_text_weekdays"]
    if (after is not None and after.text in weekdays and _OPEN.fullmatch(text, day.end, after.start)
            and _CLOSE.match(text, after.end)):
        return weekdays[after.text]
    if (before is not None and before.text in weekdays and _OPEN.fullmatch(text, before.end, day.start)
            and _CLOSE.match(text, day.end)):
        return weekdays[before.text]
    return None


def weekday_dates(text: str, today: date) -> list[date]:
    """The dates pinned by weekday + day + month phrases in `text` ("Friday, May 24", "Friday
    (May 24)", "May 24 (Friday)"), in text order, read from the date mentions of
    `core.extract.dates.find_dates`. A phrase with its own year counts only when the weekday
    agrees with it; without one, the weekday picks the year (`pinned_year`)."""
    weekdays = date_words()["running_text_weekdays"]
    # Every date kept below names a weekday as written: without one, no need to read the
    # whole text's dates (the costliest step of reading an undated article).
    if not any(day in text for day in weekdays):
        return []
    mentions = find_dates(text, today, tense="past")
    out = []
    for i, d in enumerate(mentions):
        # A day with its month has a digit; a bare weekday ("Friday morning") has none.
        if d.precision != Precision.DAY or d.date is None or not re.search(r"\d", d.text):
            continue
        first = re.match(r"\w+", d.text)
        weekday = weekdays.get(first.group()) if first else None
        if weekday is None:
            neighbours = (mentions[i - 1] if i else None, d, mentions[i + 1] if i + 1 < len(mentions) else None)
            weekday = _bracketed_weekday(text, *neighbours)
        if weekday is None:
            continue
        if _YEAR_IN.search(d.text):
            found = d.date if d.date.weekday() == weekday else None
        else:
            found = pinned_year(d.date.month, d.date.day, weekday, today)
        if found:
            out.append(found)
    return out


def analysed_only(text: str, segments: list[Segment]) -> str:
    """`text` with every non-analysed segment blanked (same length), as Article.analysed_text."""
    return blank_unanalysed(text, segments)


def find_published(text: str, segments: list[Segment], *, html_meta_date=None,
                   today: date | None = None) -> tuple[date | None, str | None, date | None]:
    """(published, precision, reference_date) for an article; see the module docstring for the
    order of evidence. `segments` are core.extract.cleaning's; `html_meta_date` a date or ISO string."""
    today = today or date.today()
    meta = parse_date_value(html_meta_date)
    if meta and meta[0] <= today + timedelta(days=1):
        return _with_reference(meta)
    found = _date_line_choice(text, segments, today)
    if found:
        return _with_reference(found)
    dateline = _agency_dateline_date(text, segments, today)
    if dateline:
        return dateline, Precision.DAY, dateline
    pinned = [d for d in weekday_dates(analysed_only(text, segments), today) if d <= today + timedelta(days=366)]
    if pinned:
        ref = max(pinned)
        return ref.replace(day=1), Precision.MONTH, ref
    return None, None, None
