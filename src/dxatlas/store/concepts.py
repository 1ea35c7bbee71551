"""`ConceptBook`: stored concepts and their append-only revision history, inside one session.

Every change goes through `_record`, which writes the new state to the concept's rows and appends
one revision holding the state before and after it. Revisions are never updated or deleted, so a
concept's current state can always be rebuilt from its history (`rebuild`).

The book validates what editors type (names, parents, xrefs) and raises `ConceptConflict` with a
one-line reason; it never commits: the caller's transaction does, or rolls everything back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dxatlas.kb.curie import Curie, CurieError
from dxatlas.kb.normalize import normalize_name
from dxatlas.store.concept import (
    SCOPES,
    USER_PREFIX,
    Action,
    ConceptSource,
    ConceptState,
    Overlap,
    Revision,
    Synonym,
)
from dxatlas.store.curated import CuratedNames
from dxatlas.store.errors import ConceptConflict, UnknownConcept
from dxatlas.store.schema import (
    ID_LENGTH,
    NAME_LENGTH,
    ConceptRevisionRow,
    ConceptRow,
    ConceptSynonymRow,
    ConceptXrefRow,
)

AUTHOR_LENGTH: int = ConceptRevisionRow.__table__.c.author.type.length  # type: ignore[attr-defined]

# Search order among concepts that share a name: user concepts first, then imports.
_SOURCE_RANK = {ConceptSource.USER: 0, ConceptSource.LITERATURE: 1, ConceptSource.OBO: 2}


def synonym_order(synonym: Synonym) -> tuple[int, str, str]:
    """The canonical order of a concept's synonyms: exact ones first, then alphabetical."""
    return (SCOPES.index(synonym.scope), synonym.text.casefold(), synonym.text)


def state_of(row: ConceptRow) -> ConceptState:
    """The current state of a stored concept (synonyms and xrefs in canonical order)."""
    return ConceptState(
        id=row.id,
        name=row.name,
        source=row.source,
        parent_id=row.parent_id,
        description=row.description,
        hidden=row.hidden,
        synonyms=tuple(sorted((Synonym(s.text, s.scope) for s in row.synonyms), key=synonym_order)),
        xrefs=tuple(sorted(x.xref for x in row.xrefs)),
    )


def revision_of(row: ConceptRevisionRow) -> Revision:
    """A stored revision as a plain value."""
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return Revision(
        concept_id=row.concept_id,
        number=row.number,
        author=row.author,
        created_at=created,
        action=row.action,
        after=ConceptState.from_json(row.after),
        before=ConceptState.from_json(row.before) if row.before else None,
        reverted_to=row.reverted_to,
    )


def clean_name(name: str, what: str = "name") -> str:
    """A name with its whitespace tidied; raises `ConceptConflict` when it names nothing."""
    text = " ".join(name.split())
    if not normalize_name(text):
        raise ConceptConflict(f"the {what} {name!r} has no letters or digits")
    if len(text) > NAME_LENGTH:
        raise ConceptConflict(
            f"the {what} {text[:40]!r}... is longer than {NAME_LENGTH} characters"
        )
    return text


def clean_synonyms(synonyms: Iterable[Synonym | str], name: str) -> tuple[Synonym, ...]:
    """Synonyms tidied, de-duplicated and sorted (`synonym_order`); one equal to the name is dropped."""
    seen = {name}
    kept: list[Synonym] = []
    for synonym in synonyms:
        item = synonym if isinstance(synonym, Synonym) else Synonym(synonym)
        text = clean_name(item.text, "synonym")
        scope = item.scope.lower()
        if scope not in SCOPES:
            raise ConceptConflict(f"synonym scope {item.scope!r} is not one of {', '.join(SCOPES)}")
        if text not in seen:
            seen.add(text)
            kept.append(Synonym(text, scope))
    return tuple(sorted(kept, key=synonym_order))


def clean_xrefs(xrefs: Iterable[str]) -> tuple[str, ...]:
    """Cross-references as canonical prefixed ids, de-duplicated and sorted; a bad one is refused."""
    kept: list[str] = []
    for xref in xrefs:
        try:
            canonical = str(Curie.parse(xref))
        except CurieError as error:
            raise ConceptConflict(f"xref {error}") from None
        if canonical not in kept:
            kept.append(canonical)
    return tuple(sorted(kept))


