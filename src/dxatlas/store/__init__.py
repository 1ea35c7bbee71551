"""The evidence store: documents, sentences, mentions, evidence and user concepts in SQL.

`Store` is the one interface (SQLite by default, PostgreSQL later, with the same schema and
migrations); `Store.open(get_settings().database_url)` opens the one the settings name.
"""

from __future__ import annotations

from dxatlas.store.concept import ConceptChange, ConceptState, Overlap, Revision, Synonym
from dxatlas.store.curated import CuratedNames
from dxatlas.store.documents import IngestOutcome
from dxatlas.store.errors import (
    ConceptConflict,
    DatabaseUnavailable,
    OntologyFileError,
    StoreError,
    UnknownConcept,
)
from dxatlas.store.evidence import EvidenceSource, Finding
from dxatlas.store.fulltext import SearchHit
from dxatlas.store.ontology_import import ImportReport
from dxatlas.store.store import Store, StoreStats

__all__ = [
    "ConceptChange",
    "ConceptConflict",
    "ConceptState",
    "CuratedNames",
    "DatabaseUnavailable",
    "EvidenceSource",
    "Finding",
    "ImportReport",
    "IngestOutcome",
    "OntologyFileError",
    "Overlap",
    "Revision",
    "SearchHit",
    "Store",
    "StoreError",
    "StoreStats",
    "Synonym",
    "UnknownConcept",
]
