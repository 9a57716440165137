"""Segments of an article's text: title, dateline, body, caption, byline, boilerplate.

`segment_text` classifies the text line by line (and, for captions, credits and agency
datelines, parts of lines) without changing it: the segments tile the whole text, so offsets
stay those of `Article.text`, and `Article.analysed_text()` blanks what is not analysed.
`detect_source` names the outlet or agency the text itself credits.

The patterns are data (core/data/boilerplate.json); this module decides the order they apply
in and what a pattern cannot say, from the shape of lines and where they stand:
  - the headline is the first line of four words or more above the story's first paragraph
    that is not furniture; shorter lines and lines in capitals above it are mastheads;
  - a line of short parts between separators ("Kyiv • 19 July 2022 • Jane Doe", "Home > World",
    "USD 41.76 ▲0.12 | EUR 48.53") is split into dates, bylines and page furniture;
  - a line repeating the title or an earlier line, a truncated teaser repeating a later
    paragraph, short labels and lone names under the headline;
  - the headlines after a list marker ("Next In World", "Read also:"), and a bulleted or
    numbered list of short headlines after which the story does not go on.
All functions are pure.
"""
from __future__ import annotations

import bisect
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from core.data import data_path
from core.extract.published import (
    REASON_AGENCY_DATELINE,
    REASON_DATE_LINE,
    REASON_WEEKDAY_LINE,
    date_words,
    is_relative_age_line,
    parse_date_line,
    parse_weekday_line,
)
from core.model import Segment

DATA_FILE = data_path("boilerplate.json")

MAX_TITLE_CHARS = 300
MAX_CAPTION_CHARS = 600
LOOKAHEAD_LINES = 40  # how far a teaser's repeat or a marker's list is looked for
CREDIT_WINDOW = 120  # photo credits are searched for in a line's last characters only
HEADER_LABEL_MAX_WORDS = 4
PARAGRAPH_MIN_WORDS = 8  # the first body line this long ends the header (title, labels, dates)
TAIL_MIN_BODY_WORDS = 20  # a "Related" marker ends the article only after some body text
TEASER_MIN_CHARS = 15
DATELINE_MIN_WORDS = 12  # "SEOUL: <a sentence>" is a dateline, "USA: <a heading>" is not
HEADER_SCAN_LINES = 15  # how many non-blank lines the headline is looked for in
HEADLINE_MIN_WORDS = 4  # a shorter line before the headline is a masthead or label ("The Seoul Courier")
LEAD_MIN_WORDS = 12  # a line ending in a full stop this long is running text, never a headline
PIECE_MAX_WORDS = 6  # parts of a "Kyiv • 19 July 2022 • Jane Doe" line are this short
LIST_ITEM_MAX_WORDS = 20  # items of a related-headline list
# Kinds whose consecutive segments merge into one (lines of other kinds stay one segment
# each so a date line or a caption can be read back on its own).
MERGED_KINDS = frozenset({"body", "boilerplate"})


@dataclass(frozen=True)
class _Line:
    start: int  # offset of the line in the text
    end: int  # offset just past its last character (before the newline)
    raw: str
    core: str  # the line without leading bullets and surrounding spaces
    core_start: int  # offset of `core` in the text


@dataclass(frozen=True)
class _Rules:
    line_rules: list  # (kind, reason, pattern, max_chars)
    byline_rules: list  # (reason, pattern, max_chars)
    by_words: frozenset
    tail_markers: list
    weak_tail_markers: list
    section_tags: frozenset
    not_name_words: frozenset
    caption_starts: list
    caption_contains: list
    caption_credits: list
    caption_parts: list  # (kind, reason, pattern)
    inline_parts: list  # (kind, reason, pattern)
    dateline_not_places: frozenset
    agencies: dict
    syndication: list
    copyright_holder: re.Pattern
    bullets: str
    ui_count: _LineTest  # a line of counts next to page-UI words ("6,812 views", "Comments: 14")


def _compile(pattern: str, case_sensitive: bool = False) -> re.Pattern:
    """A pattern for spans (offsets into the line as written)."""
    return re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)


