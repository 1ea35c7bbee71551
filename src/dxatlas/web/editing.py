"""The editor tools' work, shared by their pages and their JSON API: edit and revert stored
concepts, read their history, hide and restore evidence, and word follow-up questions.

Every refusal is a `WebError` with its status: 404 unknown concept, evidence or finding; 409 a
curated disease (its names come from the knowledge base), a change made meanwhile by someone
else, a name another concept has, or nothing to revert; 422 input that cannot be stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from dxatlas.store.accounts import User
from dxatlas.store.community_base import CommunityError
from dxatlas.store.concept import ConceptChange, ConceptState, Revision, Synonym
from dxatlas.store.concepts import clean_name, clean_synonyms
from dxatlas.store.errors import ConceptConflict, UnknownConcept
from dxatlas.store.evidence_actions import EvidenceAction, EvidenceActions, HiddenEvidence
from dxatlas.store.wording import QuestionWording, Wording, WordingRevision
from dxatlas.web.auth import get_community
from dxatlas.web.community import concept_names, web_error
from dxatlas.web.concept_diff import revision_json
from dxatlas.web.engine import WebEngine, WebError

DESCRIPTION_MAX_CHARS = 20_000


def curated_refusal(concept_id: str) -> WebError:
    return WebError(
        409,
        f"{concept_id} is a curated disease of the knowledge base: its name and synonyms come "
        "from the HPO annotations and cannot be edited here (hide its evidence sentences on its "
        "page instead)",
    )


def stored_concept(engine: WebEngine, concept_id: str) -> ConceptState:
    """The stored concept an editor may change (409 for a curated disease, else 404)."""
    wanted = concept_id.strip()
    with engine.store() as store:
        try:
            return store.concept(wanted)
        except UnknownConcept:
            pass
    if wanted in engine.kb.disease_index:
        raise curated_refusal(wanted)
    raise WebError(404, f"no concept has the id {wanted!r}")


def concept_label(engine: WebEngine, concept_id: str) -> str:
    """The name of a concept page's concept (a stored concept or a curated disease), else 404."""
    name = concept_names(engine, [concept_id]).get(concept_id)
    if name is None:
        raise WebError(404, f"no concept has the id {concept_id!r}")
    return name


def revisions(engine: WebEngine, concept_id: str) -> list[Revision]:
    """A stored concept's revisions, oldest first (none for a curated disease; else 404)."""
    with engine.store() as store:
        try:
            return store.revisions(concept_id)
        except UnknownConcept:
            pass
    if concept_id in engine.kb.disease_index:
        return []
    raise WebError(404, f"no concept has the id {concept_id!r}")


def synonyms_from_lines(text: str) -> list[str]:
    """The synonyms box of the edit form: one synonym per line (blank lines ignored)."""
    return [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]


def edit_concept(
    engine: WebEngine,
    concept_id: str,
    author: User,
    *,
    name: str | None = None,
    synonyms: Iterable[str] | None = None,
    description: str | None = None,
    base_revision: int | None = None,
) -> ConceptChange | None:
    """Change a stored concept's name, synonyms or description (None: left as is); one new
    revision, or None when nothing changed. A synonym kept keeps its scope; a new one is exact.
    `base_revision`: the revision the editor's form showed; a later one is a 409."""
    current = stored_concept(engine, concept_id)
    wanted_synonyms: list[Synonym] | None = None
    try:
        new_name = clean_name(name) if name is not None else current.name
        if synonyms is not None:
            scopes = {s.text: s.scope for s in current.synonyms}
            wanted_synonyms = list(
                clean_synonyms(
                    [
                        Synonym(text, scopes.get(" ".join(text.split()), "exact"))
                        for text in synonyms
                    ],
                    new_name,
                )
            )
    except ConceptConflict as error:
        raise WebError(422, str(error)) from None
    if description is not None and len(description) > DESCRIPTION_MAX_CHARS:
        raise WebError(413, f"the description is longer than {DESCRIPTION_MAX_CHARS:,} characters")
    with engine.store() as store:
        if base_revision is not None:
            latest = store.revisions(current.id)[-1]
            if latest.number != base_revision:
                raise WebError(
                    409,
                    f"{current.id} was changed meanwhile (revision {latest.number} by "
                    f"{latest.author}); reload the form and make your change again",
                )
        try:
            change = store.edit_concept(
                current.id,
                author=author.name,
                name=new_name,
                synonyms=wanted_synonyms,
                description=description,
            )
        except ConceptConflict as error:
            raise WebError(409, str(error)) from None
    names_changed(engine)
    return change


def revert_concept(engine: WebEngine, concept_id: str, number: int, author: User) -> ConceptChange:
    """Restore the state revision `number` left, as a new revision (404 no such revision, 409
    when the concept is already so)."""
    current = stored_concept(engine, concept_id)
    with engine.store() as store:
        known = [revision.number for revision in store.revisions(current.id)]
        if number not in known:
            raise WebError(404, f"{current.id} has no revision {number} (it has 1 to {max(known)})")
        try:
            change = store.revert(current.id, number, author.name)
        except ConceptConflict as error:
            raise WebError(409, str(error)) from None
    names_changed(engine)
    return change


