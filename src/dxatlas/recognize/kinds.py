"""What kind of thing a concept is, and the curated data that says so (data/<lang>/*.json).

HPO terms under Phenotypic abnormality (HP:0000118) are findings; the other HPO branches (mode of
inheritance, onset, frequency, clinical modifiers) are modifiers, never findings. Tests,
procedures, drugs, organisms and body parts come from a small curated file so they are recognised
as such and never taken for symptoms.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from dxatlas.kb.ontology import PHENOTYPIC_ABNORMALITY, Ontology
from dxatlas.recognize.mention import Concept, Kind

OTHER_CATEGORIES = ("test", "procedure", "drug", "organism", "anatomy")


@dataclass(frozen=True, slots=True)
class CuratedConcept:
    """A concept of a curated data file with all its names."""

    concept: Concept
    names: tuple[str, ...]


def read_data(language: str, name: str) -> dict:
    """A JSON data file of the recogniser, e.g. `read_data("en", "context_rules.json")`."""
    path = resources.files("dxatlas.recognize").joinpath(f"data/{language}/{name}")
    return json.loads(path.read_text(encoding="utf-8"))


def hpo_kinds(ontology: Ontology) -> list[Kind]:
    """The kind of every HPO term: finding under HP:0000118, modifier elsewhere."""
    findings = ontology.under(PHENOTYPIC_ABNORMALITY)
    return [Kind.FINDING if flag else Kind.MODIFIER for flag in findings]


def slug(text: str) -> str:
    """`"Bone marrow biopsy"` -> `"bone-marrow-biopsy"`: the ids of the curated other concepts.

    Not for user concepts: those take the store's id, `DXATLAS:` + `dxatlas.store.concepts.slug_of`
    (which also folds accents and British spellings), wherever they are made.
    """
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


@lru_cache(maxsize=4)
def other_concepts(language: str = "en") -> tuple[CuratedConcept, ...]:
    """The curated tests, procedures, drugs, organisms and body parts, ids `<category>:<slug>`."""
    data = read_data(language, "other_concepts.json")
    found = []
    for category in OTHER_CATEGORIES:
        for name, synonyms in data.get(category, {}).items():
            concept = Concept(f"{category}:{slug(name)}", name, Kind.OTHER, category)
            found.append(CuratedConcept(concept, (name, *synonyms)))
    return tuple(found)


@lru_cache(maxsize=4)
def allowed_abbreviations(language: str = "en") -> dict[str, str]:
    """Short abbreviations recognised without a definition in the text: form -> concept id."""
    return dict(read_data(language, "abbreviations.json")["allowed"])
