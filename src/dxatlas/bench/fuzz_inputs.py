"""Hypothesis strategies for bad and odd input: the files the loaders read, texts the splitter,
recogniser and markdown renderer see, and phenopacket JSON. Every strategy is size-limited, so one
example is small enough to be checked in well under a second.

Used by the fuzz properties (`dxatlas.bench.fuzz_targets`), which the tests in tests/fuzz/ and
`dxatlas bench fuzz` both run.
"""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from hypothesis import strategies as st

MAX_TEXT = 2000
"""Most characters in one generated text (the splitter, recogniser and markdown inputs)."""
MAX_BYTES = 8192
"""Most bytes in one generated file."""

# Characters that drive the rules of the splitter, the recogniser, the markdown and the parsers.
TRICKY = (
    ".!?;:,()[]{}\"'\u201c\u201d\u2018\u2019-\u2013\u2014\u2022\u00b7\u25aa*#_<>&/\\=%$@~`|+^"
    " \n\n\t\r\x0b\x0c\u00a0\u2028\u2029\ufeff\x00\u0301\u0130\u00df\ufb01\ud7ff\U0001f600"
    "aAbBeEiIlLnNsStTzZ0123456789"
)
WORDS = (
    "Fever", "fever", "pyrexia", "high temperature", "Seizures", "seizure", "tonic-clonic seizures",
    "Anemia", "anaemia", "neutropenia", "abdominal pain", "stomach ache", "weight loss",
    "Leukemia", "leukemia cutis (LC)", "LC", "cerebral palsy", "CP", "GERD", "brachydactyly",
    "cleft lip and palate", "microcephaly", "autosomal dominant", "no", "not", "without",
    "denies", "possible", "suspected", "if", "her mother had", "family history of", "history of",
    "The patient", "a 3-year-old girl", "presented with", "and", "or", "with", "Dr.", "e.g.",
    "i.e.", "et al.", "Fig. 2", "vs.", "St.", "1.", "2)", "(1)", "[2,3]", "\u2022", "- ", "* ",
    "Is it a cold?", "What is", "U.S.", "mg/dL", "10.5", "\n", "\n\n", ". ", "? ", "! ", "; ",
    ", ", "(", ")", "\u2014", "trans-\nfer", "HP:0001250", "OMIM:100001", "<b>", "&amp;",
)  # fmt: skip


