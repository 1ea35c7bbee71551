"""One test per bug the fuzzing found, with the shrunk input hypothesis reported (see
docs/benchmarks.md, "Fuzzing"): each was a crash or broken output where the contract is a clean
one-line error or well-formed HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dxatlas.ingest.errors import LoadError
from dxatlas.ingest.loaders.html import document_from_html
from dxatlas.ingest.loaders.jsonl import JsonlLoader
from dxatlas.ingest.pipeline import load_files
from dxatlas.ingest.pubmed_records import xml_documents
from dxatlas.ingest.registry import default_registry
from dxatlas.rank.phenopacket import PhenopacketError, read_phenopacket
from dxatlas.web.markdown import render_markdown


def test_html_that_trips_trafilatura_is_a_load_error() -> None:
    """htmldate (under trafilatura) asserted on an `<html>` inside an `<iframe>`."""
    with pytest.raises(LoadError, match="unreadable HTML page"):
        document_from_html("<iframe><html></html></iframe>")


def test_pubmed_article_without_citation_is_skipped() -> None:
    """A `PubmedArticle` without `MedlineCitation` raised KeyError; it now gives no document,
    and the articles beside it are still read."""
    good = (
        "<PubmedArticle><MedlineCitation><PMID>7</PMID><Article><ArticleTitle>Fever in a toy "
        "syndrome</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
    )
    xml = (
        '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet SYSTEM "pubmed_240101.dtd">'
        f"<PubmedArticleSet><PubmedArticle></PubmedArticle>{good}</PubmedArticleSet>"
    )
    assert [document.id for document in xml_documents(xml.encode())] == ["PMID:7"]


def test_medline_continuation_after_a_blank_line_is_one_problem(tmp_path: Path) -> None:
    """Bio.Medline raised KeyError('PMID') on a continuation line after a blank line."""
    path = tmp_path / "export.txt"
    path.write_text("PMID- 123\n\n      stray continuation\n", encoding="utf-8")
    [problem] = load_files([path], default_registry(), 1_000_000)
    assert problem.source == str(path)
    assert problem.reason.startswith("malformed MEDLINE text")


def test_deeply_nested_jsonl_line_is_a_record_problem(tmp_path: Path) -> None:
    """A line nested 2,000 deep raised RecursionError out of the loader."""
    path = tmp_path / "docs.jsonl"
    good = json.dumps({"id": "a", "text": "Fever and seizures."})
    path.write_text(f"{good}\n{'[' * 2000}{']' * 2000}\n", encoding="utf-8")
    outcomes = list(load_files([path], default_registry(), 1_000_000))
    assert outcomes[0].id == "a"
    assert outcomes[1].source == f"{path}:2"
    assert outcomes[1].reason == "invalid JSON (nested too deeply)"


def test_jsonl_focus_that_is_not_text_is_a_record_problem(tmp_path: Path) -> None:
    """A MedQuAD-style record whose "focus" was a number raised AttributeError (`5.strip()`)."""
    path = tmp_path / "medquad.jsonl"
    record = {"sections": [{"qtype": "symptoms", "text": "Fever."}], "focus": 5}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        list(JsonlLoader().load(path))
    assert raised.value.problems == [("1", '"focus" must be a string')]  # type: ignore[attr-defined]


def test_phenopacket_with_an_unknown_sex_number_is_a_phenopacket_error() -> None:
    """proto3 keeps an enum number it does not know; `Sex.Name(17)` raised a bare ValueError."""
    text = json.dumps(
        {"phenotypicFeatures": [{"type": {"id": "HP:0001250"}}], "subject": {"sex": 17}}
    )
    with pytest.raises(PhenopacketError, match=r"^case\.json has an unknown subject sex 17$"):
        read_phenopacket(text, "case.json")


def test_markdown_never_nests_em_across_strong() -> None:
    """`**_**_` rendered `<strong><em></strong></em>`; underscores that would cross a bold
    element now stay underscores."""
    assert str(render_markdown("**_**_")) == "<p><strong>_</strong>_</p>"
    assert str(render_markdown("_a **b** c_")) == "<p><em>a <strong>b</strong> c</em></p>"
