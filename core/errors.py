"""The project's exceptions: a small hierarchy that also inherits from builtins."""


class NewsdashError(Exception):
    """Base of every error this package raises on purpose."""


class IngestError(NewsdashError, ValueError):
    """An input could not be read as articles. `source` names the file or URL, `reason` says why."""

    def __init__(self, source, reason):
        self.source = str(source)
        self.reason = reason
        super().__init__(f"{self.source}: {reason}")


class SchemaError(NewsdashError, ValueError):
    """A table does not have the columns or types the schema declares."""


class ModelNotFound(NewsdashError, ImportError):
    """No spaCy English model is installed."""


class FetchError(NewsdashError, IOError):
    """A URL or feed could not be fetched (no network, timeout, HTTP error)."""


class ReviewError(NewsdashError, ValueError):
    """An analyst's correction (or a file of them) cannot be applied: the message names the
    field or file and the value at fault. Nothing was written."""
