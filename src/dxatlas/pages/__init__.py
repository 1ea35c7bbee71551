"""Concept pages: one page per disease, made of cited evidence (see docs and the design note)."""