# A user id's slug leaves room in the id column for the prefix and a `-NNNN` suffix.
_SLUG_LENGTH = ID_LENGTH - len(USER_PREFIX) - 1 - 5


def slug_of(name: str) -> str:
    """The id-safe form of a name: `Leukaemia cutis` -> `leukemia-cutis` (a long name's slug is
    cut at a word boundary, so the id fits every database's id column)."""
    slug = normalize_name(name).replace(" ", "-")
    if len(slug) > _SLUG_LENGTH:
        cut = slug[: _SLUG_LENGTH + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:_SLUG_LENGTH]
    return slug


def check_lengths(state: ConceptState, author: str) -> None:
    """Refuse what the columns cannot hold (PostgreSQL enforces lengths; SQLite would not), with
    the same one-line `ConceptConflict` on every back end: imported ids, xrefs, the author."""
    too_long = [
        (what, value, limit)
        for what, value, limit in (
            ("id", state.id, ID_LENGTH),
            *(("xref", xref, ID_LENGTH) for xref in state.xrefs),
            ("author", author, AUTHOR_LENGTH),
        )
        if len(value) > limit
    ]
    if too_long:
        what, value, limit = too_long[0]
        raise ConceptConflict(f"the {what} {value[:40]!r}... is longer than {limit} characters")


