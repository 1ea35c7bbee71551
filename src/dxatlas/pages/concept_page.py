"""`build_page`: a concept's evidence, patients and curated annotations arranged as its page.

Pure: the caller reads the store and the knowledge base; this module only orders and groups.
The JSON form (`page_json`) is the contract of `dxatlas page --format json` and the web API.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from dxatlas.evidence.sections import SECTIONS
from dxatlas.pages.inline_list import split_inline_list
from dxatlas.store.pages import EvidenceView, PatientView, SourceView

SUBSECTIONED = frozenset({"presentation", "workup"})
OVERVIEW_LIMIT = 5


@dataclass(frozen=True, slots=True)
class CuratedFinding:
    """A curated finding of the concept: an HPO annotation (when it is, or maps to, a curated
    disease) or a row of a table imported for it (`dxatlas kb import`)."""

    id: str
    label: str
    frequency: str | None
    references: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class PageConcept:
    """The header of a page."""

    id: str
    name: str
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    source: str = "curated"


@dataclass
class ConceptPage:
    """A built page; `page_json` turns it into the documented JSON."""

    concept: PageConcept
    evidence: list[EvidenceView]
    patients: list[PatientView]
    curated: list[CuratedFinding] = field(default_factory=list)
    kb_version: str = ""
    risk_factors: list[CuratedFinding] = field(default_factory=list)  # imported tables' rows


def source_label(source: SourceView) -> str:
    """What a page shows in brackets after a sentence: the registered domain, the PMID, or the file."""
    if source.domain:
        return source.domain
    if source.source_id.startswith("PMID:"):
        return source.source_id
    if source.path:
        return PurePath(source.path).name
    return source.title or source.source_id


def _rank_key(item: EvidenceView) -> tuple[int, float, int]:
    """More independent sources first, then the more informative sentence, then the shorter."""
    return (-len(item.sources), -item.score, len(item.text))


def _evidence_json(item: EvidenceView, concept_id: str) -> dict[str, Any]:
    lead, listed = split_inline_list(item.text)
    return {
        "id": item.id,
        "text": item.text,
        "lead": lead,  # the text without a list written on one line, and that list's items
        "items": listed,
        "sources": [
            {
                "url": s.url,
                "domain": source_label(s),
                "title": s.title,
                "document_id": s.document_id,
            }
            for s in item.sources
        ],
        "findings": [{"id": i, "label": label} for i, label in item.findings],
        "related": [{"id": i, "label": label} for i, label in item.diseases if i != concept_id],
    }


def page_json(page: ConceptPage) -> dict[str, Any]:
    """The page as the documented JSON (concept, sections, demographics, curated), with the risk
    factors imported tables list (`risk_factors`)."""
    visible = sorted((e for e in page.evidence if not e.hidden), key=_rank_key)
    sections = []
    for key in SECTIONS:
        items = [e for e in visible if e.section == key]
        if key == "overview":
            items = items[:OVERVIEW_LIMIT]
        subsections = _subsections(items, page.concept.id) if key in SUBSECTIONED else []
        sections.append(
            {
                "key": key,
                "evidence": [_evidence_json(e, page.concept.id) for e in items],
                "subsections": subsections,
            }
        )
    sexes = Counter(p.sex for p in page.patients if p.sex in ("male", "female"))
    return {
        "concept": {
            "id": page.concept.id,
            "name": page.concept.name,
            "synonyms": list(page.concept.synonyms),
            "xrefs": list(page.concept.xrefs),
            "source": page.concept.source,
        },
        "sections": sections,
        "demographics": {
            "sex": {"male": sexes.get("male", 0), "female": sexes.get("female", 0)},
            "ages_years": sorted(
                round(p.age_years, 3) for p in page.patients if p.age_years is not None
            ),
            "patients": len(page.patients),
        },
        "curated": [
            {
                "finding": {"id": c.id, "label": c.label},
                "frequency": c.frequency,
                "references": list(c.references),
                "negated": c.negated,
            }
            for c in page.curated
        ],
        "risk_factors": [
            {"risk_factor": {"id": c.id, "label": c.label}, "references": list(c.references)}
            for c in page.risk_factors
        ],
        "kb_version": page.kb_version,
    }


def _subsections(items: Sequence[EvidenceView], concept_id: str) -> list[dict[str, Any]]:
    """One sub-heading per finding (or test), with the sentences asserting it; most supported first."""
    by_finding: dict[str, list[EvidenceView]] = {}
    labels: dict[str, str] = {}
    for item in items:
        for finding_id, label in item.findings:
            by_finding.setdefault(finding_id, []).append(item)
            labels[finding_id] = label
    ordered = sorted(
        by_finding, key=lambda f: (-sum(len(e.sources) for e in by_finding[f]), labels[f])
    )
    return [
        {
            "finding": {"id": finding_id, "label": labels[finding_id]},
            "evidence": [_evidence_json(e, concept_id) for e in by_finding[finding_id]],
        }
        for finding_id in ordered
    ]


def page_markdown(payload: dict[str, Any]) -> str:
    """The page JSON rendered as Markdown for reading in a terminal or an editor."""
    concept = payload["concept"]
    lines = [f"# {concept['name']}", ""]
    ids = [concept["id"], *concept.get("xrefs", [])]
    lines.append(f"Ids: {', '.join(ids)}")
    if concept["synonyms"]:
        lines.append(f"Synonyms: {'; '.join(concept['synonyms'])}")
    lines.append("")
    for section in payload["sections"]:
        curated = payload["curated"] if section["key"] == "presentation" else []
        risks = payload.get("risk_factors", []) if section["key"] == "etiology" else []
        if not section["evidence"] and not curated and not risks:
            continue
        lines += [f"## {section['key'].capitalize()}", ""]
        lines += [_evidence_line(e) for e in section["evidence"]]
        for sub in section["subsections"]:
            lines += ["", f"### {sub['finding']['label']}", ""]
            lines += [_evidence_line(e) for e in sub["evidence"]]
        if curated:
            lines += ["", "### Curated findings (HPO annotations, imported tables)", ""]
            for c in curated:
                prefix = "NOT " if c["negated"] else ""
                extra = f" — {c['frequency']}" if c["frequency"] else ""
                refs = f" ({', '.join(c['references'][:3])})" if c["references"] else ""
                lines.append(
                    f"- {prefix}{c['finding']['label']} [{c['finding']['id']}]{extra}{refs}"
                )
        if risks:
            lines += ["", "### Risk factors (imported tables)", ""]
            for r in risks:
                refs = f" ({', '.join(r['references'][:3])})" if r["references"] else ""
                lines.append(f"- {r['risk_factor']['label']} [{r['risk_factor']['id']}]{refs}")
        lines.append("")
    demographics = payload["demographics"]
    if demographics["patients"]:
        sex = demographics["sex"]
        lines += [
            "## Patients described",
            "",
            f"- {demographics['patients']} patient(s): {sex['male']} male, {sex['female']} female",
            f"- ages (years): {', '.join(f'{a:g}' for a in demographics['ages_years']) or 'not given'}",
            "",
        ]
    if payload.get("kb_version"):
        lines.append(
            f"_Knowledge base: {payload['kb_version']}. dxatlas informs; it does not diagnose._"
        )
    return "\n".join(lines).rstrip() + "\n"


def _evidence_line(item: dict[str, Any]) -> str:
    domains = " ".join(f"[{d}]" for d in dict.fromkeys(s["domain"] for s in item["sources"]))
    related = ", ".join(f"{r['label']} ({r['id']})" for r in item.get("related", []))
    see = f" (see {related})" if related else ""
    listed = item.get("items") or []
    text = item["lead"] if listed else item["text"]
    line = f"- {text} {domains}{see}".rstrip()
    return "\n".join([line, *(f"  - {entry}" for entry in listed)])
