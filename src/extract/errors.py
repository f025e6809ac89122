"""The package's one family of errors: every error it raises on purpose is an ``Error``.

``ExtractError`` and its subclasses are about one source (they name it, so a batch run can report and skip
it); ``StoreError`` about the database; ``ConfigError`` about a pipeline file or setting.
"""

from __future__ import annotations


class Error(Exception):
    """Base of the errors this package raises: catch ``extract.errors.Error`` to catch any of them."""


class ExtractError(Error):
    """Base class: something went wrong with one source.

    ``reason`` (a short word, recorded in the ``errors`` table) says what kind of failure it is and
    ``transient`` whether a later run may succeed with the same input.
    """

    reason: str = "error"
    transient: bool = False

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class InputError(ExtractError):
    """The input cannot be used: empty, binary, not HTML/text, unreadable, HTTP failure, too large.

    ``reason``: "not_found", "unreadable", "empty", "binary", "too_large", "content_type", "undecodable",
    "no_main_text", "not_modified" (and the fetch and language reasons of the subclasses).
    """

    def __init__(self, source: str, problem: str, reason: str = "bad_input", transient: bool = False) -> None:
        super().__init__(source, problem)
        self.reason = reason
        self.transient = transient
        self.raw_sha256: str | None = None  # of the content that failed, when it was read


class LanguageError(InputError):
    """The language of the text could not be detected or is not supported.

    ``reason`` (recorded in the store's ``errors`` table) is "unsupported_language" for a language that was
    recognised but has no data file, and "language_undetected" when the text does not say which language it is.
    """

    def __init__(self, source: str, problem: str, reason: str = "language_undetected") -> None:
        super().__init__(source, problem, reason)


class StoreError(Error):
    """The store cannot be opened or read as asked: missing file, pending migrations, an unknown table. The
    message is one line."""


class EmptyQueryError(StoreError):
    """A query with no statement in it: blank, or only comments."""


class ConfigError(Error, ValueError):
    """A pipeline file or a setting that cannot be used, with the reason."""
