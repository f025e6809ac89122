"""Exceptions raised while reading and processing sources.

Every error names the source it is about, so a batch run can report and skip it.
"""

from __future__ import annotations


class ExtractError(Exception):
    """Base class: something went wrong with one source."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class InputError(ExtractError):
    """The input cannot be used: empty, binary, not HTML/text, unreadable, HTTP failure, too large."""


class LanguageError(InputError):
    """The language of the text could not be detected or is not supported.

    ``reason`` (recorded in the store's ``errors`` table) is "unsupported_language" for a language that was
    recognised but has no data file, and "language_undetected" when the text does not say which language it is.
    """

    transient = False

    def __init__(self, source: str, problem: str, reason: str = "language_undetected") -> None:
        super().__init__(source, problem)
        self.reason = reason
