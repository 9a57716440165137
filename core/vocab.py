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


class Qualifier(StrEnum):
    """How a figure relates to the value the text gives."""

    EXACT = "exact"
    ABOUT = "about"
    MORE_THAN = "more_than"
    LESS_THAN = "less_than"
    VAGUE = "vague"


class Review(StrEnum):
    """What an analyst did with an event or figure row (its `review` column)."""

    AUTO = "auto"
    CORRECTED = "corrected"
    ADDED = "added"
    REVIEWED = "reviewed"


class ReviewScope(StrEnum):
    """Which rows the review filter keeps: those an analyst has seen, or those nobody has."""

    REVIEWED = "reviewed"
    NEEDS_REVIEW = "needs_review"


class Action(StrEnum):
    """What a correction does (one entry of the corrections log)."""

    EDIT = "edit"
    REJECT = "reject"
    ADD = "add"
    REVIEW = "review"
    MERGE = "merge"
    RENAME = "rename"
    SPLIT = "split"
    NOT_ACTOR = "not_actor"
    REVERT = "revert"


# Actions on one row (anchored to its article and evidence span) and on a name, corpus-wide.
ROW_ACTIONS = frozenset({Action.EDIT, Action.REJECT, Action.ADD, Action.REVIEW})
NAME_ACTIONS = frozenset({Action.MERGE, Action.RENAME, Action.SPLIT, Action.NOT_ACTOR, Action.EDIT})
