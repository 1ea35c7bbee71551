"""Concept recognition: findings, diseases, user concepts, tests and drugs in text, with assertion.

annotator = Annotator.from_kb(kb, settings.cache_dir)
annotator.add_concept("USER:leukemia-cutis", "Leukemia cutis", ["cutaneous leukemia"])
for mention in annotator.annotate(text).mentions:
    print(mention.id, mention.label, mention.kind, mention.assertion)
"""

from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.lexicon import Lexicon
from dxatlas.recognize.mention import Annotation, Assertion, Concept, Kind, Mention

__all__ = ["Annotation", "Annotator", "Assertion", "Concept", "Kind", "Lexicon", "Mention"]
