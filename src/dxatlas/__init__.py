"""dxatlas: a medical knowledge engine (knowledge base, evidence, concept pages, symptom checker)."""

__version__ = "0.1.0"