@dataclass(frozen=True)
class _LineTest:
    """A yes/no pattern for a whole line. Case-insensitive ones run on the lowercased line
    (their letters are written in lower case): far faster than re.IGNORECASE."""

    regex: re.Pattern
    lower: bool

    def search(self, line: str, low: str | None = None) -> re.Match | None:
        """The first match of the test in `line` (lower-cased first unless case-sensitive), or None.
        `low` is `line.lower()` when the caller has it already (one line meets many tests)."""
        if not self.lower:
            return self.regex.search(line)
        return self.regex.search(line.lower() if low is None else low)


def _line_test(pattern: str, case_sensitive: bool = False) -> _LineTest:
    return _LineTest(re.compile(pattern), not case_sensitive)


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """The compiled patterns of core/data/boilerplate.json (read once)."""
    d = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return _Rules(
        line_rules=[(r["kind"], r["reason"], _line_test(r["pattern"], r.get("case_sensitive", False)),
                     r.get("max_chars")) for r in d["line_rules"]],
        byline_rules=[(r["reason"], _line_test(r["pattern"], r.get("case_sensitive", False)), r.get("max_chars"))
                      for r in d["byline_rules"]],
        by_words=frozenset(w.lower() for w in d["byline_by_words"]),
        tail_markers=[_line_test(p) for p in d["tail_markers"]],
        weak_tail_markers=[_line_test(p) for p in d["weak_tail_markers"]],
        section_tags=frozenset(_norm(t) for t in d["section_tags"]),
        not_name_words=frozenset(d["not_name_words"]),
        caption_starts=[_line_test(p) for p in d["caption_starts"]],
        caption_contains=[_line_test(p) for p in d["caption_contains"]],
        caption_credits=[re.compile(p) for p in d["caption_credits"]],
        caption_parts=[(r["kind"], r["reason"], _compile(r["pattern"], r.get("case_sensitive", False)))
                       for r in d["caption_parts"]],
        inline_parts=[(r["kind"], r["reason"], _compile(r["pattern"], r.get("case_sensitive", False)))
                      for r in d["inline_parts"]],
        dateline_not_places=frozenset(d["dateline_not_places"]),
        agencies=d["agencies"],
        syndication=[_compile(p) for p in d["syndication"]],
        copyright_holder=_compile(d["copyright_holder"]),
        bullets=d["bullets"],
        ui_count=_ui_count_test(d["ui_count_words"]),
    )


def _ui_count_test(words: list[str]) -> _LineTest:
    """A line made only of page-UI counts: "6,812 views", "Comments: 14", "Shared 318 times",
    "Reading time: 3 min", "4 min", separated by "|", "·", "•", "," or "/"."""
    w = "|".join(sorted((re.escape(x) for x in words), key=len, reverse=True))
    n = r"\d[\d,.]*\s*[km]?"
    unit = (rf"(?:(?:{w})\s*[:(]?\s*{n}\s*\)?|{n}\s+(?:{w})|shared\s+{n}\s+times"
            rf"|(?:reading|read|listening) time\s*:?\s*(?:\d{{1,3}}|one|two|three|four|five|ten)"
            rf"\s*(?:min|mins|minutes?)\.?"
            rf"|\d{{1,3}}\s*(?:min|mins|minutes?)\.?(?:\s+(?:read|listen))?)")
    return _line_test(rf"^{unit}(?:\s*[|·•,/]?\s*{unit})*\W*$")


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def _norm(s: str) -> str:
    """A line's comparison key: case-folded, quotes and dashes unified, spaces collapsed,
    surrounding punctuation dropped (so a repeated headline matches with or without its period)."""
    s = unicodedata.normalize("NFKC", s).translate(_QUOTES).casefold()
    s = re.sub(r"\s+", " ", s)
    return s.strip(" .,:;!?'\"|•·-*")


def _lines(text: str) -> list[_Line]:
    bullets = rules().bullets
    out, pos = [], 0
    for raw in text.split("\n"):
        core = raw.strip()
        if core[:1] in bullets:
            # A bare "-" or "***" line keeps its characters: it is a separator, not a bullet.
            core = core.lstrip(bullets).lstrip() or core
        core_start = pos + raw.index(core) if core else pos
        out.append(_Line(pos, pos + len(raw), raw, core, core_start))
        pos += len(raw) + 1
    return out


def _words(s: str) -> list[str]:
    return re.findall(r"[^\W_][\w'’.-]*", s)


