"""Reading an ontology file (MONDO, Disease Ontology, any OBO) into concept states, with `pronto`.

Every live term becomes one concept with the term's own id (`MONDO:0005059`), its name,
definition, exact/related/broad/narrow synonyms, the xrefs that are prefixed ids (`OMIM:...`,
`ORPHA:...`; URLs and free text are skipped) and one `is_a` parent: pronto keeps a term's parents
as a set, not in file order, so a term with several parents gets the one with the lowest id.
Obsolete and unnamed terms are skipped. Import is idempotent: a term whose state has not changed
writes nothing. `import:` lines are not followed: only the file's own terms are read, and reading a
local file never opens a network connection.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from pathlib import Path

from dxatlas.kb.curie import Curie, CurieError
from dxatlas.store.concept import ConceptSource, ConceptState, Synonym
from dxatlas.store.concepts import ConceptBook, clean_synonyms, load_all
from dxatlas.store.errors import ConceptConflict, OntologyFileError


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did, term by term."""

    path: str
    terms: int  # live, named terms read from the file
    added: int
    updated: int
    unchanged: int
    skipped: int  # obsolete or unnamed terms
    multiple_parents: int  # terms with more than one is_a parent: only the lowest id is kept


def _xrefs(values: list[str]) -> tuple[str, ...]:
    kept: set[str] = set()
    for value in values:
        try:
            kept.add(str(Curie.parse(value)))
        except CurieError:
            continue
    return tuple(sorted(kept))


def read_ontology(path: Path) -> tuple[list[ConceptState], int, int]:
    """The concept states of a file's live terms, the number skipped, and how many had >1 parent.

    Raises `OntologyFileError` naming the file when it is missing, a folder, unreadable or
    malformed (a syntax error, or an `is_a` naming a term the file does not define).
    """
    import pronto

    if path.is_dir():
        raise OntologyFileError(f"{path} is a folder, not an OBO file")
    if not path.is_file():
        raise OntologyFileError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise OntologyFileError(f"{path}: the file is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pronto warns about every unknown header tag
            # import_depth=0: an `import:` line would otherwise be downloaded.
            ontology = pronto.Ontology(str(path), import_depth=0)
    except KeyError as error:  # pronto: an is_a/relationship naming a term the file lacks
        term = error.args[0] if error.args else "?"
        raise OntologyFileError(
            f"{path}: not a readable ontology file (it refers to the unknown term {term!r})"
        ) from None
    except (SyntaxError, ValueError, IndexError, OSError) as error:
        # pronto has no error classes of its own (its SyntaxWarning is a SyntaxError subclass);
        # fastobo raises SyntaxError, and UnicodeDecodeError is a ValueError.
        raise OntologyFileError(f"{path}: not a readable ontology file ({error})") from None
    states: list[ConceptState] = []
    skipped = multiple = 0
    for term in ontology.terms():
        if term.obsolete or not (term.name or "").strip():
            skipped += 1
            continue
        # pronto keeps the parents in a set (file order is lost): sort for a stable choice.
        parents = sorted(p.id for p in term.superclasses(distance=1, with_self=False))
        multiple += len(parents) > 1
        try:
            synonyms = clean_synonyms(
                (Synonym(s.description, s.scope.lower()) for s in term.synonyms), term.name
            )
        except ConceptConflict:
            synonyms = ()  # a synonym with no words; the rest of the term is still useful
        states.append(
            ConceptState(
                id=term.id,
                name=" ".join(term.name.split()),
                source=ConceptSource.OBO,
                parent_id=parents[0] if parents else None,
                description=(str(term.definition).strip() or None) if term.definition else None,
                synonyms=synonyms,
                xrefs=_xrefs([x.id for x in term.xrefs]),
            )
        )
    if not states and not skipped:
        raise OntologyFileError(f"{path}: no [Term] stanzas found")
    return states, skipped, multiple


def import_ontology(book: ConceptBook, path: Path, author: str) -> ImportReport:
    """Create or update one concept per term of the file (the caller's transaction commits)."""
    states, skipped, multiple = read_ontology(path)
    existing = load_all(book.session)  # one query instead of one per term
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for state in states:
        row = existing.get(state.id)
        if row is not None and row.source != ConceptSource.OBO:
            raise OntologyFileError(
                f"{path}: term {state.id} has the id of a {row.source} concept; not imported"
            )
        if row is not None:
            state = replace(state, hidden=row.hidden)  # an editor's hide survives re-import
        counts[book.put(state, author)] += 1
    return ImportReport(
        path=str(path),
        terms=len(states),
        added=counts["added"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        skipped=skipped,
        multiple_parents=multiple,
    )
