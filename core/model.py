"""Value types passed between the pipeline's steps.

Offsets (`start`, `end`) are character offsets into `Article.text`; every extracted row keeps
them so an analyst can go from any figure back to its words.
"""
from __future__ import annotations

import bisect
import datetime
import itertools
from dataclasses import dataclass, field
from datetime import date

from core.vocab import ANALYSED_KINDS, SegmentKind

SEGMENT_KINDS = tuple(SegmentKind)


@dataclass(frozen=True)
class Segment:
    """A stretch [start, end) of an article's text and what it is (a `SegmentKind`), with why."""

    start: int
    end: int
    kind: str
    reason: str = ""  # why it was classified so, e.g. "teaser 'Read also:'"


def blank_unanalysed(text: str, segments: list[Segment]) -> str:
    """`text` with every segment whose kind is not analysed blanked: same length, newlines kept.

    A blanked stretch followed by analysed text on the same line ends in a newline instead of
    a space, so the parser starts a sentence there: the story's first words after a dateline
    ("SEOUL, June 18 (AP) — ") or a credit are a sentence's start, not its middle.
    """
    chars = list(text)
    for seg in segments:
        if seg.kind not in ANALYSED_KINDS:
            for i in range(seg.start, seg.end):
                if chars[i] != "\n":
                    chars[i] = " "
    ordered = sorted(segments, key=lambda s: s.start)
    for seg, nxt in itertools.pairwise(ordered):
        e = seg.end
        if seg.kind not in ANALYSED_KINDS and nxt.kind in ANALYSED_KINDS and nxt.start == e > seg.start \
                and chars[e - 1] == " " and text[e] != "\n":
            chars[e - 1] = "\n"
    return "".join(chars)


@dataclass
class Article:
    """One article: its plain text (the tables' offsets point into it), segments, metadata and dates."""

    article_id: str
    file: str
    title: str
    text: str  # the whole article as plain text (HTML already converted); offsets point here
    segments: list[Segment] = field(default_factory=list)
    source: str | None = None
    url: str | None = None
    published: date | None = None
    published_precision: str | None = None  # day | month | year | None
    # The date relative expressions are resolved against: the publication date when known to
    # the day, otherwise the most precise date the text pins down (may be finer than
    # `published`, which only claims what is certain).
    reference_date: date | None = None
    content_hash: str = ""

    def analysed_text(self) -> str:
        """`text` with every non-analysed segment blanked (see `blank_unanalysed`)."""
        return blank_unanalysed(self.text, self.segments)

    def segment_lookup(self):
        """A function offset -> the kind of the segment covering it (`body` where none is
        recorded); built once, then a binary search per lookup."""
        segs = sorted(self.segments, key=lambda s: s.start)
        starts = [s.start for s in segs]

        def kind(offset: int) -> str:
            i = bisect.bisect_right(starts, offset) - 1
            return segs[i].kind if i >= 0 and offset < segs[i].end else "body"

        return kind


@dataclass(frozen=True)
class Actor:
    """A canonical actor from the gazetteer or the model."""

    name: str
    type: str  # person | organisation | media | state
    country: str | None = None  # ISO 3166-1 alpha-3
    code: str | None = None  # CAMEO-style actor code, e.g. RUSGOV


@dataclass(frozen=True)
class Place:
    """A place with its country code and coordinates (None where unknown)."""

    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Mention:
    """One occurrence of an actor or a place in an article."""

    kind: str  # actor | place
    name: str  # canonical name
    surface: str
    start: int
    end: int
    actor: Actor | None = None
    place: Place | None = None
    coref: bool = False  # a pronoun or description ("he", "the ministry") standing for `name`


@dataclass(frozen=True)
class DateMention:
    """A date expression resolved against a reference date."""

    start: int
    end: int
    text: str
    # datetime.date: inside the class body `date` names the field, not the type
    date: datetime.date | None  # first day of the period for month / year precision
    precision: str | None  # day | month | year | None (unresolvable, e.g. "in recent months")
    end_date: datetime.date | None = None  # the last day of a range ("Feb. 15-17"), else None
