"""JSON Lines documents: `{"id", "url", "title", "text"}` records, or MedQuAD-style records whose
text is a `sections` list of `{qid, qtype, question, text}` (qtype kept as the section's kind)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dxatlas.ingest.decoding import decode_text
from dxatlas.ingest.document import Document, join_sections, make_document
from dxatlas.ingest.errors import RecordErrors

_SUFFIXES = frozenset({".jsonl", ".ndjson", ".jsonlines"})
_CORE_FIELDS = frozenset({"id", "url", "title", "text", "sections", "date"})


def _optional_str(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f'"{key}" must be a string')


def record_document(record: object, path: str | None = None) -> Document:
    """One JSON record as a document; `ValueError` naming what is wrong with it."""
    if not isinstance(record, dict):
        raise ValueError("a record must be a JSON object")
    metadata: dict[str, Any] = {"format": "jsonl"}
    metadata.update((key, value) for key, value in record.items() if key not in _CORE_FIELDS)
    raw_id = record.get("id")
    source_id = str(raw_id) if raw_id not in (None, "") else None
    url, title, date = (_optional_str(record, key) for key in ("url", "title", "date"))
    if record.get("sections") is not None:
        sections = record["sections"]
        if not isinstance(sections, list) or not all(isinstance(s, dict) for s in sections):
            raise ValueError('"sections" must be a list of objects')
        parts = [
            (
                str(s.get("qtype") or s.get("kind") or "section"),
                str(s.get("text") or ""),
                s.get("question") or s.get("heading"),
            )
            for s in sections
        ]
        text, document_sections = join_sections(parts)
        metadata["section_ids"] = [s.get("qid") for s in sections if s.get("text")]
        metadata["qtypes"] = sorted({section.kind for section in document_sections})
        if not text:
            raise ValueError("no section has text")
        return make_document(
            text,
            title=title or _optional_str(record, "focus"),
            url=url,
            path=path,
            date=date,
            source_id=source_id,
            sections=document_sections,
            metadata=metadata,
        )
    text = _optional_str(record, "text")
    if not text or not text.strip():
        raise ValueError('no "text" (or "sections") in the record')
    return make_document(
        text, title=title, url=url, path=path, date=date, source_id=source_id, metadata=metadata
    )


class JsonlLoader:
    """*.jsonl files, or files whose first line is a JSON object with "text" or "sections"."""

    name = "jsonl"

    def can_load(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() in _SUFFIXES:
            return True
        first = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        return first.startswith(b"{") and (b'"text"' in first or b'"sections"' in first)

    def load(self, path: Path) -> Iterator[Document]:
        text, _ = decode_text(path.read_bytes())
        problems: list[tuple[str, str]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                yield record_document(json.loads(line), path=str(path))
            except json.JSONDecodeError as error:
                problems.append((str(number), f"invalid JSON ({error.msg}, column {error.colno})"))
            except RecursionError:
                problems.append((str(number), "invalid JSON (nested too deeply)"))
            except ValueError as error:
                problems.append((str(number), str(error)))
        if problems:
            raise RecordErrors(problems)
