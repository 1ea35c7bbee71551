"""Why a source could not be ingested: skipped on purpose, failed to load, or not found at all."""

from __future__ import annotations


class IngestError(Exception):
    """Base of the ingestion errors; the message is a one-line reason for the user."""


class SourceError(IngestError):
    """A path, folder or glob given by the user that names no file."""


class SkipFile(IngestError):
    """A file deliberately not read: empty, over the size limit, binary or of an unknown format."""


class LoadError(IngestError):
    """A file (or a URL) whose content could not be read: corrupt, undecodable, no text."""


class RecordErrors(LoadError):
    """Some records of a multi-record file were bad; raised after the good ones were yielded."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} bad record(s)")
