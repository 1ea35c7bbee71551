"""The `Document` noun: one loaded text with its origin, title, date and content hash.

A document's id is its source's own id when it has one (`PMID:123`, a MedQuAD record id),
else `sha256:` and the start of its content hash, so re-ingesting the same text gives the same id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dxatlas.ingest.origin import host_of, registered_domain

_WHITESPACE = re.compile(r"\s+")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a document came from: a URL (with host and registered domain) and/or a file path."""

    url: str | None = None
    host: str | None = None
    domain: str | None = None
    path: str | None = None

    @classmethod
    def of(cls, url: str | None = None, path: str | None = None) -> Origin:
        """The origin of `url` and/or `path`, with the host and registered domain filled in."""
        if not url:
            return cls(path=path)
        return cls(url=url, host=host_of(url), domain=registered_domain(url), path=path)


@dataclass(frozen=True, slots=True)
class Section:
    """A part of a document: its kind (MedQuAD qtype, abstract label), heading and text.

    `start` is the offset of `text` in the document's text, so a sentence can be placed in it.
    """

    kind: str
    text: str
    start: int
    heading: str | None = None

    @property
    def end(self) -> int:
        """The offset just past the section's text in the document's text."""
        return self.start + len(self.text)


@dataclass(frozen=True, slots=True)
class Document:
    """One loaded document; immutable, and equal when its id, origin and content are equal."""

    id: str
    origin: Origin
    title: str | None
    date: str | None
    content_hash: str
    text: str
    sections: tuple[Section, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def path(self) -> str | None:
        """The file the document was read from, if any."""
        return self.origin.path

    def section_at(self, offset: int) -> Section | None:
        """The section holding the character at `offset`, if the document has sections."""
        for section in self.sections:
            if section.start <= offset < section.end:
                return section
        return None


def clean_text(text: str) -> str:
    """The stored form of a text: NFC, `\\n` line ends, no trailing spaces, <=1 blank line."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _TRAILING_SPACE.sub("\n", text.replace("\x00", ""))
    return _BLANK_LINES.sub("\n\n", text).strip()


def content_hash(text: str) -> str:
    """sha256 of the text, Unicode (NFC) and whitespace normalised: re-wrapping keeps the hash."""
    normal = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def join_sections(parts: Iterable[tuple[str, str, str | None]]) -> tuple[str, tuple[Section, ...]]:
    """Join (kind, text, heading) parts into one text (blank line between) and their `Section`s."""
    pieces: list[str] = []
    sections: list[Section] = []
    offset = 0
    for kind, raw, heading in parts:
        text = clean_text(raw)
        if not text:
            continue
        if pieces:
            pieces.append("\n\n")
            offset += 2
        sections.append(Section(kind=kind, text=text, start=offset, heading=heading))
        pieces.append(text)
        offset += len(text)
    return "".join(pieces), tuple(sections)


def make_document(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    path: str | None = None,
    date: str | None = None,
    source_id: str | None = None,
    sections: tuple[Section, ...] = (),
    metadata: Mapping[str, Any] | None = None,
) -> Document:
    """Build a `Document`: clean the text (unless sections index into it), hash it, set its id."""
    body = text if sections else clean_text(text)
    digest = content_hash(body)
    return Document(
        id=source_id or f"sha256:{digest[:16]}",
        origin=Origin.of(url, path),
        title=(title or "").strip() or None,
        date=date or None,
        content_hash=digest,
        text=body,
        sections=sections,
        metadata=dict(metadata or {}),
    )