def _fits(line: str, max_chars) -> bool:
    return max_chars is None or len(line) <= max_chars


def boilerplate_reason(core: str) -> str | None:
    """The reason a single line is boilerplate by the line rules ("teaser 'Read also'",
    "widget error", ...), or None."""
    low = core.lower()
    for kind, reason, pattern, max_chars in rules().line_rules:
        if kind == "boilerplate" and _fits(core, max_chars) and pattern.search(core, low):
            return reason
    if _norm(core) in rules().section_tags:
        return "section tag"
    return None


def _by_line(core: str) -> bool:
    """True for "By Felix Light and Guy Faulconbridge" / "BY HYUNG-JIN KIM, Associated Press"."""
    m = re.match(r"(?:By|BY|by)\s+(\S.*?)[\s|·•–—-]*$", core)
    if not m or len(core) > 120:
        return False
    tokens = re.findall(r"[^\s,;|/&]+", m.group(1))
    if not tokens or len(tokens) > 12:
        return False
    names = [t for t in tokens if t.lower() not in rules().by_words]
    return bool(names) and all(re.fullmatch(r"[A-Z][\w'’.-]*|[A-Z]\.?", t) for t in names)


def byline_reason(core: str) -> str | None:
    """The reason a single line is a byline (credit line, author name, e-mail), or None."""
    if _by_line(core):
        return "author line 'By ...'"
    low = core.lower()
    for reason, pattern, max_chars in rules().byline_rules:
        if _fits(core, max_chars) and pattern.search(core, low):
            return reason
    if _credit_only(core):
        return "photo credit"
    return None


def _credit_only(core: str) -> bool:
    """A line that is nothing but a photo credit ("REUTERS/Evgenia Novozhenina")."""
    m = _caption_credit(core) if len(core) <= CREDIT_WINDOW else None
    return m is not None and m[0] == 0


def _caption_credit(core: str) -> tuple[int, int] | None:
    """(start, end) of the photo credit ending a line, if any. A match at the very start only
    counts in a short line: "Photo: Kim greets Putin at the airport" is a caption, not a credit.
    Credits end the line, so only its last characters are searched (long paragraphs are many)."""
    cut = max(0, len(core) - CREDIT_WINDOW)
    tail = core[cut:]
    for pattern in rules().caption_credits:
        m = pattern.search(tail)
        if m and (cut + m.start() > 0 or (len(core) <= 60 and _names_only(core))):
            return cut + m.start(), cut + m.end()
    return None


# Words a credit line may hold besides names ("Photo by Jane Doe via Reuters", "File Photo").
_CREDIT_WORDS = frozenset({"photo", "photos", "image", "images", "picture", "by", "via", "of", "courtesy", "file",
                           "credit", "and", "pool", "handout", "graphic", "illustration", "de", "van", "von", "al"})


def _names_only(core: str) -> bool:
    """True when every word of `core` is capitalised or a credit word: a credit, not a caption
    ("Photo: Kim greets the visitors" has lowercase words)."""
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _CREDIT_WORDS for w in _words(core))


def is_caption(core: str) -> bool:
    """True for a photo caption: "▲ This photo ...", "FILE PHOTO: ...", "Photo: ...", a line
    ending in a photo credit, or one marked "(illustrative photo)"."""
    if len(core) > MAX_CAPTION_CHARS:
        return False
    r = rules()
    low = core.lower()
    return (any(p.search(core, low) for p in r.caption_starts) or any(p.search(core, low) for p in r.caption_contains)
            or _caption_credit(core) is not None)


def _is_tail_marker(core: str, patterns) -> bool:
    return len(core) <= 60 and any(p.search(core.strip(" :.-|»>[]()")) for p in patterns)


def _looks_like_list(lines: list[_Line]) -> bool:
    """True when the lines after a weak marker are a list of short headlines or links."""
    rest = [ln.core for ln in lines if ln.core][:12]
    return len(rest) >= 2 and sum(len(_words(c)) <= 16 for c in rest) >= 0.75 * len(rest)


def _teaser_repeats(core: str, later: list[_Line]) -> bool:
    """True for a line cut off with "..." whose beginning is the beginning of another line."""
    m = re.match(r"(.*?)\s*(?:\.{3,}|…)$", core)
    if not m:
        return False
    head = _norm(re.sub(r"\s*\S*$", "", m.group(1)))  # the last word may be cut short
    if len(head) < TEASER_MIN_CHARS:
        return False
    return any(_norm(ln.core).startswith(head) for ln in later if ln.core and ln.core != core)


