"""The concept page's completeness: ids and synonyms, cited evidence, the sex and age charts of
its patients, and links to related concepts (same disease, parent and children, etiology)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dxatlas.evidence.extract import DocumentEvidence, EvidenceItem, Labelled, PatientItem, Target
from dxatlas.ingest.document import make_document
from dxatlas.ingest.sentences import split_sentences
from dxatlas.recognize.mention import Concept, Kind, Mention
from dxatlas.settings import Settings, get_settings
from dxatlas.store import Store
from tests.conftest import TOY_OBO, toy_hpoa_text

REPORT = (
    "A 5-year-old boy with the toy family disorder had seizures. "
    "Long-standing Seizure disorder A predisposes to the toy family disorder. "
    "His 34-year-old mother had the toy family disorder too. "
    "Treatment may include - Rest - Fluids - Pain relievers"
)
ETIOLOGY = "Long-standing Seizure disorder A predisposes to the toy family disorder."


def _seed(url: str) -> dict[str, str]:
    """A parent concept with a child, a concept naming a curated disease as its xref, one named
    like a curated disease, and a case report with an etiology sentence and two patients."""
    with Store.open(url) as store:
        family = store.add_concept("Toy family disorder", ["Toy clan <b>syndrome</b>"], author="t")
        parent = family.concept.id
        child = store.add_concept("Toy family disorder type 2", parent=parent, author="t")
        xref = store.add_concept("Anaemic toy disease", xrefs=["OMIM:100002"], author="t")
        same = store.add_concept("Mixed disorder C", author="t")
        document = make_document(REPORT, url="https://cases.example.org/report/1")
        sentences = split_sentences(document.text)
        start = document.text.index("Seizure disorder A")
        mention = Mention(
            start,
            start + len("Seizure disorder A"),
            "Seizure disorder A",
            Concept("OMIM:100001", "Seizure disorder A", Kind.DISEASE),
            sentence=1,
        )
        evidence = DocumentEvidence(
            targets=(Target(parent, "Toy family disorder"),),
            items=[
                EvidenceItem(parent, 1, "etiology", ETIOLOGY, (), 0.5),
                EvidenceItem(parent, 3, "treatment", sentences[3].text, (), 0.5),
                EvidenceItem(
                    parent,
                    0,
                    "presentation",
                    sentences[0].text,
                    (Labelled("HP:0001250", "Seizure"),),
                    0.6,
                ),
            ],
            patients=[
                PatientItem(parent, 0, 5.0, "male"),
                PatientItem(parent, 2, 34.0, "female"),
            ],
        )
        store.add_document_with_evidence(document, sentences, [mention], evidence)
    return {
        "parent": parent,
        "child": child.concept.id,
        "xref": xref.concept.id,
        "same": same.concept.id,
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """An app over the toy knowledge base and a store seeded by `_seed`."""
    from dxatlas.web import create_app

    root = tmp_path_factory.mktemp("concept-web")
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
        ids = _seed(database)
        with TestClient(create_app(Settings())) as client:
            yield client, ids
    get_settings.cache_clear()


def _related(page: dict[str, Any]) -> dict[str, list[str]]:
    return {group["relation"]: [item["id"] for item in group["items"]] for group in page["related"]}


def _links(html: str, relation: str) -> list[str]:
    block = re.search(rf'<ul data-relation="{relation}">(.*?)</ul>', html, re.S)
    assert block is not None, relation
    return re.findall(r'<a href="/concept/([^"]+)">', block.group(1))


def test_parent_page_links_children_and_etiology(site: tuple[TestClient, dict[str, str]]) -> None:
    client, ids = site
    page = client.get(f"/concept/{ids['parent']}.json").json()
    assert _related(page) == {"children": [ids["child"]], "etiology": ["OMIM:100001"]}
    assert page == client.get(f"/api/v1/concepts/{ids['parent']}").json()
    html = client.get(f"/concept/{ids['parent']}").text
    assert 'data-testid="related"' in html and "<h2>Related concepts</h2>" in html
    assert _links(html, "children") == [ids["child"].replace(":", "%3A")]
    assert _links(html, "etiology") == ["OMIM%3A100001"]
    # The etiology sentence cites its source and names the disease with a link to its page.
    assert ETIOLOGY in html
    assert '[<a href="https://cases.example.org/report/1" rel="nofollow noopener">' in html
    # Synonyms are text, never markup.
    assert "Also called: Toy clan &lt;b&gt;syndrome&lt;/b&gt;" in html


def test_child_links_its_parent(site: tuple[TestClient, dict[str, str]]) -> None:
    client, ids = site
    page = client.get(f"/concept/{ids['child']}.json").json()
    assert _related(page) == {"parent": [ids["parent"]]}


def test_same_disease_links_both_ways(site: tuple[TestClient, dict[str, str]]) -> None:
    client, ids = site
    curated = client.get("/concept/OMIM:100002.json").json()
    assert _related(curated) == {"same-disease": [ids["xref"]]}
    stored = client.get(f"/concept/{ids['xref']}.json").json()
    assert _related(stored) == {"same-disease": ["OMIM:100002"]}
    html = client.get(f"/concept/{ids['xref']}").text
    assert _links(html, "same-disease") == ["OMIM%3A100002"]
    # The xref is shown with a link to the source's own page.
    assert (
        '<a class="id" href="https://omim.org/entry/100002" rel="noopener">OMIM:100002</a>' in html
    )


def test_same_name_links_curated_and_stored(site: tuple[TestClient, dict[str, str]]) -> None:
    client, ids = site
    stored = client.get(f"/concept/{ids['same']}.json").json()
    assert _related(stored) == {"same-disease": ["OMIM:100003"]}
    curated = client.get("/concept/OMIM:100003.json").json()
    assert _related(curated) == {"same-name": [ids["same"]]}
    assert client.get("/concept/OMIM:100001.json").json()["related"] == []
    assert 'data-testid="related"' not in client.get("/concept/OMIM:100001").text


def test_patients_are_charted(site: tuple[TestClient, dict[str, str]]) -> None:
    client, ids = site
    page = client.get(f"/concept/{ids['parent']}.json").json()
    assert page["demographics"] == {
        "sex": {"male": 1, "female": 1},
        "ages_years": [5.0, 34.0],
        "patients": 2,
    }
    html = client.get(f"/concept/{ids['parent']}").text
    sex = re.search(r'<svg class="chart" id="sex-chart".*?</svg>', html, re.S)
    age = re.search(r'<svg class="chart" id="age-chart".*?</svg>', html, re.S)
    assert sex is not None and age is not None
    assert 'data-label="male" data-count="1"' in sex.group(0)
    assert 'data-label="female" data-count="1"' in sex.group(0)
    assert 'data-label="1 to 5" data-count="1"' in age.group(0)
    assert 'data-label="18 to 39" data-count="1"' in age.group(0)
    assert '<desc id="sex-chart-desc">Sex distribution: male 1 patient, female 1 patient' in html
    assert "<figcaption>Sex distribution</figcaption>" in html


def test_a_page_without_patients_says_so(site: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = site
    html = client.get("/concept/OMIM:100002").text
    assert 'id="sex-chart"' not in html
    assert "No patients described in case reports yet" in html
    # Header: the id links to OMIM, the curated findings cite PubMed, the sections are listed.
    assert '<a class="id" href="https://omim.org/entry/100002" rel="noopener">' in html
    assert 'data-testid="curated-findings"' in html
    assert '<nav class="toc" aria-label="Sections">' in html
    assert 'data-testid="questions-hook"' in html


def test_a_list_written_on_one_line_shows_as_a_list(
    site: tuple[TestClient, dict[str, str]],
) -> None:
    """Health pages flatten their bullets ("Treatment may include - Rest - Fluids"): the page
    shows the lead-in with the items under it; the JSON keeps the text and adds both parts."""
    client, ids = site
    html = client.get(f"/concept/{ids['parent']}").text
    assert re.search(
        r"Treatment may include.*?<ul class=\"inline-list\"><li>Rest</li><li>Fluids</li>"
        r"<li>Pain relievers</li></ul>",
        html,
        re.DOTALL,
    )
    page = client.get(f"/concept/{ids['parent']}.json").json()
    (item,) = [e for s in page["sections"] if s["key"] == "treatment" for e in s["evidence"]]
    assert item["text"] == "Treatment may include - Rest - Fluids - Pain relievers"
    assert (item["lead"], item["items"]) == (
        "Treatment may include",
        ["Rest", "Fluids", "Pain relievers"],
    )
