"""Segments of an article's text: title, dateline, body, caption, byline, boilerplate.

`segment_text` classifies the text line by line (and, for captions, credits and agency
datelines, parts of lines) without changing it: the segments tile the whole text, so offsets
stay those of `Article.text`, and `Article.analysed_text()` blanks what is not analysed.
`detect_source` names the outlet or agency the text itself credits.

The patterns are data (core/data/boilerplate.json); this module only decides the order they
apply in and the few things a pattern cannot say (a line repeating the title or an earlier
line, a truncated teaser repeating a later paragraph, the short label lines between the
headline and the first paragraph, and the list of unrelated headlines after "Next In World").
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
    date_words,
    is_relative_age_line,
    parse_date_line,
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


def _compile(pattern: str, case_sensitive: bool = False) -> re.Pattern:
    """A pattern for spans (offsets into the line as written)."""
    return re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)


@dataclass(frozen=True)
class _LineTest:
    """A yes/no pattern for a whole line. Case-insensitive ones run on the lowercased line
    (their letters are written in lower case): far faster than re.IGNORECASE."""

    regex: re.Pattern
    lower: bool

    def search(self, line: str) -> re.Match | None:
        return self.regex.search(line.lower() if self.lower else line)


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
    )


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
    for kind, reason, pattern, max_chars in rules().line_rules:
        if kind == "boilerplate" and _fits(core, max_chars) and pattern.search(core):
            return reason
    if _norm(core) in rules().section_tags:
        return "section tag"
    return None


def _by_line(core: str) -> bool:
    """True for "By Felix Light and Guy Faulconbridge" / "BY HYUNG-JIN KIM, Associated Press"."""
    m = re.match(r"(?:By|BY|by)\s+(\S.*)$", core)
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
    for reason, pattern, max_chars in rules().byline_rules:
        if _fits(core, max_chars) and pattern.search(core):
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
        if m and (cut + m.start() > 0 or len(core) <= 60):
            return cut + m.start(), cut + m.end()
    return None


def is_caption(core: str) -> bool:
    """True for a photo caption: "▲ This photo ...", "FILE PHOTO: ...", "Photo: ...", a line
    ending in a photo credit, or one marked "(illustrative photo)"."""
    if len(core) > MAX_CAPTION_CHARS:
        return False
    r = rules()
    return (any(p.search(core) for p in r.caption_starts) or any(p.search(core) for p in r.caption_contains)
            or _caption_credit(core) is not None)


def _is_tail_marker(core: str, patterns) -> bool:
    return len(core) <= 60 and any(p.search(core.strip(" :.-|»>")) for p in patterns)


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
    title_norm: str | None = None
    title_done: bool = False
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


FILE_PHOTO = re.compile(r"(?i)^\W*(?:file photo|file picture|file image|archive photo|\(file\))\b")


def _caption(line: _Line) -> list[tuple[int, int, str, str]]:
    parts = _found_parts(line, rules().caption_parts)
    credit = _caption_credit(line.core)
    if credit:
        parts.append((line.core_start + credit[0], line.core_start + credit[1], "byline", "photo credit"))
    parts += [p for p in _found_parts(line, rules().inline_parts) if p[2] != "byline" or p[3] != "credit line"]
    if FILE_PHOTO.match(line.core):
        # An archive picture illustrates the topic, not what happens in the story: kept to be
        # shown, never analysed.
        return _with_parts(line, "boilerplate", "file photo caption", parts)
    return _with_parts(line, "caption", "photo caption", parts)


def _body(line: _Line) -> list[tuple[int, int, str, str]]:
    parts = _found_parts(line, rules().inline_parts)
    m = agency_dateline(line.core)
    if m:
        # Only the place and date are the dateline: the agency stays in the text, it is the
        # story's reporter.
        parts.append((line.core_start, line.core_start + m.end("where"), "dateline", REASON_AGENCY_DATELINE))
    return _with_parts(line, "body", "body", parts)


def _compound(line: _Line) -> list[tuple[int, int, str, str]] | None:
    """A line of parts separated by "|", "•" or a run of spaces that are each a date, byline,
    author name or label ("By Jane Doe | June 18, 2024 | 3 min read", "Jane Doe   July 25, 2023"),
    split into those parts; else None."""
    pieces = [(m.start(), m.end()) for m in re.finditer(r"(?:[^|•·\s]|\s(?!\s))+", line.core) if m.group().strip()]
    if len(pieces) < 2:
        return None
    out = []
    for n, (s, e) in enumerate(pieces):
        piece = line.core[s:e].strip()
        kind = _single_kind(piece) or (("byline", "author name") if _lone_name(piece) else None)
        if kind is None:
            return None
        a = line.core_start + s + (len(line.core[s:e]) - len(line.core[s:e].lstrip()))
        # The separator after a piece goes with it.
        b = line.core_start + pieces[n + 1][0] if n + 1 < len(pieces) else a + len(piece)
        out.append((a, b, *kind))
    return _with_parts(line, "boilerplate", "page furniture", out)


def _single_kind(core: str) -> tuple[str, str] | None:
    """(kind, reason) for a line by the pattern rules alone (no context), or None for body."""
    if parse_date_line(core) or is_relative_age_line(core):
        return "dateline", REASON_DATE_LINE
    reason = boilerplate_reason(core)
    if reason:
        return "boilerplate", reason
    reason = byline_reason(core)
    if reason:
        return "byline", reason
    return None


def _classify(line: _Line, norm: str, later: list[_Line], state: _State) -> list[tuple[int, int, str, str]]:
    """Spans of `line` (kind, reason), given its comparison key `norm`, the next lines and
    what the lines before it established. Mutates `state` (title found, tail reached)."""
    core = line.core
    if state.tail:
        return _whole(line, "boilerplate", f"after '{state.tail}'")
    if _is_tail_marker(core, rules().tail_markers) or _is_tail_marker(core, rules().weak_tail_markers):
        strong = _is_tail_marker(core, rules().tail_markers)
        if state.body_words >= TAIL_MIN_BODY_WORDS and (strong or _looks_like_list(later)):
            state.tail = core.strip(" :.-|»>")
            return _whole(line, "boilerplate", f"list marker '{state.tail}'")
    single = _single_kind(core)
    if single:
        return _whole(line, *single)
    compound = _compound(line)
    if compound:
        return compound
    if state.title_done and norm and norm in state.seen:
        return _whole(line, "boilerplate", "repeated title" if norm == state.title_norm else "repeated line")
    if is_caption(core):
        return _caption(line)
    if not state.title_done:
        state.title_done = True
        given = _norm(state.title) if state.title else None
        if (given is None and len(core) <= MAX_TITLE_CHARS) or norm == given:
            state.title_norm = norm
            return _whole(line, "title", "headline")
        state.title_norm = given
    if _teaser_repeats(core, later):
        return _whole(line, "boilerplate", "truncated teaser")
    if state.header and len(_words(core)) < PARAGRAPH_MIN_WORDS:
        if _lone_name(core):
            return _whole(line, "byline", "author name")
        if _header_label(core):
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
    state = _State(title=title)
    parts = []
    for i, line in enumerate(lines):
        if not line.core:
            continue
        norm = _norm(line.core)
        found = _classify(line, norm, lines[i + 1:i + 1 + LOOKAHEAD_LINES], state)
        parts += found
        if norm:
            state.seen.add(norm)
        body_words = sum(len(_words(text[s:e])) for s, e, k, _ in found if k == "body")
        state.body_words += body_words
        if body_words >= PARAGRAPH_MIN_WORDS:
            state.header = False
    return _cover(text, parts)


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
