"""Exceptions raised while reading and processing sources.

Every error names the source it is about, so a batch run can report and skip it.
"""

from __future__ import annotations


class ExtractError(Exception):
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
