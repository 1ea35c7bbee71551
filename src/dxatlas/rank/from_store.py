"""Reading the literature knowledge the ranking uses out of the evidence store."""

from __future__ import annotations

import json
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from dxatlas.kb.knowledge import SEX_ANY, SEX_FEMALE, SEX_MALE, KnowledgeBase
from dxatlas.kb.normalize import normalize_name, singular_word
from dxatlas.kb.risk_factors import is_risk_id
from dxatlas.rank.background import complaint_share
from dxatlas.rank.literature import FindingSupport, LiteratureConcept, LiteratureModel
from dxatlas.rank.parameters import ModelParameters
from dxatlas.rank.risk_mentions import page_risk_factors
from dxatlas.rank.statements import (
    age_band_of,
    age_band_of_name,
    frequency_cue,
    group_of_statement,
    load_cues,
    prevalence_of,
)
from dxatlas.store.concept import ConceptState
from dxatlas.store.curated import CuratedNames
from dxatlas.store.literature import not_disorders
from dxatlas.store.store import Store

FINDING_ROOT = "HP:0000118"  # phenotypic abnormality


def literature_model(
    store: Store,
    kb: KnowledgeBase,
    parameters: ModelParameters | None = None,
    curated: CuratedNames | None = None,
) -> LiteratureModel:
    """Every visible stored concept with presentation findings, imported table rows
    (`dxatlas kb import`) or a stated prevalence, with the risk factors its tables list and its
    etiology, epidemiology and prevention sentences name.

    Evidence stored under a curated disease's id, and a concept whose name or a synonym is a
    curated disease's name, are merged into that disease (`LiteratureConcept.curated`).
    """
    cues = load_cues()
    states = {state.id: state for state in store.concepts()}  # visible concepts only
    same, qualified = _pooled_concepts(states, kb)
    documents: dict[tuple[str, str], set[int]] = defaultdict(set)
    sentences: dict[tuple[str, str], set[int]] = defaultdict(set)  # evidence ids asserting it
    # Each evidence sentence read once: its frequency cue, and the ages its findings hold for:
    # those of the group it opens with ("Children may have a high fever"), or of the group a
    # pooled page is written for ("... in Children").
    read_once: dict[int, tuple[float | None, tuple[float, float] | None]] = {}
    group_pages = {c: age_band_of_name(states[c].name, cues) for c in qualified}
    for statement in store.finding_statements():
        key = (same.get(statement.concept_id, statement.concept_id), statement.finding_id)
        documents[key].add(statement.document_id)
        sentences[key].add(statement.evidence_id)
        if statement.evidence_id not in read_once:
            read_once[statement.evidence_id] = (
                frequency_cue(statement.text, cues),
                group_pages.get(statement.concept_id) or group_of_statement(statement.text, cues),
            )
    tables: dict[tuple[str, str], list[tuple[float | None, str]]] = defaultdict(list)
    risks: dict[str, set[str]] = defaultdict(set)  # concept -> risk factor ids
    for concept_id, finding_id, frequency, source in store.imported_findings():
        if is_risk_id(finding_id):
            risks[same.get(concept_id, concept_id)].add(finding_id)
        else:
            tables[(same.get(concept_id, concept_id), finding_id)].append((frequency, source))
    for concept_id, text in store.risk_statements():
        risks[same.get(concept_id, concept_id)].update(page_risk_factors(text))
    findings: dict[str, dict[str, int | FindingSupport]] = defaultdict(dict)
    for concept_id, finding_id in set(documents) | set(tables):
        read = [read_once[e] for e in sentences.get((concept_id, finding_id), ())]
        said = tuple(cue for cue, _ in read if cue is not None)
        rows = tables.get((concept_id, finding_id), [])
        given = [f for f, _ in rows if f is not None]
        findings[concept_id][finding_id] = FindingSupport(
            len(documents.get((concept_id, finding_id), ())) + len({s for _, s in rows}),
            said,
            statistics.median(given) if given else None,
            plain=any(cue is None for cue, _ in read) or bool(rows),
            ages=None if rows else _union_of_bands(band for _, band in read),
        )
    # What a page for one group of people says ("Kidney Stones in Children": "most common in
    # children") is about that group: a pooled concept reads its prevalence and ages from its
    # other pages when they state them, and only then from its group pages.
    statements: dict[str, list[str]] = defaultdict(list)
    group_statements: dict[str, list[str]] = defaultdict(list)
    for concept_id, text in store.concept_statements():
        pooled = same.get(concept_id, concept_id)
        (group_statements if concept_id in qualified else statements)[pooled].append(text)

    # A concept made from records that all say their focus is no disorder (a page about
    # cough medicines) has a page but is no diagnosis: it is not ranked.
    no_disorder = not_disorders(store.declared_foci())
    if curated is None:  # the caller's names, when it has them already (12,000 to normalise)
        curated = CuratedNames.from_kb(kb)
    params = parameters or ModelParameters()
    finding_names = _finding_names(kb)
    hosts: dict[str, set[str | None]] = defaultdict(set)
    for concept_id, host in store.concept_hosts():
        hosts[same.get(concept_id, concept_id)].add(host)
    pooled_names: dict[str, list[str]] = defaultdict(list)
    for member, pooled in same.items():
        pooled_names[pooled].append(states[member].name)
    rare_hosts = rare_disease_hosts()
    concepts = []
    for concept_id in sorted(set(findings) | set(statements) | set(states)):
        if concept_id in same:
            continue  # pooled into another concept
        texts = statements.get(concept_id, [])
        if concept_id in kb.disease_index:
            name, synonyms = kb.disease_names[kb.disease_index[concept_id]], ()
            merged: int | None = kb.disease_index[concept_id]
        else:
            state = states.get(concept_id)
            if state is None or normalize_name(state.name) in no_disorder:
                continue
            name = state.name
            synonyms = tuple(
                dict.fromkeys([s.text for s in state.synonyms] + pooled_names.get(concept_id, []))
            )
            merged = _curated_match(state, curated, kb)
        # A figure whose subject is another thing ("small pituitary adenomas ... 17 percent" on
        # the acromegaly page) is skipped, so the names go with the sentences.
        names = (name, *synonyms)
        prevalence = prevalence_of(texts, cues, names)
        groups = group_statements.get(concept_id, [])
        if prevalence is None and groups:  # (ages, below: from group pages only when alone)
            prevalence = prevalence_of(groups, cues, names)
        own = findings.get(concept_id, {})
        if merged is None:
            named = named_findings(names, finding_names)
            own = _with_named_finding(own, named, params)
            if prevalence is None:
                prevalence = complaint_share(kb.ontology, named, params.complaint_max_share)
        if not own and prevalence is None:
            continue
        concepts.append(
            LiteratureConcept(
                concept_id,
                name,
                synonyms,
                own,
                curated=merged,
                prevalence=prevalence,
                age_band=age_band_of_name(name, cues) or age_band_of(texts or groups, cues, names),
                rare_source=_only_rare_sources(hosts.get(concept_id, set()), rare_hosts),
                sex=sex_of_name((name, *synonyms)),
                risk_factors=frozenset(risks.get(concept_id, ())),
            )
        )
    return LiteratureModel.build(kb, concepts, parameters)


