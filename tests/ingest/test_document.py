"""Documents: stable content hash and id, origin with registered domain, sections."""

from __future__ import annotations

import dataclasses

import pytest

from dxatlas.ingest.document import Origin, content_hash, join_sections, make_document
from dxatlas.ingest.origin import registered_domain


def test_same_content_gives_same_hash_and_id() -> None:
    first = make_document("A rash.\nIt itches.", path="/a.txt")
    second = make_document("A rash. It  itches.\n", path="/b.txt")
    assert first.content_hash == second.content_hash
    assert first.id == second.id == f"sha256:{first.content_hash[:16]}"
    assert make_document("Another text.").id != first.id


def test_source_id_wins_and_document_is_frozen() -> None:
    document = make_document("Text.", source_id="PMID:1", title="  Title ", date="2020-01-02")
    assert document.id == "PMID:1"
    assert document.title == "Title"
    with pytest.raises(dataclasses.FrozenInstanceError):
        document.title = "changed"  # type: ignore[misc]


def test_hash_is_sha256_of_normalised_text() -> None:
    import hashlib

    assert content_hash(" a\n b ") == hashlib.sha256(b"a b").hexdigest()
    assert content_hash("cafe\u0301") == content_hash("caf\u00e9")  # NFC


@pytest.mark.parametrize(
    ("url", "host", "domain"),
    [
        ("https://www.ncbi.nlm.nih.gov/pubmed/1", "ncbi.nlm.nih.gov", "nih.gov"),
        ("https://medlineplus.gov/ency/article/1.htm", "medlineplus.gov", "medlineplus.gov"),
        ("http://news.bbc.co.uk/health", "news.bbc.co.uk", "bbc.co.uk"),
        ("http://127.0.0.1:8080/page", "127.0.0.1", "127.0.0.1"),
    ],
)
def test_origin_host_and_registered_domain(url: str, host: str, domain: str) -> None:
    origin = Origin.of(url, "/tmp/x.html")
    assert (origin.url, origin.host, origin.domain, origin.path) == (
        url,
        host,
        domain,
        "/tmp/x.html",
    )


def test_origin_without_url() -> None:
    assert Origin.of(None, "/x.txt") == Origin(path="/x.txt")
    assert registered_domain("not a url") is None


def test_sections_index_into_the_text() -> None:
    text, sections = join_sections(
        [
            ("information", "What it is.", "What is X ?"),
            ("symptoms", "  ", None),
            ("symptoms", "Fever.\n\n\n\nCough.", "What are the symptoms ?"),
        ]
    )
    assert text == "What it is.\n\nFever.\n\nCough."
    assert [s.kind for s in sections] == ["information", "symptoms"]
    for section in sections:
        assert text[section.start : section.end] == section.text
    document = make_document(text, sections=sections)
    assert document.section_at(text.index("Cough")).kind == "symptoms"
    assert document.section_at(0).heading == "What is X ?"
