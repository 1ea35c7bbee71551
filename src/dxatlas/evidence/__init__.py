"""Evidence: single sentences taken from documents, and the page section each one belongs to."""

from dxatlas.evidence.sections import Classification, SectionClassifier, classify_sentence

__all__ = ["Classification", "SectionClassifier", "classify_sentence"]
