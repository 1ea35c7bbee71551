"""PubMed/MEDLINE records → `Document`s, for MEDLINE XML (parsed by `Bio.Entrez.read`) and the
MEDLINE text format (parsed by `Bio.Medline`). Shared by the file loaders and the PubMed client.

Bio.Entrez validates XML against the DTD it names and downloads a DTD it does not ship; to stay
offline, an unknown DTD is replaced by the newest bundled one of the same kind before parsing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

from Bio import Entrez, Medline

from dxatlas.ingest.document import Document, join_sections, make_document
from dxatlas.ingest.errors import LoadError

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_DOCTYPE = re.compile(rb"<!DOCTYPE\s+(\w+)([^>\[]*?)\"([^\"]+)\"\s*>")
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")
_ROOT = re.compile(rb"<(PubmedArticleSet|MedlineCitationSet|eSearchResult)\b")
_DTD_FAMILY = {
    b"PubmedArticleSet": "pubmed_",
    b"MedlineCitationSet": "nlmmedlinecitationset_",
    b"eSearchResult": "esearch",
}
_TAGS = re.compile(r"<[^>]+>")


@lru_cache(maxsize=1)
def _bundled_dtds() -> frozenset[str]:
    return frozenset(path.name for path in (Path(Entrez.__file__).parent / "DTDs").glob("*.dtd"))


def _newest_dtd(prefix: str) -> str:
    return max(name for name in _bundled_dtds() if name.startswith(prefix))


def offline_xml(data: bytes) -> bytes:
    """`data` with its DOCTYPE pointing at a DTD that Biopython ships (added if missing)."""
    head = data[:4096]
    root = _ROOT.search(head)
    if root is None:
        raise LoadError("not PubMed XML (no PubmedArticleSet, MedlineCitationSet or eSearchResult)")
    wanted = _newest_dtd(_DTD_FAMILY[root.group(1)])
    doctype = _DOCTYPE.search(head)
    if doctype is not None:
        if Path(doctype.group(3).decode("ascii", "replace")).name in _bundled_dtds():
            return data
        fixed = doctype.group(0).replace(doctype.group(3), wanted.encode())
        return data[: doctype.start()] + fixed + data[doctype.end() :]
    declaration = _XML_DECLARATION.match(data)
    insert_at = declaration.end() if declaration else 0
    line = b"\n<!DOCTYPE " + root.group(1) + b' SYSTEM "' + wanted.encode() + b'">\n'
    return data[:insert_at] + line + data[insert_at:]


def read_entrez_xml(data: bytes) -> Any:
    """Parse E-utilities XML with `Bio.Entrez.read`, offline; `LoadError` for corrupt XML."""
    try:
        return Entrez.read(io.BytesIO(offline_xml(data)), validate=False)
    except LoadError:
        raise
    except Exception as error:  # Bio.Entrez raises ValueError subclasses and expat errors
        raise LoadError(f"unreadable PubMed XML ({type(error).__name__}: {error})") from None


def iso_date(year: str | None, month: str | None = None, day: str | None = None) -> str | None:
    """`2021`, `Mar`/`03`, `4` → `2021-03-04` (as far as the parts are known)."""
    if not year or not year[:4].isdigit():
        return None
    result = year[:4]
    number = None
    if month:
        number = int(month) if month.isdigit() else _MONTHS.get(month[:3].lower())
    if number and 1 <= number <= 12:
        result += f"-{number:02d}"
        if day and day.isdigit() and 1 <= int(day) <= 31:
            result += f"-{int(day):02d}"
    return result


def _plain(value: object) -> str:
    """A text element with inline markup (`<i>`, `<sup>`) removed."""
    return _TAGS.sub("", str(value)).strip()


def _article_date(article: Mapping[str, Any]) -> str | None:
    pub_date = article.get("Journal", {}).get("JournalIssue", {}).get("PubDate", {})
    date = iso_date(pub_date.get("Year"), pub_date.get("Month"), pub_date.get("Day"))
    if date is None and pub_date.get("MedlineDate"):
        date = iso_date(str(pub_date["MedlineDate"]).split()[0])
    if date is None:
        for electronic in article.get("ArticleDate", []):
            date = iso_date(electronic.get("Year"), electronic.get("Month"), electronic.get("Day"))
            if date:
                break
    return date


def _document(
    pmid: str,
    title: str,
    abstract: Iterable[tuple[str, str]],
    date: str | None,
    metadata: dict[str, Any],
    path: str | None,
) -> Document | None:
    parts = [("title", title, None), *((kind, text, None) for kind, text in abstract)]
    text, sections = join_sections(parts)
    if not text:
        return None
    return make_document(
        text,
        title=title or None,
        url=PUBMED_URL.format(pmid=pmid),
        path=path,
        date=date,
        source_id=f"PMID:{pmid}",
        sections=sections,
        metadata={key: value for key, value in metadata.items() if value},
    )


def article_document(record: Mapping[str, Any], path: str | None = None) -> Document | None:
    """One `PubmedArticle` (parsed by Bio.Entrez) as a document with title and abstract sections."""
    citation = record.get("MedlineCitation") or {}
    if not citation.get("PMID"):
        return None  # a record without a PMID (or no citation at all) has nothing to cite
    article = citation.get("Article") or {}
    pmid = str(citation["PMID"])
    abstract = [
        ((getattr(part, "attributes", {}).get("Label") or "abstract").lower(), _plain(part))
        for part in article.get("Abstract", {}).get("AbstractText", [])
    ]
    article_ids = record.get("PubmedData", {}).get("ArticleIdList", [])
    doi = next(
        (str(i) for i in article_ids if getattr(i, "attributes", {}).get("IdType") == "doi"), None
    )
    metadata = {
        "format": "medline-xml",
        "pmid": pmid,
        "doi": doi,
        "journal": _plain(article.get("Journal", {}).get("Title", "")),
        "mesh": [_plain(h["DescriptorName"]) for h in citation.get("MeshHeadingList", [])],
        "publication_types": [_plain(t) for t in article.get("PublicationTypeList", [])],
        "language": [str(language) for language in article.get("Language", [])],
    }
    return _document(
        pmid,
        _plain(article.get("ArticleTitle", "")),
        abstract,
        _article_date(article),
        metadata,
        path,
    )


def xml_documents(data: bytes, path: str | None = None) -> Iterator[Document]:
    """The articles of a PubMed/MEDLINE XML export (`PubmedArticleSet` or `MedlineCitationSet`)."""
    parsed = read_entrez_xml(data)
    if isinstance(parsed, Mapping) and "PubmedArticle" in parsed:
        records: Iterable[Mapping[str, Any]] = parsed["PubmedArticle"]
    elif isinstance(parsed, list):  # MedlineCitationSet: a list of MedlineCitation
        records = [{"MedlineCitation": citation} for citation in parsed]
    else:
        raise LoadError("no PubmedArticle in the XML")
    for record in records:
        document = article_document(record, path)
        if document is not None:
            yield document


def _medline_doi(record: Mapping[str, Any]) -> str | None:
    """The DOI of a MEDLINE text record, from its `LID` or `AID` lines (`10.1/x [doi]`)."""
    for key in ("LID", "AID"):
        values = record.get(key) or []
        for value in [values] if isinstance(values, str) else values:
            for line in str(value).split("\n"):
                if line.strip().endswith("[doi]"):
                    return line.split()[0]
    return None


def _medline_records(handle: TextIO) -> Iterator[Any]:
    """Bio.Medline's records; `LoadError` where its parser trips over a malformed line (it
    raises KeyError on a continuation line that follows a blank line, for one)."""
    try:
        yield from Medline.parse(handle)
    except Exception as error:
        detail = str(error).strip().splitlines()[0] if str(error).strip() else "no detail"
        raise LoadError(f"malformed MEDLINE text ({type(error).__name__}: {detail})") from None


def medline_text_documents(handle: TextIO, path: str | None = None) -> Iterator[Document]:
    """The records of a MEDLINE text export (`PMID- ...`, `TI  - ...`) as documents."""
    for record in _medline_records(handle):
        pmid = str(record.get("PMID", "")).strip()
        if not pmid:
            continue
        date_parts = str(record.get("DP", "")).split()
        doi = _medline_doi(record)
        metadata = {
            "format": "medline-text",
            "pmid": pmid,
            "doi": doi,
            "journal": record.get("JT") or record.get("TA"),
            "mesh": list(record.get("MH", [])),
            "publication_types": list(record.get("PT", [])),
            "language": list(record.get("LA", [])),
        }
        abstract = [("abstract", record["AB"])] if record.get("AB") else []
        document = _document(
            pmid,
            str(record.get("TI", "")).strip(),
            abstract,
            iso_date(*(date_parts[:3] + [None] * (3 - len(date_parts[:3])))),
            metadata,
            path,
        )
        if document is not None:
            yield document
