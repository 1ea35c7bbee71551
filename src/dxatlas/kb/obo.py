"""A parser for the OBO 1.4 flat-file format, reduced to the stanza fields the knowledge base needs.

Written by hand rather than with pronto/obonet because it only needs seven tags and reads hp.obo
(10 MB, 19k terms) in well under a second, where the general parsers take several seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

_SYNONYM = re.compile(
    r'^"(?P<text>(?:[^"\\]|\\.)*)"\s+(?P<scope>EXACT|RELATED|BROAD|NARROW)(?:\s+(?P<type>[A-Za-z_]+))?'
)
_QUOTED = re.compile(r'^"(?P<text>(?:[^"\\]|\\.)*)"')


@dataclass(frozen=True, slots=True)
class Synonym:
    """A synonym with its OBO scope (EXACT, RELATED, BROAD, NARROW) and type (e.g. layperson)."""

    text: str
    scope: str
    kind: str | None = None


@dataclass(slots=True)
class OboTerm:
    """One `[Term]` stanza."""

    id: str
    name: str = ""
    definition: str = ""
    synonyms: list[Synonym] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    alt_ids: list[str] = field(default_factory=list)
    xrefs: list[str] = field(default_factory=list)
    obsolete: bool = False
    replaced_by: str | None = None
    consider: list[str] = field(default_factory=list)


@dataclass(slots=True)
class OboDocument:
    """The header's data-version and the terms of an OBO file."""

    data_version: str
    terms: list[OboTerm]


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\\\", "\\")


def _strip_trailing(value: str) -> str:
    """Drop a trailing `! comment` and `{qualifiers}` from a tag value."""
    bang = value.find(" !")
    if bang >= 0:
        value = value[:bang]
    brace = value.find(" {")
    if brace >= 0:
        value = value[:brace]
    return value.strip()


def parse_obo_lines(lines: Iterable[str]) -> OboDocument:
    """Parse OBO text given as lines; only `[Term]` stanzas are kept."""
    data_version = ""
    terms: list[OboTerm] = []
    current: OboTerm | None = None
    in_term = False
    for raw in lines:
        line = raw.rstrip("\n")
        if not line or line.startswith("!"):
            continue
        if line.startswith("["):
            in_term = line.strip() == "[Term]"
            current = None
            continue
        tag, sep, value = line.partition(": ")
        if not sep:
            continue
        if not in_term:
            if tag == "data-version" and not terms:
                data_version = value.strip()
            continue
        if tag == "id":
            current = OboTerm(id=value.strip())
            terms.append(current)
            continue
        if current is None:
            continue
        if tag == "name":
            current.name = value.strip()
        elif tag == "def":
            match = _QUOTED.match(value)
            current.definition = _unescape(match["text"]) if match else value.strip()
        elif tag == "synonym":
            match = _SYNONYM.match(value)
            if match:
                current.synonyms.append(
                    Synonym(_unescape(match["text"]), match["scope"], match["type"])
                )
        elif tag == "is_a":
            current.parents.append(_strip_trailing(value))
        elif tag == "alt_id":
            current.alt_ids.append(_strip_trailing(value))
        elif tag == "xref":
            current.xrefs.append(_strip_trailing(value).split(" ")[0])
        elif tag == "is_obsolete":
            current.obsolete = value.strip() == "true"
        elif tag == "replaced_by":
            current.replaced_by = _strip_trailing(value)
        elif tag == "consider":
            current.consider.append(_strip_trailing(value))
    return OboDocument(data_version=data_version, terms=terms)


def read_obo(path: Path) -> OboDocument:
    """Read an OBO file from disk."""
    with path.open(encoding="utf-8") as handle:
        return parse_obo_lines(handle)


def iter_term_ids(document: OboDocument) -> Iterator[str]:
    """The ids of the current (not obsolete) terms, in file order."""
    return (term.id for term in document.terms if not term.obsolete)