def _lone_name(core: str) -> bool:
    """A line of 2-3 capitalised name words ("Felix Light") that are not section words."""
    tokens = core.split()
    return (2 <= len(tokens) <= 3 and all(re.fullmatch(r"[A-Z][a-z'’]+(?:-[A-Z]?[a-z'’]+)?|[A-Z]\.", t) for t in tokens)
            and not any(t in rules().not_name_words for t in tokens))


def _is_lead(core: str) -> bool:
    """True for running text ("... officials said on Monday."): a line of at least
    LEAD_MIN_WORDS words that ends a sentence with a full stop or holds more than one sentence.
    Headlines do neither, so such a line is never taken for one."""
    if len(_words(core)) < LEAD_MIN_WORDS:
        return False
    # "N. Korea" or "U.S. envoy" is not the end of a sentence: the word before the stop must be
    # a lowercase word or a number.
    return bool(re.search(r"\.['\"”’)\]]*$", core) or re.search(r"(?:[a-z]{2}|\d)[.!?]['\"”’)]*\s+[\"“‘A-Z]", core))


def _story_paragraph(core: str) -> bool:
    """A paragraph of the story: PARAGRAPH_MIN_WORDS words or more ending a sentence."""
    return len(_words(core)) >= PARAGRAPH_MIN_WORDS and bool(re.search(r"[.!?…]['\"”’)\]]*$", core))


def _masthead(core: str) -> bool:
    """A short line of capitalised words only ("The Seoul Courier") or in capitals ("NORTH
    PACIFIC NEWS WIRE"): an outlet's name, not a headline."""
    words = _words(core)
    if not words or len(words) > PIECE_MAX_WORDS:
        return False
    if core == core.upper() and re.search(r"[^\W\d_]{2}", core):
        return True
    return len(words) < HEADLINE_MIN_WORDS and all(w[0].isupper() or w[0].isdigit() for w in words)


def _title_index(lines: list[_Line], given: str | None) -> int | None:
    """The index of the headline among `lines`: the line equal to `given` when a title is given
    and one of the first lines is; else, among the lines before the story's first paragraph that
    are not page furniture, the first of HEADLINE_MIN_WORDS words or more (mastheads, section
    labels and kickers above the headline are shorter), else the first that is not a masthead,
    else the first. None when the text starts with its story (a lead paragraph is never a headline)."""
    if given:
        g = _norm(given)
        found = [i for i, line in enumerate(lines) if line.core][:HEADER_SCAN_LINES]
        match = next((i for i in found if _norm(lines[i].core) == g), None)
        if match is not None:
            return match
    first = plain = None
    seen = 0
    for i, line in enumerate(lines):
        core = line.core
        if not core:
            continue
        seen += 1
        if seen > HEADER_SCAN_LINES:
            break
        if _single_kind(core) or _compound(line) or _place_and_date(line) or is_caption(core):
            continue
        if _is_lead(core) or agency_dateline(core) or len(core) > MAX_TITLE_CHARS:
            break
        if len(_words(core)) >= HEADLINE_MIN_WORDS and not _masthead(core):
            return i
        if first is None:
            first = i
        if plain is None and not _masthead(core) and not (i != first and _lone_name(core)):
            plain = i
    return plain if plain is not None else first


def _header_label(core: str) -> bool:
    """A short label line ("N Korea-Russia visit", "World") between the headline and the text."""
    return len(_words(core)) <= HEADER_LABEL_MAX_WORDS and not re.search(r"[.!?]['\"”’)]*$", core)