_READER_PREFIX = re.compile(r"^(?:what i need to know about|what you need to know about)\s+")
_READER_SUFFIX = re.compile(
    r"\s+(?:in|for)\s+(?:adults|children|kids|infants|babies|teens|teenagers|adolescents|"
    r"women|men|older adults|seniors|the elderly)$"
)


def _core_name(name: str) -> tuple[str, bool]:
    """A concept name without the readers a page is written for ("What I need to know about
    Kidney Stones", "Kidney Stones in Children" -> "kidney stone"), last word singular; and
    whether a group of people was named (its statements are about that group)."""
    key = normalize_name(name)
    key = _READER_PREFIX.sub("", key)
    bare = _READER_SUFFIX.sub("", key)
    words = bare.split()
    if words:
        words[-1] = singular_word(words[-1])
    return " ".join(words), bare != key


def _pooled_concepts(
    states: dict[str, ConceptState], kb: KnowledgeBase
) -> tuple[dict[str, str], set[str]]:
    """Stored concepts that name one disease for different readers ("Kidney Stones", "Kidney
    Stones in Adults", "What I need to know about Kidney Stones"): each member -> the concept
    it is pooled into (the one with the shortest name), and the members written for a group of
    people. Curated-id concepts are never pooled (they merge into their disease already)."""
    groups: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for concept_id, state in states.items():
        if concept_id in kb.disease_index:
            continue
        core, for_group = _core_name(state.name)
        if core:
            groups[core].append((concept_id, for_group))
    same: dict[str, str] = {}
    qualified: set[str] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: (m[1], len(states[m[0]].name), m[0]))
        head = members[0][0]
        for concept_id, for_group in members:
            if for_group:
                qualified.add(concept_id)
            if concept_id != head:
                same[concept_id] = head
    return same, qualified


@lru_cache(maxsize=1)
def _sex_words() -> dict[int, re.Pattern[str]]:
    """Per sex code (SEX_ANY: the 'either' words), a pattern of its words."""
    path = resources.files("dxatlas.rank").joinpath("data", "sex_specific_words.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        sex: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in data[key]) + r")\b")
        for sex, key in ((SEX_MALE, "male"), (SEX_FEMALE, "female"), (SEX_ANY, "either"))
    }


