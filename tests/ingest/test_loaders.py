"""Each loader on files made in tmp_path, and the pipeline's skip/fail reporting."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from dxatlas.ingest.document import Document
from dxatlas.ingest.pipeline import load_files
from dxatlas.ingest.registry import HEAD_BYTES, default_registry
from dxatlas.ingest.report import IngestReport, Problem

LIMIT = 100_000

PUBMED_XML = """<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2099//EN" \
"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_990101.dtd">
<PubmedArticleSet>
<PubmedArticle>
<MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">{pmid}</PMID>
<Article PubModel="Print">
<Journal><Title>Journal of Invented Cases</Title>
<JournalIssue><PubDate><Year>2021</Year><Month>Mar</Month><Day>4</Day></PubDate></JournalIssue>
</Journal>
<ArticleTitle>Firm <i>violet</i> nodules in a toddler.</ArticleTitle>
<Abstract>
<AbstractText Label="BACKGROUND">Skin nodules can reveal leukemia.</AbstractText>
<AbstractText Label="RESULTS">The child had fever and pallor.</AbstractText>
</Abstract>
<Language>eng</Language>
</Article>
<MeshHeadingList><MeshHeading><DescriptorName UI="D1">Skin</DescriptorName></MeshHeading>
</MeshHeadingList>
</MedlineCitation>
<PubmedData><ArticleIdList><ArticleId IdType="pubmed">{pmid}</ArticleId>
<ArticleId IdType="doi">10.1000/invented.{pmid}</ArticleId></ArticleIdList></PubmedData>
</PubmedArticle>
</PubmedArticleSet>
"""

MEDLINE_TEXT = """PMID- 30000001
TI  - An invented report of a rash that
      spread to the hands.
AB  - A boy had a rash. It faded in a week.
DP  - 2019 Oct 12
JT  - Invented Journal
MH  - Exanthema
LID - 10.1000/invented.1 [doi]

