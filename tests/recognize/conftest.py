"""Fixtures for the recognition tests: a tiny knowledge base written here, and the real one."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxatlas.kb.index import build_knowledge_base
from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.kb.source import HpoDataFiles
from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.lexicon import Lexicon, load_or_build

# (id, name, parents, synonyms as (text, scope, type))
TERMS = [
    ("HP:0000001", "All", [], []),
    ("HP:0000118", "Phenotypic abnormality", ["HP:0000001"], []),
    ("HP:0000005", "Mode of inheritance", ["HP:0000001"], []),
    (
        "HP:0000006",
        "Autosomal dominant inheritance",
        ["HP:0000005"],
        [("Autosomal dominant", "EXACT", None)],
    ),
    (
        "HP:0001945",
        "Fever",
        ["HP:0000118"],
        [("Pyrexia", "EXACT", None), ("Body heat", "BROAD", "layperson")],
    ),
    ("HP:0001250", "Seizure", ["HP:0000118"], [("Seizures", "EXACT", "plural_form")]),
    ("HP:0200034", "Papule", ["HP:0000118"], []),
    ("HP:0001903", "Anemia", ["HP:0000118"], [("Anaemia", "EXACT", "uk_spelling")]),
    ("HP:0001875", "Neutropenia", ["HP:0000118"], []),
    ("HP:0002027", "Abdominal pain", ["HP:0000118"], [("Stomach ache", "EXACT", "layperson")]),
    ("HP:0001824", "Weight loss", ["HP:0000118"], []),
    ("HP:0001909", "Leukemia", ["HP:0000118"], [("Leukaemia", "EXACT", "uk_spelling")]),
    ("HP:0100021", "Cerebral palsy", ["HP:0000118"], [("CP", "EXACT", "abbreviation")]),
    ("HP:0002020", "Gastroesophageal reflux", ["HP:0000118"], [("GERD", "EXACT", "abbreviation")]),
    ("HP:0001156", "Brachydactyly", ["HP:0000118"], []),
    ("HP:0002079", "Hypoplasia of the corpus callosum", ["HP:0000118"], []),
    ("HP:0000175", "Cleft palate", ["HP:0000118"], []),
    ("HP:0410030", "Cleft lip", ["HP:0000118"], []),
    ("HP:0000252", "Microcephaly", ["HP:0000118"], []),
    (
        "HP:0012758",
        "Neurodevelopmental delay",
        ["HP:0000118"],
        [("Tonic-clonic seizures", "NARROW", None)],
    ),
]

DISEASES = [
    ("OMIM:151400", "Leukemia, chronic lymphocytic", "HP:0001909"),
    ("OMIM:112500", "Brachydactyly, type A1", "HP:0001156"),
    ("OMIM:100100", "Toy fever syndrome", "HP:0001945"),
]


def write_toy_data(folder: Path) -> HpoDataFiles:
    """Write a ~20-term hp.obo and a matching phenotype.hpoa into `folder`."""
    stanzas = ["format-version: 1.2", "data-version: hp/releases/2025-01-01", ""]
    for term_id, name, parents, synonyms in TERMS:
        stanzas += ["[Term]", f"id: {term_id}", f"name: {name}"]
        for text, scope, kind in synonyms:
            stanzas.append(f'synonym: "{text}" {scope}' + (f" {kind}" if kind else "") + " []")
        stanzas += [f"is_a: {parent}" for parent in parents]
        stanzas.append("")
    obo = folder / "hp.obo"
    obo.write_text("\n".join(stanzas), encoding="utf-8")
    lines = ["#version: 2025-01-01"]
    header = "database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration"
    lines.append(header)
    for disease_id, name, term in DISEASES:
        lines.append(f"{disease_id}\t{name}\t\t{term}\tPMID:1\tPCS\t\t\t\t\tP\tHPO:test")
    hpoa = folder / "phenotype.hpoa"
    hpoa.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return HpoDataFiles(obo=obo, hpoa=hpoa)


@pytest.fixture(scope="session")
def tiny_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return build_knowledge_base(write_toy_data(tmp_path_factory.mktemp("toy-hpo")))


@pytest.fixture
def tiny_annotator(tiny_kb: KnowledgeBase) -> Annotator:
    """A fresh annotator over the tiny KB (fresh: tests add user concepts to it)."""
    return Annotator(Lexicon.build(tiny_kb))


@pytest.fixture(scope="session")
def real_lexicon(real_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Lexicon:
    """The lexicon of the real knowledge base (`real_kb` comes from tests/conftest.py)."""
    return load_or_build(real_kb, tmp_path_factory.mktemp("lexicon-cache"))


@pytest.fixture
def real_annotator(real_lexicon: Lexicon) -> Annotator:
    """An annotator over the real lexicon (user concepts added by a test stay in the lexicon)."""
    return Annotator(real_lexicon)