def sex_of_name(names: tuple[str, ...]) -> int:
    """SEX_MALE or SEX_FEMALE when a concept's names name a disease of one sex only
    (`data/sex_specific_words.json`), SEX_ANY otherwise (or when they name both)."""
    text = " ".join(names).lower()
    found = {sex for sex, pattern in _sex_words().items() if pattern.search(text)}
    return found.pop() if len(found) == 1 and SEX_ANY not in found else SEX_ANY


@lru_cache(maxsize=1)
def rare_disease_hosts() -> frozenset[str]:
    """Hosts whose pages are about rare diseases (`data/rare_disease_sources.json`)."""
    path = resources.files("dxatlas.rank").joinpath("data", "rare_disease_sources.json")
    return frozenset(json.loads(path.read_text(encoding="utf-8"))["hosts"])


def _only_rare_sources(hosts: set[str | None], rare: frozenset[str]) -> bool:
    """Whether every document came from a rare-disease site (a subdomain counts as its site)."""
    return bool(hosts) and all(
        host is not None and any(host == site or host.endswith("." + site) for site in rare)
        for host in hosts
    )


def _union_of_bands(
    bands: Iterable[tuple[float, float] | None],
) -> tuple[float, float] | None:
    """The ages a finding is stated for: the union of its sentences' groups, or None (every
    age) when a sentence is about patients in general or there is none."""
    found = list(bands)
    if not found or any(band is None for band in found):
        return None
    known = [band for band in found if band is not None]
    return min(b[0] for b in known), max(b[1] for b in known)


def _finding_names(kb: KnowledgeBase) -> dict[str, str]:
    """Phenotypic abnormalities by normalised label or exact synonym (the names a disorder
    named for its main finding uses: "Constipation", "Cellulitis", "Sore throat")."""
    onto = kb.ontology
    root = onto.resolve(FINDING_ROOT)
    names: dict[str, str] = {}
    if root is None:
        return names
    for term in sorted(int(t) for t in onto.descendants_of(root) if t != root):
        term_id = onto.ids[term]
        texts = [onto.labels[term]]
        texts += [s.text for s in onto.synonyms[term] if s.scope.lower() == "exact"]
        for text in texts:
            names.setdefault(normalize_name(text), term_id)
    return names


_KIND_WORDS = frozenset({"acute", "chronic", "viral", "bacterial", "allergic", "infectious"})
"""Words that name a kind of a disorder without changing what it is: a "viral pharyngitis" is a
pharyngitis, an "allergic sinusitis" a sinusitis."""


def _name_keys(name: str) -> tuple[str, ...]:
    """A name's comparison key, the key with its last word singular ("Canker Sores" is the
    HPO's "Canker sore"), and both without a leading kind word ("Viral pharyngitis")."""
    key = normalize_name(name)
    keys = [key]
    first, _, rest = key.partition(" ")
    if first in _KIND_WORDS and rest:
        keys.append(rest)
    for each in list(keys):
        head, _, last = each.rpartition(" ")
        keys.append(f"{head} {singular_word(last)}".strip())
    return tuple(dict.fromkeys(keys))


def named_findings(names: tuple[str, ...], finding_names: dict[str, str]) -> list[str]:
    """The HPO findings a disorder's names name ("Sore Throat": pharyngalgia and pharyngitis)."""
    keys = dict.fromkeys(key for name in names for key in _name_keys(name))
    return list(dict.fromkeys(finding_names[key] for key in keys if key in finding_names))


def _with_named_finding(
    findings: dict[str, int | FindingSupport], named: list[str], params: ModelParameters
) -> dict[str, int | FindingSupport]:
    """A disorder named for a finding (a page on "Sore Throat", "Constipation", "Cellulitis",
    or on a kind of one: "Viral pharyngitis") has that finding in nearly everyone who has it,
    whatever its sentences list: the finding is added with the model's highest frequency. Its
    sentences rarely say so ("symptoms include a sore throat" is not written on a page about
    sore throats)."""
    if not named:
        return findings
    out = dict(findings)
    for finding_id in named:
        out[finding_id] = FindingSupport(1, frequency=params.max_frequency)
    return out


def _curated_match(state: ConceptState, curated: CuratedNames, kb: KnowledgeBase) -> int | None:
    """The curated disease a stored concept is (its parent link aside): one whose name equals
    the concept's name or one of its synonyms, case-, punctuation- and spelling-blind. A name
    shared by several curated entries (an OMIM and an ORPHA id) picks the first id in order."""
    for name in (state.name, *(s.text for s in state.synonyms)):
        ids = curated.named(name)
        if ids:
            return kb.disease_index[sorted(ids)[0]]
    return None