PMID- 30000002
TI  - A second invented title.
DP  - 2018
"""


def load(*paths: Path, limit: int = LIMIT) -> tuple[list[Document], list[Problem]]:
    documents, problems = [], []
    for outcome in load_files(paths, default_registry(), limit):
        (problems if isinstance(outcome, Problem) else documents).append(outcome)
    return documents, problems


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_plain_text(tmp_path: Path) -> None:
    path = write(tmp_path, "note.txt", "Skin nodules\n\nA firm nodule grew on the arm.")
    (document,), problems = load(path)
    assert not problems
    assert document.title == "Skin nodules"
    assert document.text.endswith("grew on the arm.")
    assert document.path == str(path)
    assert document.metadata["format"] == "text"


def test_latin1_text_is_read_as_windows_1252(tmp_path: Path) -> None:
    path = write(
        tmp_path, "old.txt", "Fi\u00e8vre et \u00e9ruption cutan\u00e9e.".encode("latin-1")
    )
    (document,), _ = load(path)
    assert document.text == "Fi\u00e8vre et \u00e9ruption cutan\u00e9e."
    assert document.metadata["encoding"] == "cp1252"


def test_undecodable_text_fails_with_reason(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.txt", b"Fever \x81\x8d and rash " * 3)
    documents, (problem,) = load(path)
    assert not documents
    assert problem.kind == "failed"
    assert problem.source == str(path)
    assert "not UTF-8" in problem.reason


def test_binary_empty_and_oversized_files_are_skipped(tmp_path: Path) -> None:
    binary = write(tmp_path, "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    empty = write(tmp_path, "empty.txt", b"")
    blank = write(tmp_path, "blank.txt", "  \n\n ")
    large = write(tmp_path, "large.txt", "Fever. " * 100)
    documents, problems = load(binary, empty, blank, large, limit=500)
    assert not documents
    reasons = {Path(p.source).name: (p.kind, p.reason) for p in problems}
    assert reasons["image.png"] == ("skipped", "binary or unsupported file format")
    assert reasons["empty.txt"] == ("skipped", "empty file")
    assert reasons["blank.txt"][0] == "skipped"
    assert reasons["large.txt"][0] == "skipped"
    assert "size limit of 500" in reasons["large.txt"][1]


def test_html_main_text_title_url_and_date(tmp_path: Path) -> None:
    html = """<!DOCTYPE html><html><head><title>Hand rash - Invented Clinic</title>
    <link rel="canonical" href="https://www.clinic.example.org/rash/hands">
    <meta property="article:published_time" content="2023-04-05"></head><body>
    <nav><ul><li><a href="/">Home</a></li><li><a href="/shop">Shop our store</a></li></ul></nav>
    <article><h1>Hand rash</h1>
    <p>A rash on the hands is often caused by contact with soaps, metals or plants. It usually
    clears within two weeks once the trigger is avoided and the skin is kept moist.</p>
    <p>See a doctor when the rash blisters, spreads quickly or comes with a fever, because an
    infection may need treatment.</p></article>
    <footer>Copyright Invented Clinic. Cookie settings. Terms of use.</footer></body></html>"""
    path = write(tmp_path, "page.html", html)
    (document,), problems = load(path)
    assert not problems
    assert document.title == "Hand rash"
    assert document.origin.url == "https://www.clinic.example.org/rash/hands"
    assert document.origin.domain == "example.org"
    assert document.date == "2023-04-05"
    assert "contact with soaps" in document.text
    assert "Shop our store" not in document.text
    assert "Cookie settings" not in document.text


def test_html_without_main_text_fails(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "nav.html",
        "<html><head><title>T</title></head><body><script>x=1</script></body></html>",
    )
    _, (problem,) = load(path)
    assert problem.kind == "failed" and "no main text" in problem.reason


def test_pdf_text_with_broken_lines_joined(
    tmp_path: Path, make_pdf: Callable[[list[str]], bytes]
) -> None:
    lines = [
        "Case report",
        "A girl of three had violet nodules that were exam-",
        "ined by a dermatologist and a biopsy was",
        "done. Blasts were seen [2].",
    ]
    path = write(tmp_path, "case.pdf", make_pdf(lines))
    (document,), problems = load(path)
    assert not problems
    assert document.text == (
        "Case report\nA girl of three had violet nodules that were examined by a dermatologist "
        "and a biopsy was done. Blasts were seen [2]."
    )
    assert document.metadata == {"format": "pdf", "pages": 1}


def test_corrupt_pdf_fails_and_the_others_go_on(
    tmp_path: Path, make_pdf: Callable[[list[str]], bytes]
) -> None:
    good = write(tmp_path, "a.pdf", make_pdf(["Nodules were seen."]))
    corrupt = write(
        tmp_path, "b.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\n" + bytes(50)
    )
    truncated = write(tmp_path, "c.pdf", make_pdf(["Nodules were seen."])[:60])
    text = write(tmp_path, "d.txt", "A rash.")
    documents, problems = load(good, corrupt, truncated, text)
    assert [Path(d.path).name for d in documents] == ["a.pdf", "d.txt"]
    assert {Path(p.source).name for p in problems} == {"b.pdf", "c.pdf"}
    assert all(p.kind == "failed" and "PDF" in p.reason for p in problems)


def test_pubmed_xml_with_unknown_dtd_parses_offline(tmp_path: Path) -> None:
    path = write(tmp_path, "export.xml", PUBMED_XML.format(pmid="31000001"))
    (document,), problems = load(path)
    assert not problems
    assert document.id == "PMID:31000001"
    assert document.title == "Firm violet nodules in a toddler."
    assert document.date == "2021-03-04"
    assert document.origin.url == "https://pubmed.ncbi.nlm.nih.gov/31000001/"
    assert document.origin.domain == "nih.gov"
    assert [s.kind for s in document.sections] == ["title", "background", "results"]
    assert document.metadata["doi"] == "10.1000/invented.31000001"
    assert document.metadata["mesh"] == ["Skin"]


def test_pubmed_xml_without_doctype(tmp_path: Path) -> None:
    xml = "\n".join(
        line
        for line in PUBMED_XML.format(pmid="7").splitlines()
        if "DOCTYPE" not in line and "pubmed_990101" not in line
    )
    (document,), _ = load(write(tmp_path, "nodtd.xml", xml))
    assert document.id == "PMID:7"


def test_corrupt_pubmed_xml_fails(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.xml", PUBMED_XML.format(pmid="8")[:700])
    _, (problem,) = load(path)
    assert problem.kind == "failed" and "PubMed XML" in problem.reason


def test_medline_text_export(tmp_path: Path) -> None:
    path = write(tmp_path, "export.nbib", MEDLINE_TEXT)
    first, second = load(path)[0]
    assert first.id == "PMID:30000001"
    assert first.title == "An invented report of a rash that spread to the hands."
    assert first.date == "2019-10-12"
    assert first.metadata["doi"] == "10.1000/invented.1"
    assert first.metadata["mesh"] == ["Exanthema"]
    assert "It faded in a week." in first.text
    assert second.id == "PMID:30000002" and second.date == "2018"


def test_jsonl_plain_records_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {"id": "r1", "url": "https://site.example.com/a", "title": "A", "text": "Fever."}
        ),
        "{not json",
        json.dumps({"id": "r3", "title": "No text"}),
        "",
        json.dumps({"url": "https://site.example.com/b", "text": "Cough.", "lang": "en"}),
    ]
    path = write(tmp_path, "docs.jsonl", "\n".join(lines))
    documents, problems = load(path)
    assert [d.id for d in documents] == ["r1", documents[1].id]
    assert documents[1].id.startswith("sha256:")
    assert documents[1].metadata == {"format": "jsonl", "lang": "en"}
    assert [p.source for p in problems] == [f"{path}:2", f"{path}:3"]
    assert "invalid JSON" in problems[0].reason


def test_jsonl_sections_keep_qtype_focus_and_synonyms(tmp_path: Path) -> None:
    record = {
        "id": "9_Test/0001",
        "url": "https://www.health.example.gov/topics/rash",
        "focus": "Invented rash",
        "synonyms": ["made-up exanthem"],
        "sections": [
            {"qid": "1", "qtype": "information", "question": "What is it ?", "text": "A rash."},
            {"qid": "2", "qtype": "symptoms", "question": "Symptoms ?", "text": "Itch.\nRed skin."},
            {"qid": "3", "qtype": "treatment", "question": "Treatment ?", "text": ""},
        ],
    }
    path = write(tmp_path, "corpus.jsonl", json.dumps(record) + "\n")
    (document,), problems = load(path)
    assert not problems
    assert document.id == "9_Test/0001"
    assert document.title == "Invented rash"
    assert document.metadata["focus"] == "Invented rash"
    assert document.metadata["synonyms"] == ["made-up exanthem"]
    assert document.metadata["qtypes"] == ["information", "symptoms"]
    assert [(s.kind, s.heading) for s in document.sections] == [
        ("information", "What is it ?"),
        ("symptoms", "Symptoms ?"),
    ]
    symptoms = document.sections[1]
    assert document.text[symptoms.start : symptoms.end] == "Itch.\nRed skin."
    again, _ = load(path)
    assert again[0].content_hash == document.content_hash


def test_unreadable_file_is_a_failure(tmp_path: Path) -> None:
    folder = tmp_path / "looks-like-a-file.txt"
    folder.mkdir()
    (folder / "inside.txt").write_text("x")
    _, (problem,) = load(folder)
    assert problem.kind == "failed"
    assert problem.source == str(folder)


def test_report_counts() -> None:
    report = IngestReport()
    assert not report.ok
    report.add_document(3)
    report.problems += [Problem("a", "x", "skipped"), Problem("b", "y"), Problem("c", "z")]
    assert (report.documents, report.skipped, report.failed, report.sentences) == (1, 1, 2, 3)
    assert report.ok
    assert report.summary() == "documents read: 1, skipped: 1, failed: 2; sentences: 3"
    assert str(Problem("a.pdf", "corrupt")) == "failed: a.pdf: corrupt"


def test_head_size_is_enough_for_detection() -> None:
    assert HEAD_BYTES >= 1024
