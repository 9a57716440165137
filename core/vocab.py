"""The project's fixed vocabularies, each written once.

Every value a table column may take from a closed set lives here as a `StrEnum`: members
compare equal to their strings, so rows, JSON files and CSVs keep plain text while code
names the value instead of retyping it.
"""
from enum import StrEnum


class Precision(StrEnum):
    """How much of a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"

    @property
    def rank(self) -> int:
        """0 for the finest precision (day), larger for coarser ones."""
        return list(Precision).index(self)


def precision_rank(value) -> int:
    """The rank of a precision given as text (unknown or empty ranks as a day)."""
    try:
        return Precision(value).rank
    except ValueError:
        return 0


class EventType(StrEnum):
    """What kind of event a row records (CAMEO-style roots in core/data/event_triggers.json)."""

    VISIT = "visit"
    MEETING = "meeting"
    AGREEMENT = "agreement"
    TRANSFER = "transfer"
    STRIKE = "strike"
    STATEMENT = "statement"
    TRANSPORT = "transport"
    OTHER = "other"


class Status(StrEnum):
    """Whether an event happened as the text tells it."""

    REPORTED = "reported"
    PLANNED = "planned"
    ALLEGED = "alleged"
    DENIED = "denied"


class SegmentKind(StrEnum):
    """What part of an article a stretch of its text is."""

    TITLE = "title"
    DATELINE = "dateline"
    BODY = "body"
    CAPTION = "caption"
    BYLINE = "byline"
    BOILERPLATE = "boilerplate"


# The segments the NLP reads; the others are kept for display only.
ANALYSED_KINDS = frozenset({SegmentKind.TITLE, SegmentKind.BODY, SegmentKind.CAPTION})


class Role(StrEnum):
    """An actor's part in an event."""

    SOURCE = "source"
    TARGET = "target"
    PARTICIPANT = "participant"


class Category(StrEnum):
    """What a figure counts (GOLD_SCHEMA.md)."""

    MISSILE = "missile"
    CONTAINER = "container"
    MUNITION = "munition"
    CASUALTY = "casualty"
    PERSONNEL = "personnel"
    DISTANCE = "distance"
    DURATION = "duration"
    COMPONENT = "component"
    OTHER = "other"


class MentionKind(StrEnum):
    """What a mention names."""

    ACTOR = "actor"
    PLACE = "place"