@lru_cache(maxsize=1)
def _dateline_pattern() -> re.Pattern:
    """An agency dateline opening a paragraph: "SEOUL, Feb. 13 (Yonhap) --", "MOSCOW (Reuters) -",
    "KYIV, Ukraine (AP) —", "MOSCOW, June 18. /TASS/.", "SEOUL:". The place part (with the date) is
    group `where`; the agency `agency`."""
    months = "|".join(sorted((re.escape(m) for m in date_words()["months"]), key=len, reverse=True))
    place = r"[A-Z][A-Za-z'’.\-]*(?:[ \-][A-Z][A-Za-z'’.\-]*){0,3}"
    day = rf"(?:(?i:{months})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?i:{months})\.?)(?:,?\s+\d{{4}})?"
    region = rf"(?!(?i:{months})\b){place}"
    return re.compile(
        rf"(?P<where>(?P<place>{place})(?:,\s*(?P<region>{region}))?(?:,\s*(?P<date>{day}))?)\.?\s*"
        rf"(?:\((?P<agency>[A-Za-z][\w .&'/-]{{0,40}}?)\)\s*(?P<sep>--|—|–|-|:)"
        rf"|/(?P<agency2>[A-Za-z][\w .&-]{{0,30}}?)/\.?(?:\s*(?:--|—|–|-))?"
        rf"|(?P<sep2>--|—|–|-|:))\s+(?=\S)")


def agency_dateline(core: str) -> re.Match | None:
    """The agency dateline opening `core`, or None. Without an agency the place must be in
    capitals ("SEOUL:"), so "Putin: ..." or "Moscow - ..." are not datelines."""
    m = _dateline_pattern().match(core)
    if not m:
        return None
    agency = m.group("agency") or m.group("agency2")
    place = m.group("place")
    if place.upper() in rules().dateline_not_places or len(place) < 2:
        return None
    if not agency and (place != place.upper() or len(_words(core[m.end():])) < DATELINE_MIN_WORDS):
        return None
    if agency and place != place.upper() and not m.group("date") and agency not in rules().agencies:
        return None
    return m


@dataclass
class _State:
    title: str | None  # the title given by the caller, if any
    title_at: int | None = None  # index of the headline line (see _title_index)
    title_norm: str | None = None
    header: bool = True
    body_words: int = 0
    tail: str | None = None
    seen: set = field(default_factory=set)


def _whole(line: _Line, kind: str, reason: str) -> list[tuple[int, int, str, str]]:
    return [(line.start, line.end, kind, reason)]


def _with_parts(line: _Line, kind: str, reason: str, parts: list[tuple[int, int, str, str]]):
    """The line as `kind`, with `parts` (absolute spans of other kinds) cut out of it."""
    out, pos = [], line.start
    for s, e, k, r in sorted(parts):
        if s < pos:
            continue
        if s > pos:
            out.append((pos, s, kind, reason))
        out.append((s, e, k, r))
        pos = e
    if pos < line.end:
        out.append((pos, line.end, kind, reason))
    return out


def _found_parts(line: _Line, specs) -> list[tuple[int, int, str, str]]:
    off = line.core_start
    return [(off + m.start(), off + m.end(), kind, reason)
            for kind, reason, pattern in specs for m in pattern.finditer(line.core)]


FILE_PHOTO = re.compile(r"(?i)^\W*(?:file photo|file picture|file image|archive photo|\(file\)|file\s*[-–—:])"
                        r"|\b(?:in|from) (?:a|an|this) (?:\w+ )?(?:file|archive) (?:photo|picture|image|photograph)\b"
                        r"|\bin an archive (?:photo|picture|image)\b")


def _caption(line: _Line) -> list[tuple[int, int, str, str]]:
    parts = _found_parts(line, rules().caption_parts)
    credit = _caption_credit(line.core)
    if credit:
        parts.append((line.core_start + credit[0], line.core_start + credit[1], "byline", "photo credit"))
    parts += [p for p in _found_parts(line, rules().inline_parts) if p[2] != "byline" or p[3] != "credit line"]
    if FILE_PHOTO.search(line.core):
        # An archive picture illustrates the topic, not what happens in the story: kept to be
        # shown, never analysed.
        return _with_parts(line, "boilerplate", "file photo caption", parts)
    return _with_parts(line, "caption", "photo caption", parts)


def _body(line: _Line) -> list[tuple[int, int, str, str]]:
    parts = _found_parts(line, rules().inline_parts)
    m = agency_dateline(line.core)
    if m:
        # The place and date are the dateline; the agency stays in the text (it is the story's
        # reporter) but the dash or colon after it is not analysed, so the story's first
        # sentence starts at its first word, not at "(AP) —" or ": ".
        off = line.core_start
        parts.append((off, off + m.end("where"), "dateline", REASON_AGENCY_DATELINE))
        agency = "agency" if m.group("agency") else "agency2" if m.group("agency2") else None
        sep_start = m.end(agency) + 1 if agency else m.end("where")
        if m.end() > sep_start:
            parts.append((off + sep_start, off + m.end(), "boilerplate", "dateline separator"))
    return _with_parts(line, "body", "body", parts)


