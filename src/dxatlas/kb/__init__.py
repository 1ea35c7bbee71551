"""The knowledge base: HPO terms, curated disease annotations, name lookup, and their on-disk index."""

from dxatlas.kb.curie import Curie, CurieError
from dxatlas.kb.knowledge import KnowledgeBase

__all__ = ["Curie", "CurieError", "KnowledgeBase"]