class ConceptBook:
    """Concept reads and writes on one session (see the module docstring)."""

    def __init__(self, session: Session, curated: CuratedNames | None = None) -> None:
        self.session = session
        self.curated = curated or CuratedNames()

    # -- reading ---------------------------------------------------------------------------

    def row(self, concept_id: str) -> ConceptRow | None:
        """The stored concept with this exact id."""
        return self.session.get(ConceptRow, concept_id)

    def get(self, concept_id: str) -> ConceptState:
        """The current state of a concept; raises `UnknownConcept`."""
        row = self.row(concept_id)
        if row is None:
            raise UnknownConcept(f"no concept has the id {concept_id!r}")
        return state_of(row)

    def find(self, name_or_id: str, *, synonyms: bool = True) -> ConceptState | None:
        """The concept with this id (or xref), else name, else (with `synonyms`) synonym;
        spelling-blind."""
        text = name_or_id.strip()
        for candidate in self._id_forms(text):
            row = self.row(candidate)
            if row is not None:
                return state_of(row)
        rows = self.named(text, synonyms=synonyms)
        if not rows and Curie.looks_like(text):
            query = (
                select(ConceptRow)
                .join(ConceptXrefRow)
                .where(ConceptXrefRow.xref.in_(self._id_forms(text)))
            )
            rows = list(self.session.scalars(query))
        return state_of(self._best(rows)) if rows else None

    def named(self, name: str, *, synonyms: bool = True) -> list[ConceptRow]:
        """Concepts whose name (else, with `synonyms`, a synonym) normalises like `name`."""
        key = normalize_name(name)
        if not key:
            return []
        rows = list(self.session.scalars(select(ConceptRow).where(ConceptRow.name_key == key)))
        if not rows and synonyms:
            query = (
                select(ConceptRow)
                .join(ConceptSynonymRow)
                .where(ConceptSynonymRow.key == key)
                .distinct()
            )
            rows = list(self.session.scalars(query))
        return rows

    def revisions(self, concept_id: str) -> list[Revision]:
        """Every revision of a concept, oldest first; raises `UnknownConcept`."""
        self.get(concept_id)
        query = (
            select(ConceptRevisionRow)
            .where(ConceptRevisionRow.concept_id == concept_id)
            .order_by(ConceptRevisionRow.number)
        )
        return [revision_of(row) for row in self.session.scalars(query)]

    def rebuild(self, concept_id: str) -> ConceptState:
        """The concept's state as its revision history gives it (equals `get` unless corrupted)."""
        revisions = self.revisions(concept_id)
        if not revisions:
            raise UnknownConcept(f"concept {concept_id} has no revisions")
        state = revisions[0].after
        for revision in revisions[1:]:
            if revision.before != state:
                raise ConceptConflict(
                    f"revision {revision.number} of {concept_id} does not follow from the one before"
                )
            state = revision.after
        return state

    # -- writing ---------------------------------------------------------------------------

    def add(
        self,
        name: str,
        *,
        synonyms: Iterable[Synonym | str] = (),
        parent: str | None = None,
        xrefs: Iterable[str] = (),
        description: str | None = None,
        author: str,
        source: str = ConceptSource.USER,
    ) -> tuple[ConceptState, int, tuple[Overlap, ...]]:
        """Add a user concept with a new `DXATLAS:<slug>` id; returns it, its revision, overlaps."""
        name = clean_name(name)
        self._refuse_taken_name(name, None)
        concept_id = self._new_id(name)
        state = ConceptState(
            id=concept_id,
            name=name,
            source=str(source),
            parent_id=self._parent_id(parent, concept_id) if parent else None,
            description=(description or "").strip() or None,
            synonyms=clean_synonyms(synonyms, name),
            xrefs=clean_xrefs(xrefs),
        )
        number = self._record(None, state, author, Action.CREATE)
        return state, number, self.overlaps(state)

    def edit(
        self,
        concept_id: str,
        *,
        author: str,
        name: str | None = None,
        synonyms: Iterable[Synonym | str] | None = None,
        parent: str | None = None,
        clear_parent: bool = False,
        xrefs: Iterable[str] | None = None,
        description: str | None = None,
        hidden: bool | None = None,
    ) -> tuple[ConceptState, int | None]:
        """Change the given fields; returns the new state and its revision (None: nothing changed)."""
        current = self.get(concept_id)
        new_name = clean_name(name) if name is not None else current.name
        if normalize_name(new_name) != normalize_name(current.name):
            self._refuse_taken_name(new_name, concept_id)
        parent_id = current.parent_id
        if clear_parent:
            parent_id = None
        elif parent is not None:
            parent_id = self._parent_id(parent, concept_id)
        state = replace(
            current,
            name=new_name,
            parent_id=parent_id,
            synonyms=clean_synonyms(current.synonyms if synonyms is None else synonyms, new_name),
            xrefs=current.xrefs if xrefs is None else clean_xrefs(xrefs),
            description=current.description
            if description is None
            else (description.strip() or None),
            hidden=current.hidden if hidden is None else hidden,
        )
        if state == current:
            return current, None
        return state, self._record(current, state, author, Action.EDIT)

    def revert(self, concept_id: str, number: int, author: str) -> tuple[ConceptState, int]:
        """Restore the state revision `number` left; appends a new revision (history is kept)."""
        current = self.get(concept_id)
        revisions = {revision.number: revision for revision in self.revisions(concept_id)}
        if number not in revisions:
            raise ConceptConflict(
                f"{concept_id} has no revision {number} (it has 1 to {max(revisions)})"
            )
        target = revisions[number].after
        if target == current:
            raise ConceptConflict(f"{concept_id} is already as revision {number} left it")
        if normalize_name(target.name) != normalize_name(current.name):
            self._refuse_taken_name(target.name, concept_id)
        return target, self._record(current, target, author, Action.REVERT, reverted_to=number)

    def put(self, state: ConceptState, author: str, action: str = Action.IMPORT) -> str:
        """Create or update a concept to exactly `state` (imports); 'added', 'updated' or 'unchanged'."""
        row = self.row(state.id)
        current = state_of(row) if row is not None else None
        if current == state:
            return "unchanged"
        self._record(current, state, author, action)
        return "added" if current is None else "updated"

    def overlaps(self, state: ConceptState) -> tuple[Overlap, ...]:
        """Names this concept shares with curated diseases and with other stored concepts."""
        found: list[Overlap] = []
        for text in state.names:
            for disease_id in self.curated.named(text):
                found.append(
                    Overlap(
                        state.id, disease_id, self.curated.names[disease_id], text, curated=True
                    )
                )
            for row in self.named(text):
                if row.id != state.id:
                    found.append(Overlap(state.id, row.id, row.name, text))
        return tuple(dict.fromkeys(found))

    # -- internals -------------------------------------------------------------------------

    def _record(
        self,
        before: ConceptState | None,
        after: ConceptState,
        author: str,
        action: str,
        reverted_to: int | None = None,
    ) -> int:
        """Write `after` to the concept's rows and append the revision; returns its number."""
        check_lengths(after, author)
        row = self.row(after.id)
        if row is None:
            row = ConceptRow(id=after.id)
            self.session.add(row)
        row.name = after.name
        row.name_key = normalize_name(after.name)
        row.source = str(after.source)
        row.parent_id = after.parent_id
        row.description = after.description
        row.hidden = after.hidden
        self._sync_synonyms(row, after.synonyms)
        self._sync_xrefs(row, after.xrefs)
        last = self.session.scalar(
            select(func.max(ConceptRevisionRow.number)).where(
                ConceptRevisionRow.concept_id == after.id
            )
        )
        number = (last or 0) + 1
        self.session.add(
            ConceptRevisionRow(
                concept_id=after.id,
                number=number,
                author=author,
                created_at=datetime.now(UTC),
                action=str(action),
                reverted_to=reverted_to,
                before=before.to_json() if before else None,
                after=after.to_json(),
            )
        )
        self.session.flush()
        return number

    @staticmethod
    def _sync_synonyms(row: ConceptRow, synonyms: tuple[Synonym, ...]) -> None:
        """Make the synonym rows match, keeping the rows that stay (texts are unique per concept)."""
        wanted = {s.text: s for s in synonyms}
        for existing in list(row.synonyms):
            if existing.text not in wanted:
                row.synonyms.remove(existing)
            else:
                existing.scope = wanted.pop(existing.text).scope
        for synonym in wanted.values():
            row.synonyms.append(
                ConceptSynonymRow(
                    text=synonym.text, key=normalize_name(synonym.text), scope=synonym.scope
                )
            )

    @staticmethod
    def _sync_xrefs(row: ConceptRow, xrefs: tuple[str, ...]) -> None:
        """Make the xref rows match, keeping the rows that stay."""
        wanted = dict.fromkeys(xrefs)
        for existing in list(row.xrefs):
            if existing.xref not in wanted:
                row.xrefs.remove(existing)
            else:
                del wanted[existing.xref]
        row.xrefs.extend(ConceptXrefRow(xref=xref) for xref in wanted)

    def _refuse_taken_name(self, name: str, concept_id: str | None) -> None:
        """Raise when another stored concept already has this name or synonym."""
        for row in self.named(name):
            if row.id != concept_id:
                raise ConceptConflict(
                    f"{name!r} already names concept {row.id} ({row.name}); "
                    "edit that one or choose another name"
                )

    def _new_id(self, name: str) -> str:
        """`DXATLAS:<slug>`, with `-2`, `-3`... when a concept (say, a renamed one) holds it."""
        base = f"{USER_PREFIX}:{slug_of(name)}"
        candidate, n = base, 1
        while self.row(candidate) is not None:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def _parent_id(self, parent: str, concept_id: str) -> str:
        """The id of an existing parent (stored concept or curated disease), refusing cycles."""
        text = parent.strip()
        found = next((form for form in self._id_forms(text) if form in self.curated), None)
        if found is None:
            state = self.find(text)
            if state is None:
                raise ConceptConflict(f"unknown parent {parent!r}: no concept has this id or name")
            found = state.id
        ancestor: str | None = found
        seen: set[str] = set()
        while ancestor is not None and ancestor not in seen:
            if ancestor == concept_id:
                raise ConceptConflict(f"{parent!r} cannot be the parent of {concept_id}: a cycle")
            seen.add(ancestor)
            row = self.row(ancestor)
            ancestor = row.parent_id if row is not None else None
        return found

    @staticmethod
    def _id_forms(text: str) -> list[str]:
        """The text as typed, and its canonical prefixed-id form when it is one."""
        forms = [text]
        try:
            canonical = str(Curie.parse(text))
        except CurieError:
            return forms
        if canonical != text:
            forms.append(canonical)
        return forms

    @staticmethod
    def _best(rows: list[ConceptRow]) -> ConceptRow:
        """Among concepts sharing a name: visible first, user concepts before imports, then by id."""
        return min(rows, key=lambda r: (r.hidden, _SOURCE_RANK.get(r.source, 9), r.id))


def load_all(session: Session) -> dict[str, ConceptRow]:
    """Every stored concept with its synonyms and xrefs, by id (for bulk imports)."""
    query = select(ConceptRow).options(
        selectinload(ConceptRow.synonyms), selectinload(ConceptRow.xrefs)
    )
    return {row.id: row for row in session.scalars(query)}