# What separates the parts of a navigation, ticker or meta line: "|", "•", "·", "›", "»", a
# spaced ">" ("Home > World") or a run of spaces.
_SEPARATOR = re.compile(r"\s*(?:[|•·›»]|(?<=\s)>(?=\s))\s*|\s{2,}")


def _pieces(core: str) -> list[tuple[int, int]]:
    """(start, end) of the non-blank parts of `core` between separators."""
    out, pos = [], 0
    for m in _SEPARATOR.finditer(core):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(core):
        out.append((pos, len(core)))
    return [(s, e) for s, e in out if core[s:e].strip()]


def _sentence_piece(piece: str) -> bool:
    """A part that is a sentence of its own ("He arrived on Friday."), not a label."""
    return len(_words(piece)) >= 3 and bool(re.search(r"[.!?]['\"”’)]*$", piece))


def _compound(line: _Line) -> list[tuple[int, int, str, str]] | None:
    """A line of short parts separated by "|", "•", "·", "›", a spaced ">" or a run of spaces:
    navigation ("Home > World > Asia"), tickers ("USD 41.76 ▲0.12 | EUR 48.53"), meta lines
    ("Kyiv • 19 July 2022, 17:40 • Jane Doe", "By Jane Doe | June 18, 2024 | 3 min read").
    Split into its parts: dates are datelines, names and credits bylines, the rest page
    furniture. None for any other line (a part longer than PIECE_MAX_WORDS words or a sentence)."""
    pieces = _pieces(line.core)
    if len(pieces) < 2:
        return None
    texts = [line.core[s:e].strip() for s, e in pieces]
    if any(len(_words(t)) > PIECE_MAX_WORDS or _sentence_piece(t) for t in texts):
        return None
    out = []
    for n, ((s, _), piece) in enumerate(zip(pieces, texts, strict=True)):
        kind = _single_kind(piece) or (("byline", "author name") if _lone_name(piece) or _by_line(piece) else None)
        a = line.core_start + s
        # The separator after a piece goes with it.
        b = line.core_start + pieces[n + 1][0] if n + 1 < len(pieces) else a + len(piece)
        out.append((a, b, *(kind or ("boilerplate", "page furniture"))))
    return _with_parts(line, "boilerplate", "page furniture", out)


_PLACE_FIRST = re.compile(r"(?P<place>[A-Z][\w'’.-]*(?:[ -][A-Z][\w'’.-]*){0,2})\s*(?:,|[-–—:])\s+")


def _place_and_date(line: _Line) -> list[tuple[int, int, str, str]] | None:
    """A header line of a place and a date ("Kyiv, 19 July 2022 17:40", "SEOUL - June 3, 2024"):
    the date is a dateline, the place page furniture; None for any other line."""
    m = _PLACE_FIRST.match(line.core)
    if not m or not parse_date_line(line.core[m.end():]):
        return None
    off = line.core_start
    return [(off, off + m.end(), "boilerplate", "dateline place"),
            (off + m.end(), line.end, "dateline", REASON_DATE_LINE)]


def _list_item(line: _Line) -> int | None:
    """0 for a bulleted line, its number for a numbered one ("1. ...", "2 ..."), else None."""
    raw = line.raw.lstrip()
    if raw[:1] and raw[0] in rules().bullets and raw[1:2] == " ":
        return 0
    m = re.match(r"(\d{1,2})(?:[.)]\s*|\s+)(?=\S)", raw)
    return int(m.group(1)) if m else None