def names_changed(engine: WebEngine) -> None:
    """After an edit: this app's snapshot of stored names is re-read at the next request, so its
    search and related links show the change at once (other workers within the snapshot's TTL)."""
    from dxatlas.web.directory import directory_for

    directory_for(engine).forget()


def change_json(change: ConceptChange | None, state: ConceptState) -> dict[str, Any]:
    """The answer of an edit or revert: the concept, the new revision (null: nothing changed)."""
    return {
        "concept": (change.concept if change else state).to_json(),
        "revision": change.revision if change else None,
        "overlaps": [o.describe() for o in change.overlaps] if change else [],
    }


# --- evidence --------------------------------------------------------------------------------


def evidence_actions(request: Request) -> EvidenceActions:
    return EvidenceActions(get_community(request).transaction)


def hide_evidence(request: Request, evidence_id: int, reason: str, user: User) -> EvidenceAction:
    try:
        return evidence_actions(request).hide(evidence_id, reason, user.name)
    except CommunityError as error:
        raise web_error(error) from None


def restore_evidence(request: Request, evidence_id: int, reason: str, user: User) -> EvidenceAction:
    try:
        return evidence_actions(request).restore(evidence_id, reason, user.name)
    except CommunityError as error:
        raise web_error(error) from None


def history_json(engine: WebEngine, request: Request, concept_id: str) -> dict[str, Any]:
    """A concept's revisions (newest first, each with its diff) and its evidence actions."""
    found = revisions(engine, concept_id)
    return {
        "concept_id": concept_id,
        "revisions": [revision_json(revision) for revision in reversed(found)],
        "evidence_actions": [
            action.to_json() for action in reversed(evidence_actions(request).history(concept_id))
        ],
    }


def hidden_evidence(request: Request, concept_id: str) -> list[HiddenEvidence]:
    """The hidden sentences of a concept (the concept page shows them to editors)."""
    return evidence_actions(request).hidden(concept_id)


# --- question wording -------------------------------------------------------------------------


def question_wording(request: Request) -> QuestionWording:
    return QuestionWording(get_community(request).transaction)


@dataclass(frozen=True, slots=True)
class FindingWording:
    """A finding's follow-up question: the default wording, an editor's, and its history."""

    hpo_id: str
    label: str
    plain: str
    default: str
    override: Wording | None
    history: tuple[WordingRevision, ...]

    @property
    def text(self) -> str:
        """What the checker asks."""
        return self.override.text if self.override else self.default

    def to_json(self) -> dict[str, Any]:
        return {
            "hpo_id": self.hpo_id,
            "label": self.label,
            "default": self.default,
            "override": self.override.text if self.override else None,
            "text": self.text,
            "updated_by": self.override.updated_by if self.override else None,
            "updated_at": self.override.updated_at.isoformat() if self.override else None,
            "history": [revision.to_json() for revision in reversed(self.history)],
        }


def askable_term(engine: WebEngine, hpo_id: str) -> int:
    """The term index of a finding the checker may ask about (404 unknown id, 422 a term outside
    Phenotypic abnormality)."""
    from dxatlas.kb.ontology import PHENOTYPIC_ABNORMALITY

    onto = engine.kb.ontology
    term = onto.resolve(hpo_id.strip().upper())
    if term is None:
        raise WebError(404, f"no HPO finding has the id {hpo_id.strip()[:40]!r}")
    root = onto.index.get(PHENOTYPIC_ABNORMALITY)
    if root is None or root not in onto.ancestors_of(term).tolist():
        raise WebError(
            422, f"{onto.ids[term]} ({onto.labels[term]}) is not a finding the checker asks about"
        )
    return term


def finding_wording(engine: WebEngine, request: Request, hpo_id: str) -> FindingWording:
    from dxatlas.rank.questions import plain_phrase, question_text

    onto = engine.kb.ontology
    term = askable_term(engine, hpo_id)
    term_id = onto.ids[term]
    store = question_wording(request)
    return FindingWording(
        hpo_id=term_id,
        label=onto.labels[term],
        plain=plain_phrase(onto, term),
        default=question_text(onto, term),
        override=store.get(term_id),
        history=tuple(store.history(term_id)),
    )


def set_wording(
    engine: WebEngine, request: Request, hpo_id: str, text: str | None, user: User
) -> FindingWording:
    """Word the question about a finding (None or blank: back to the default)."""
    term = askable_term(engine, hpo_id)
    term_id = engine.kb.ontology.ids[term]
    try:
        question_wording(request).set(term_id, text, user.name)
    except CommunityError as error:
        raise web_error(error) from None
    return finding_wording(engine, request, term_id)