def texts(max_size: int = MAX_TEXT) -> st.SearchStrategy[str]:
    """Any Unicode text; text over the tricky characters; and sentences built of medical words,
    abbreviations, bullets and punctuation (the input the rules are written for)."""
    return st.one_of(
        st.text(max_size=max_size),
        st.text(alphabet=st.sampled_from(TRICKY), max_size=max_size),
        st.lists(
            st.one_of(
                st.sampled_from(WORDS), st.text(alphabet=st.sampled_from(TRICKY), max_size=4)
            ),
            max_size=max_size // 8,
        ).map(" ".join),
        st.lists(st.sampled_from(WORDS), max_size=max_size // 12).map("".join),
    )


# --- encodings -------------------------------------------------------------------------------


def encoded(text: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Text as a file would hold it: UTF-8 (with or without BOM), UTF-16, Latin-1 or cp1252 where
    it fits, sometimes with bytes cut off or a stray byte in it."""

    def encode(args: tuple[str, str, int, bytes]) -> bytes:
        value, encoding, cut, stray = args
        data = value.encode(encoding, errors="replace" if encoding != "utf-16" else "surrogatepass")
        if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
            data = b"\xef\xbb\xbf" + data
        if cut:
            data = data[: max(0, len(data) - cut)]
        if stray:
            middle = len(data) // 2
            data = data[:middle] + stray + data[middle:]
        return data

    return st.tuples(
        text,
        st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]),
        st.integers(0, 3) | st.just(0),
        st.sampled_from([b"", b"", b"", b"\xff", b"\x00", b"\x81", b"\xc3", b"\xed\xa0\x80"]),
    ).map(encode)


# --- HTML -------------------------------------------------------------------------------------

_TAGS = (
    "html", "head", "body", "title", "meta", "link", "p", "div", "span", "a", "b", "i", "br",
    "h1", "h2", "ul", "ol", "li", "table", "tr", "td", "th", "script", "style", "nav", "footer",
    "header", "article", "main", "section", "pre", "code", "img", "form", "input", "iframe",
    "noscript", "svg", "math", "template", "x-custom",
)  # fmt: skip
_ATTRIBUTES = ("class", "id", "href", "src", "content", "name", "property", "lang", "style", "on")
_ENTITIES = ("&amp;", "&lt;", "&gt;", "&nbsp;", "&#0;", "&#x110000;", "&#xD800;", "&bogus;", "&")


@st.composite
def _attribute(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(_ATTRIBUTES) | st.text(alphabet="abz-:", min_size=1, max_size=6))
    value = draw(st.text(alphabet=st.sampled_from(TRICKY), max_size=20))
    quote = draw(st.sampled_from(['"', "'", ""]))
    return f" {name}={quote}{value}{quote}" if draw(st.booleans()) else f" {name}"


def _html_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(alphabet=st.sampled_from(TRICKY), max_size=60),
        st.lists(st.sampled_from(WORDS), max_size=20).map(" ".join),
        st.sampled_from(_ENTITIES),
        st.sampled_from(["<!-- comment -->", "<!--", "-->", "<![CDATA[x]]>", "<?php ?>", "</p>"]),
    )


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: st.DrawFn) -> str:
        tag = draw(st.sampled_from(_TAGS))
        attributes = "".join(draw(st.lists(_attribute(), max_size=3)))
        inner = "".join(draw(st.lists(children, max_size=5)))
        close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", "</", f"</{tag}"]))
        return f"<{tag}{attributes}>{inner}{close}"

    return build()


def html_pages() -> st.SearchStrategy[str]:
    """HTML pages: real structure (doctype, head, title, body, nesting) with broken tags, odd
    attributes, entities, scripts and prose; or markup soup."""
    fragment = st.recursive(_html_text(), _element, max_leaves=40)

    @st.composite
    def page(draw: st.DrawFn) -> str:
        title = draw(_html_text())
        body = "".join(draw(st.lists(fragment, max_size=8)))
        doctype = draw(st.sampled_from(["<!doctype html>", "<!DOCTYPE html>", "", "<?xml ?>"]))
        if draw(st.booleans()):
            return f"{doctype}<html><head><title>{title}</title></head><body>{body}</body></html>"
        return doctype + body

    return page()


# --- PDF --------------------------------------------------------------------------------------


def _pdf_string(text: str) -> bytes:
    """A PDF literal string holding `text` (Latin-1; other characters become '?')."""
    raw = text.encode("latin-1", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def minimal_pdf(lines: list[str], title: str = "") -> bytes:
    """A valid one-page PDF showing `lines` (Helvetica), with a correct cross-reference table and
    an info dictionary when `title` is given."""
    stream = (
        b"BT /F1 12 Tf 72 720 Td 14 TL "
        + b" ".join(_pdf_string(line) + b" '" for line in lines)
        + b" ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title " + _pdf_string(title) + b" /CreationDate (D:20240102030405Z) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


_PDF_TOKENS = (
    b"obj", b"endobj", b"<<", b">>", b"[", b"]", b"(", b")", b"\\", b"/Length 999999999",
    b"/Length -1", b"0 0 R", b"1 0 R", b"99 0 R", b"stream\n", b"endstream", b"xref", b"trailer",
    b"startxref\n0", b"%%EOF", b"/Filter /FlateDecode", b"/Encrypt 1 0 R", b"/Kids [3 0 R 3 0 R]",
    b"/Parent 3 0 R", b"/Count -5", b"1e999", b"\x00", b"\xff\xfe",
)  # fmt: skip


def _mutate(data: bytes, edits: list[tuple[str, float, bytes]]) -> bytes:
    buffer = bytearray(data)
    for operation, where, insert in edits:
        position = int(where * len(buffer))
        if operation == "insert":
            buffer[position:position] = insert
        elif operation == "replace":
            buffer[position : position + len(insert)] = insert
        elif operation == "delete":
            del buffer[position : position + len(insert) + 1]
        elif operation == "truncate":
            del buffer[position:]
    return bytes(buffer)


def mutated(valid: st.SearchStrategy[bytes], tokens: tuple[bytes, ...]) -> st.SearchStrategy[bytes]:
    """`valid` files with up to five edits: inserted, replaced or deleted bytes (format tokens or
    random bytes) and truncation."""
    edit = st.tuples(
        st.sampled_from(["insert", "replace", "delete", "truncate"]),
        st.floats(0, 1),
        st.sampled_from(tokens) | st.binary(min_size=1, max_size=16),
    )
    return st.builds(_mutate, valid, st.lists(edit, max_size=5))


def pdf_files() -> st.SearchStrategy[bytes]:
    """Valid small PDFs of random text, damaged ones, and anything starting with `%PDF-`."""
    valid = st.builds(
        minimal_pdf,
        st.lists(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join), max_size=6),
        st.text(max_size=30),
    )
    return st.one_of(
        valid,
        mutated(valid, _PDF_TOKENS),
        st.binary(max_size=512).map(lambda tail: b"%PDF-1.7\n" + tail),
    )


# --- MEDLINE (XML and text) --------------------------------------------------------------------


def _xml_text() -> st.SearchStrategy[str]:
    """Element text: escaped prose, sometimes with inline markup or a raw `<` or `&`."""
    prose = st.lists(st.sampled_from(WORDS), max_size=15).map(" ".join)
    return st.one_of(
        prose.map(xml_escape),
        st.text(max_size=40).map(xml_escape),
        prose.map(lambda words: f"<i>{xml_escape(words)}</i> and <sup>2</sup>"),
        st.sampled_from(["<", "&", "&bogus;", "]]>", "&#0;", ""]),
    )


@st.composite
def medline_xml(draw: st.DrawFn) -> bytes:
    """PubMed XML exports: articles with any of their parts missing, odd dates and labels, a
    bundled, unknown or missing DOCTYPE, sometimes a `MedlineCitationSet`, sometimes damaged."""

    def maybe(text: str) -> str:
        return text if draw(st.integers(0, 9)) else ""

    articles = []
    for _ in range(draw(st.integers(0, 3))):
        pmid = draw(st.sampled_from(["12345", "0", "", "abc", "99999999999999999999"]))
        date = "".join(
            maybe(f"<{part}>{xml_escape(draw(st.sampled_from(values)))}</{part}>")
            for part, values in (
                ("Year", ["2021", "20", "", "0000", "9999x"]),
                ("Month", ["Mar", "03", "13", "0", "Foo", ""]),
                ("Day", ["4", "32", "00", "x", ""]),
                ("MedlineDate", ["1998 Dec-1999 Jan", "", "Spring"]),
            )
        )
        abstract = "".join(
            f'<AbstractText Label="{xml_escape(draw(st.sampled_from(["BACKGROUND", "", "x<"])))}">'
            f"{draw(_xml_text())}</AbstractText>"
            for _ in range(draw(st.integers(0, 3)))
        )
        article = (
            maybe(f"<Journal>{maybe(f'<Title>{draw(_xml_text())}</Title>')}"
                  f"<JournalIssue><PubDate>{date}</PubDate></JournalIssue></Journal>")
            + maybe(f"<ArticleTitle>{draw(_xml_text())}</ArticleTitle>")
            + maybe(f"<Abstract>{abstract}</Abstract>")
            + maybe("<Language>eng</Language>")
            + maybe("<PublicationTypeList><PublicationType>Case Reports</PublicationType>"
                    "</PublicationTypeList>")
        )  # fmt: skip
        citation = (
            maybe(f'<PMID Version="1">{pmid}</PMID>')
            + maybe(f"<Article>{article}</Article>")
            + maybe("<MeshHeadingList><MeshHeading><DescriptorName>Fever</DescriptorName>"
                    "</MeshHeading></MeshHeadingList>")
        )  # fmt: skip
        ids = maybe('<PubmedData><ArticleIdList><ArticleId IdType="doi">10.1/x</ArticleId>'
                    "</ArticleIdList></PubmedData>")  # fmt: skip
        articles.append((citation, ids))
    doctype = draw(
        st.sampled_from(
            [
                '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2024//EN"'
                ' "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd">',
                '<!DOCTYPE PubmedArticleSet SYSTEM "pubmed_190101.dtd">',
                '<!DOCTYPE PubmedArticleSet SYSTEM "unknown_999.dtd">',
                "",
            ]
        )
    )
    if draw(st.integers(0, 4)):
        body = "".join(
            f"<PubmedArticle>{maybe(f'<MedlineCitation>{c}</MedlineCitation>')}{i}</PubmedArticle>"
            for c, i in articles
        )
        xml = f"{doctype}<PubmedArticleSet>{body}</PubmedArticleSet>"
    else:
        body = "".join(f"<MedlineCitation>{c}</MedlineCitation>" for c, _ in articles)
        xml = f"<MedlineCitationSet>{body}</MedlineCitationSet>"
    data = ('<?xml version="1.0" encoding="UTF-8"?>\n' + xml).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 5)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


_MEDLINE_TAGS = ("PMID", "TI", "AB", "DP", "JT", "TA", "MH", "PT", "LA", "LID", "AID", "AU", "FAU")


@st.composite
def medline_text(draw: st.DrawFn) -> str:
    """MEDLINE text exports: records from `PMID-`, known and unknown tags, continuation lines,
    odd dates and DOIs, malformed lines."""
    records = []
    for _ in range(draw(st.integers(1, 3))):
        lines = [f"PMID- {draw(st.sampled_from(['123', '0', '', 'x', '12 34']))}"]
        for _ in range(draw(st.integers(0, 8))):
            tag = draw(st.sampled_from(_MEDLINE_TAGS) | st.text(alphabet="ABZ ", max_size=5))
            value = draw(
                st.sampled_from(["2021 Mar 4", "1999", "", "10.1000/x [doi]", "Fever.", "eng"])
                | st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)
                | st.text(max_size=30)
            )
            lines.append(f"{tag:<4}- {value}")
            if draw(st.integers(0, 4)) == 0:
                lines.append("      " + draw(st.text(max_size=20)))
            if draw(st.integers(0, 9)) == 0:
                lines.append(draw(st.text(max_size=10)))  # a malformed line
        records.append("\n".join(lines))
    return "\n\n".join(records) + "\n"


# --- JSON Lines and phenopackets ------------------------------------------------------------


def json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any JSON value (small)."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.text(max_size=30)
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=max_leaves,
    )


def _corrupt(draw: st.DrawFn, record: dict[str, Any], keys: list[str]) -> None:
    """Sometimes give one or two of `keys` a value of any JSON type (most stay well typed)."""
    if not keys or draw(st.integers(0, 5)):
        return
    for key in draw(st.lists(st.sampled_from(keys), min_size=1, max_size=2, unique=True)):
        record[key] = draw(json_values(4))


@st.composite
def jsonl_record(draw: st.DrawFn) -> Any:
    """A document record (plain or MedQuAD-style with sections), mostly well formed, with a
    field or two missing or of the wrong type; or any JSON value."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values())
    prose = st.lists(st.sampled_from(WORDS), min_size=1, max_size=20).map(" ".join)
    record: dict[str, Any] = {}
    for key, value in (
        ("id", st.text(max_size=10) | st.integers()),
        ("url", st.sampled_from(["https://example.org/a", "not a url", "", "javascript:x"])),
        ("title", prose | st.just("")),
        ("date", st.sampled_from(["2021-03-04", "", "yesterday"])),
        ("focus", prose),
    ):
        if draw(st.booleans()):
            record[key] = draw(value)
    if draw(st.booleans()):
        sections = []
        for _ in range(draw(st.integers(0, 4))):
            section = {
                "qid": draw(st.text(max_size=8)),
                "qtype": draw(st.sampled_from(["symptoms", "treatment", ""])),
                "question": draw(prose),
                "text": draw(prose | st.text(max_size=40)),
            }
            _corrupt(draw, section, list(section))
            sections.append(section)
        record["sections"] = sections
    elif draw(st.integers(0, 5)):
        record["text"] = draw(prose | st.text(max_size=60))
    _corrupt(draw, record, [*record, "text", "sections"])
    return record


def jsonl_files() -> st.SearchStrategy[str]:
    """JSON Lines files: records, blank lines, invalid JSON and deeply nested lines."""
    line = st.one_of(
        jsonl_record().map(json.dumps),
        jsonl_record().map(json.dumps),
        st.just(""),
        st.text(max_size=40),
        st.integers(1, 5000).map(lambda depth: "[" * depth + "]" * depth),
        st.integers(1, 5000).map(lambda depth: '{"text": ' * depth + '"x"' + "}" * depth),
    )
    return st.lists(line, max_size=6).map("\n".join)


@st.composite
def phenopacket_json(draw: st.DrawFn) -> Any:
    """Phenopacket v2 JSON objects: features, subject, age and sex present or missing, with odd
    values (unknown enum names and numbers, bad durations) and a field or two of a wrong type."""
    features = []
    for _ in range(draw(st.integers(0, 5) | st.integers(1, 3))):
        feature: dict[str, Any] = {}
        if draw(st.integers(0, 5)):
            term = {"id": draw(st.sampled_from(["HP:0001250", "HP:1", "", "OMIM:1", "x"]))}
            if draw(st.booleans()):
                term["label"] = draw(st.text(max_size=20))
            _corrupt(draw, term, list(term))
            feature["type"] = term
        if draw(st.booleans()):
            feature["excluded"] = draw(st.booleans())
        _corrupt(draw, feature, ["type", "excluded", "onset"])
        features.append(feature)
    packet: dict[str, Any] = {"phenotypicFeatures": features} if draw(st.integers(0, 5)) else {}
    if draw(st.booleans()):
        packet["id"] = draw(st.text(max_size=20))
    if draw(st.booleans()):
        subject: dict[str, Any] = {"id": draw(st.text(max_size=10))}
        if draw(st.booleans()):
            subject["sex"] = draw(
                st.sampled_from(["MALE", "FEMALE", "UNKNOWN_SEX", "OTHER_SEX", "male", "x"])
                | st.integers(-5, 1000)
            )
        if draw(st.booleans()):
            duration = draw(st.sampled_from(["P3Y", "P", "3 years", "", "P1Y2M", "-P1Y"]))
            subject["timeAtLastEncounter"] = {"age": {"iso8601duration": duration}}
        _corrupt(draw, subject, [*subject, "timeAtLastEncounter"])
        packet["subject"] = subject
    _corrupt(draw, packet, [*packet, "phenotypicFeatures", "metaData"])
    return packet


def phenopacket_texts() -> st.SearchStrategy[str]:
    """Phenopacket JSON text, any JSON, deeply nested JSON and text that is not JSON at all."""
    return st.one_of(
        phenopacket_json().map(json.dumps),
        phenopacket_json().map(json.dumps),
        json_values().map(json.dumps),
        st.integers(1, 5000).map(lambda depth: '{"subject": ' * depth + "{}" + "}" * depth),
        texts(200),
    )