def _mark_trailing_lists(lines: list[_Line], found_at: dict) -> None:
    """Re-mark, in place, the lists of short headlines after the story ("related" links under a
    label such as "Further reading"): a run of two or more bulleted or numbered (1, 2, 3 ...)
    body lines of at most LIST_ITEM_MAX_WORDS words, most of them without a closing full stop,
    after which the text has no paragraph of the story. The label line just above the list,
    when short, goes with it. Lists inside the story are left alone."""
    order = sorted(found_at)
    is_body = {i: all(k == "body" for _, _, k, _ in found_at[i]) for i in order}
    runs: list[list[int]] = []
    run: list[tuple[int, int]] = []
    for i in order:
        n = _list_item(lines[i])
        item = n is not None and is_body[i] and len(_words(lines[i].core)) <= LIST_ITEM_MAX_WORDS
        if item and run and (n == 0 == run[-1][1] or (n != 0 and n == run[-1][1] + 1)):
            run.append((i, n))
            continue
        if len(run) >= 2:
            runs.append([j for j, _ in run])
        run = [(i, n)] if item and n in (0, 1) else []
    if len(run) >= 2:
        runs.append([j for j, _ in run])
    for items in reversed(runs):
        after = [j for j in order if j > items[-1]]
        if any(is_body[j] and _list_item(lines[j]) is None and _story_paragraph(lines[j].core) for j in after):
            break  # the story goes on after this list: it and the lists above it are the story's
        if sum(bool(re.search(r"\.['\"”’)]*$", lines[j].core)) for j in items) > len(items) / 3:
            continue  # sentences, not headlines
        before = [j for j in order if j < items[0]]
        if not any(is_body[j] for j in before):
            continue
        for j in items:
            found_at[j] = _whole(lines[j], "boilerplate", "related headline list")
        label = before[-1]
        core = lines[label].core
        if is_body[label] and len(_words(core)) <= HEADER_LABEL_MAX_WORDS + 1 and not _story_paragraph(core):
            found_at[label] = _whole(lines[label], "boilerplate", "list marker")


def _single_kind(core: str) -> tuple[str, str] | None:
    """(kind, reason) for a line by the pattern rules alone (no context), or None for body."""
    if parse_date_line(core) or is_relative_age_line(core):
        return "dateline", REASON_DATE_LINE
    if parse_weekday_line(core) is not None:
        return "dateline", REASON_WEEKDAY_LINE
    if rules().ui_count.search(core):
        return "boilerplate", "page UI count"
    reason = boilerplate_reason(core)
    if reason:
        return "boilerplate", reason
    reason = byline_reason(core)
    if reason:
        return "byline", reason
    return None


def _classify(i: int, line: _Line, norm: str, later: list[_Line], state: _State) -> list[tuple[int, int, str, str]]:
    """Spans of line `i` (kind, reason), given its comparison key `norm`, the next lines and
    what the lines before it established. Mutates `state` (title seen, tail reached)."""
    core = line.core
    if state.tail:
        return _whole(line, "boilerplate", f"after '{state.tail}'")
    if _is_tail_marker(core, rules().tail_markers) or _is_tail_marker(core, rules().weak_tail_markers):
        strong = _is_tail_marker(core, rules().tail_markers)
        if state.body_words >= TAIL_MIN_BODY_WORDS and (strong or _looks_like_list(later)):
            state.tail = core.strip(" :.-|»>[]()")
            return _whole(line, "boilerplate", f"list marker '{state.tail}'")
    if i == state.title_at:
        state.title_norm = norm
        return _whole(line, "title", "headline")
    single = _single_kind(core)
    if single:
        return _whole(line, *single)
    compound = _compound(line) or _place_and_date(line)
    if compound:
        return compound
    if norm and norm == state.title_norm and not _is_lead(core):
        return _whole(line, "boilerplate", "repeated title")
    if norm and norm in state.seen and norm != state.title_norm:
        return _whole(line, "boilerplate", "repeated line")
    if is_caption(core):
        return _caption(line)
    if _teaser_repeats(core, later):
        return _whole(line, "boilerplate", "truncated teaser")
    if state.title_at is not None and i < state.title_at:
        # Above the headline: the outlet's name, its tagline, a kicker.
        return _whole(line, "boilerplate", "masthead")
    if _lone_name(core):
        # A name on a line of its own: the author's, under the headline or signing off.
        return _whole(line, "byline", "author name")
    if state.header and len(_words(core)) < PARAGRAPH_MIN_WORDS and _header_label(core):
        return _whole(line, "boilerplate", "header label")
    return _body(line)


