"""One web app over the toy knowledge base (and a store with one user concept), per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from dxatlas.ingest.document import make_document
from dxatlas.ingest.sentences import split_sentences
from dxatlas.settings import Settings, get_settings
from dxatlas.store import EvidenceSource, Finding, Store
from tests.conftest import TOY_OBO, toy_hpoa_text

EVIDENCE = "Seizures were the first sign of this toy syndrome."


def _seed_store(url: str) -> str:
    """A user concept with one presentation sentence, read from a web page."""
    with Store.open(url) as store:
        concept = store.add_concept("Toy syndrome", ["Pretend disorder"], author="test").concept.id
        document = make_document(EVIDENCE, url="https://example.org/toy")
        document_id = store.add_document(document, split_sentences(document.text)).document_id
        store.add_evidence(
            concept,
            "presentation",
            EVIDENCE,
            [EvidenceSource(document_id)],
            [Finding("HP:0001250", "Seizure")],
            score=0.5,
        )
    return concept


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client of an app whose settings point at the toy HPO files, a temp cache and store."""
    from dxatlas.web import create_app

    root = tmp_path_factory.mktemp("web")
    hpo = root / "hpo"
    hpo.mkdir()
    (hpo / "hp.obo").write_text(TOY_OBO)
    (hpo / "phenotype.hpoa").write_text(toy_hpoa_text())
    database = f"sqlite:///{root / 'store.db'}"
    env = {
        "DXATLAS_HPO_DATA_DIR": str(hpo),
        "DXATLAS_CACHE_DIR": str(root / "cache"),
        "DXATLAS_DATA_DIR": str(root / "data"),
        "DXATLAS_DATABASE_URL": database,
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        get_settings.cache_clear()
        concept_id = _seed_store(database)
        settings = Settings()
        with TestClient(create_app(settings)) as client:
            client.concept_id = concept_id  # type: ignore[attr-defined]
            yield client
    get_settings.cache_clear()


@pytest.fixture
def concept_id(web: TestClient) -> str:
    return web.concept_id  # type: ignore[attr-defined]