def _cover(text: str, parts: list[tuple[int, int, str, str]]) -> list[Segment]:
    """Segments tiling the whole text: gaps (newlines, blank lines) join the segment before them
    (the one after at the very start); consecutive body or boilerplate runs merge."""
    if not text:
        return []
    parts = sorted(p for p in parts if p[1] > p[0])
    if not parts:
        return [Segment(0, len(text), "body", "body")]
    out: list[list] = []
    for s, e, kind, reason in parts:
        if not out:
            s = 0
        elif s > out[-1][1]:
            out[-1][1] = s
        if out and out[-1][2] == kind and out[-1][3] == reason and kind in MERGED_KINDS:
            out[-1][1] = e
        else:
            out.append([s, e, kind, reason])
    out[-1][1] = len(text)
    return [Segment(s, e, k, r) for s, e, k, r in out]


def segment_text(text: str, *, title: str | None = None) -> list[Segment]:
    """Segments covering `text` end to end, each with its kind (core.model.SEGMENT_KINDS) and a
    short reason. `title`, when given, is the headline to look for among the first lines
    (otherwise the first line that is not a label, date, caption or credit is the headline)."""
    lines = _lines(text)
    title_at = _title_index(lines, title)
    state = _State(title=title, title_at=title_at, title_norm=_norm(title) if title else None)
    found_at: dict[int, list[tuple[int, int, str, str]]] = {}
    for i, line in enumerate(lines):
        if not line.core:
            continue
        norm = _norm(line.core)
        found = found_at[i] = _classify(i, line, norm, lines[i + 1:i + 1 + LOOKAHEAD_LINES], state)
        if norm:
            state.seen.add(norm)
        body_words = sum(len(_words(text[s:e])) for s, e, k, _ in found if k == "body")
        state.body_words += body_words
        if body_words >= PARAGRAPH_MIN_WORDS:
            state.header = False
    _mark_trailing_lists(lines, found_at)
    return _cover(text, [p for i in sorted(found_at) for p in found_at[i]])


def _canonical_source(name: str) -> str:
    name = name.strip(" .,:;-–—()[]")
    agencies = rules().agencies
    return agencies.get(name) or agencies.get(name.title()) or next(
        (v for k, v in agencies.items() if k.lower() == name.lower()), name)


def _plausible_source(name: str) -> bool:
    words = name.split()
    return 0 < len(words) <= 6 and name[:1].isupper() and not re.search(r"\d{3,}", name)


def _lines_with_kinds(text: str, segments: list[Segment]):
    """(line without bullets, kind of the segment at its first character) for each line."""
    starts = [s.start for s in segments]
    for line in _lines(text):
        if line.core:
            i = bisect.bisect_right(starts, line.core_start) - 1
            yield line.core, segments[i].kind if i >= 0 else "body"


def detect_source(text: str, segments: list[Segment]) -> str | None:
    """The outlet or agency the text credits: the agency of a dateline ("SEOUL, Feb. 13 (Yonhap)
    --" -> "Yonhap", "MOSCOW (Reuters) -" -> "Reuters", "(AP) —"), else the outlet of a syndication
    footer ("Read the original article on The New Voice of Ukraine"), else a copyright holder;
    None when the text names none. Agency names are canonical (core/data/boilerplate.json)."""
    r = rules()
    for core, kind in _lines_with_kinds(text, segments):
        if kind not in ("body", "dateline"):
            continue
        m = agency_dateline(core)
        agency = m and (m.group("agency") or m.group("agency2"))
        if not agency:
            lead = re.match(r"\((?P<a>[A-Za-z][\w .&'/-]{0,40}?)\)\s*(?:--|—|–|-)\s+\S", core)
            agency = lead.group("a") if lead else None
        if agency and (agency in r.agencies or _plausible_source(agency)):
            return _canonical_source(agency)
    footers = [text[s.start:s.end] for s in segments if s.kind in ("boilerplate", "byline")]
    for block in footers:
        for line in block.split("\n"):
            core = line.strip().lstrip(r.bullets).strip()
            for pattern in r.syndication:
                m = pattern.match(core)
                if m and _plausible_source(m.group("source").strip()):
                    return _canonical_source(m.group("source"))
    for block in footers:
        for line in block.split("\n"):
            m = r.copyright_holder.match(line.strip())
            if m and _plausible_source(m.group("source").strip()):
                return _canonical_source(m.group("source"))
    return None
