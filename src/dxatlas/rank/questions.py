"""Follow-up questions: which finding to ask about next, chosen by expected information gain.

Given a case, the question worth asking is the finding whose answer is expected to make the
differential most certain. Over the current differential (the ranker's probabilities, a base-10
softmax of `Ranker.scores`, restricted to the `diseases` best columns and renormalised there),
each candidate term t is scored as follows, for the top diseases d with prior P(d):

* P(yes | d) = b(t) * LR+(d, t), the rate the ranker's present-finding ratio LR+ = P(t | d) / b(t)
  stands for. Where d is annotated with t or a descendant and the ratio is not capped, this is
  exactly p_d(t) of the propagated matrix; elsewhere it is the rate the ranker assumes (the
  unexplained floor, a match through an ancestor, a NOT annotation). Capped at 1.
* P(yes) = sum_d P(d) P(yes | d).
* The posterior after "yes" is P(d) LR+(d, t), normalised; after "no" it is P(d) LR-(d, t),
  normalised, with LR- the ranker's excluded-finding ratio. Both are what `dxatlas diagnose`
  would show once the answer is added to the case.
* expected gain = H(P) - [P(yes) H(P | yes) + (1 - P(yes)) H(P | no)], in bits.

The entropies are over the rows the differential shows: entries that name the same disease in
two sources (an OMIM and an ORPHA id) count as one. The excluded-finding ratio is tempered
(`excluded_weight`), so the two posteriors do not average back to the prior and the gain is not a
strict mutual information: a "no" moves the ranking little, and a question whose "yes" would
spread the differential out can score below zero. The gain measures how much more certain the
differential the user will see is expected to become.

Each top column reads the same matrices the ranker uses for it: the sex-specific matrices for the
diseases that have them when the case has a sex, and the literature matrices for literature
concepts (which are ranked and asked about like curated diseases).

Candidates are the terms the top diseases are annotated with (phenotype aspect, positive lines
only: NOT lines and 0% frequencies are not in the model's `direct` matrix), under Phenotypic
abnormality. Left out are the case's findings and every ancestor and descendant of them: an
ancestor of a present finding (or a descendant of an excluded one) is already answered, and the
ranker counts a present finding only through its most specific present descendant, so adding a
refinement of a present finding would replace evidence rather than add to it. Terms in `skip`
(for instance questions answered "don't know") are left out too.
"""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from scipy import sparse

from dxatlas.kb.knowledge import SEX_ANY
from dxatlas.kb.ontology import PHENOTYPIC_ABNORMALITY, Ontology
from dxatlas.rank.case import Case, CaseError
from dxatlas.rank.model import TermDiseaseMatrices
from dxatlas.rank.ranker import Ranker

QUESTION_DISEASES = 50
"""How many of the best-scoring diseases (columns) the questions are planned over. The rest of the
differential usually holds a negligible share of the probability, and leaving it out keeps a
question's choice in the tens of milliseconds on the full knowledge base."""

QUESTIONS_DEFAULT = 5
"""How many questions `next_questions` returns unless told."""

_PARTS = ("propagated", "strongest", "direct", "negated")
_ALL, _SEX, _LITERATURE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Question:
    """A finding to ask about, in plain words, with the expected gain (bits) and P(yes)."""

    term_id: str
    label: str
    question_text: str
    expected_gain: float
    p_yes: float


class Answer(StrEnum):
    """A reply to a question."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


_ANSWERS = {
    "yes": Answer.YES,
    "y": Answer.YES,
    "no": Answer.NO,
    "n": Answer.NO,
    "unknown": Answer.UNKNOWN,
    "don't know": Answer.UNKNOWN,
    "dont know": Answer.UNKNOWN,
    "do not know": Answer.UNKNOWN,
    "?": Answer.UNKNOWN,
}


def read_answer(reply: Answer | str) -> Answer:
    """An `Answer` from yes/y, no/n, or unknown/don't know/?; raise `CaseError` otherwise."""
    if isinstance(reply, Answer):
        return reply
    found = _ANSWERS.get(" ".join(reply.strip().lower().replace("\u2019", "'").split()))
    if found is None:
        raise CaseError(f"answer {reply!r} is not one of yes, no or don't know")
    return found


def apply_answer(case: Case, question: Question | str, reply: Answer | str) -> Case:
    """A new case with the answer to a question: yes makes the finding present, no excluded,
    don't know leaves the case as it was. The finding is a current HPO id (as `Question` has)."""
    answer = read_answer(reply)
    term_id = question.term_id if isinstance(question, Question) else question
    if answer is Answer.UNKNOWN:
        return replace(case)
    present = tuple(t for t in case.present if t != term_id)
    excluded = tuple(t for t in case.excluded if t != term_id)
    history = tuple(t for t in case.history if t != term_id)
    if answer is Answer.YES:
        present += (term_id,)
    else:
        excluded += (term_id,)
    return replace(case, present=present, excluded=excluded, history=history)


class QuestionPlanner:
    """Chooses follow-up questions for cases ranked by one `Ranker` (keeps per-disease copies of
    the model's matrices, made on first use, so that the top diseases' columns are cheap)."""

    def __init__(self, ranker: Ranker) -> None:
        self.ranker = ranker
        kb = ranker.kb
        self._askable = kb.ontology.under(PHENOTYPIC_ABNORMALITY)
        self._by_column: dict[tuple[int, int | str | None, str], sparse.csc_matrix] = {}
        self._sex_position: dict[int, np.ndarray] = {}
        for sex, mats in ranker.model.by_sex.items():
            position = np.full(kb.n_diseases, -1, dtype=np.int64)
            position[mats.columns] = np.arange(len(mats.columns))
            self._sex_position[sex] = position
        self._texts: dict[int, str] = {}
        # As in `Ranker`: an ancestor whose shared-ancestor ratio cannot beat the unexplained
        # floor even at p = 1 is skipped.
        params = ranker.params
        self._inexact_useful = params.inexact_weight / ranker.background > params.unexplained_lr

    def questions(
        self,
        case: Case,
        top: int = QUESTIONS_DEFAULT,
        *,
        diseases: int = QUESTION_DISEASES,
        skip: Iterable[str] = (),
        wording: Mapping[str, str] | None = None,
    ) -> list[Question]:
        """The `top` findings worth asking about next, highest expected information gain first.
        `wording` (HPO id -> text) replaces the default wording of the questions it names."""
        ranker, onto = self.ranker, self.ranker.kb.ontology
        findings, lrs = ranker.finding_lrs(case)
        scores = ranker.scores_of(case, findings, lrs)
        columns = _top_columns(scores, max(1, min(diseases, len(scores))))
        prior = _softmax10(scores[columns])
        blocks = self._blocks(case, columns)

        candidates = self._candidates(case, blocks["direct"], skip)
        if len(candidates) == 0:
            return []
        floors = ranker.literature_floors(findings, lrs) if ranker.literature else None
        yes_lr, no_lr = self._likelihood_ratios(candidates, blocks, columns, floors)

        background = ranker.background[candidates]
        p_yes_given = np.minimum(background[:, None] * yes_lr, 1.0)
        p_yes = p_yes_given @ prior
        membership = self._membership(columns)
        before = _entropy(prior[None, :] @ membership)[0]
        after_yes = _entropy((prior * yes_lr) @ membership)
        after_no = _entropy((prior * no_lr) @ membership)
        gain = before - (p_yes * after_yes + (1.0 - p_yes) * after_no)

        order = np.lexsort((candidates, -np.round(gain, 12)))[:top]
        return [
            Question(
                term_id=onto.ids[int(candidates[i])],
                label=onto.labels[int(candidates[i])],
                question_text=self.text(int(candidates[i]), wording),
                expected_gain=float(gain[i]),
                p_yes=float(p_yes[i]),
            )
            for i in order.tolist()
        ]

    def text(self, term: int, wording: Mapping[str, str] | None = None) -> str:
        """The question about term index `term` in plain words (`wording`'s, when it has one)."""
        if wording:
            chosen = wording.get(self.ranker.kb.ontology.ids[term])
            if chosen:
                return chosen
        found = self._texts.get(term)
        if found is None:
            found = self._texts[term] = question_text(self.ranker.kb.ontology, term)
        return found

    # --- the top columns ---------------------------------------------------------------------

    def _sources(self, case: Case, columns: np.ndarray) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """(source, positions among the top columns, local columns) per matrix set: curated
        diseases, their sex-specific matrices when the case has a sex, literature concepts."""
        n = self.ranker.kb.n_diseases
        source = np.full(len(columns), _ALL)
        local = columns.astype(np.int64)
        literature = columns >= n
        source[literature] = _LITERATURE
        local[literature] -= n
        position = self._sex_position.get(case.sex) if case.sex != SEX_ANY else None
        if position is not None:
            sex_local = position[np.where(literature, 0, columns)]
            sex_specific = ~literature & (sex_local >= 0)
            source[sex_specific] = _SEX
            local[sex_specific] = sex_local[sex_specific]
        return [
            (kind, np.flatnonzero(source == kind), local[source == kind])
            for kind in (_ALL, _SEX, _LITERATURE)
            if np.any(source == kind)
        ]

    def _matrices(self, kind: int, case: Case) -> TermDiseaseMatrices:
        model = self.ranker.model
        if kind == _SEX:
            return model.by_sex[case.sex]
        if kind == _LITERATURE:
            assert self.ranker.literature is not None
            return self.ranker.literature.view(case.age_years)[0]
        return model.all_sexes

    def _column_major(self, kind: int, case: Case, part: str) -> sparse.csc_matrix:
        """One matrix of one set in column-major form, made once (per sex for the sex-specific
        set, per age group for the literature's)."""
        variant: int | str | None = None
        if kind == _SEX:
            variant = case.sex
        elif kind == _LITERATURE:
            assert self.ranker.literature is not None
            variant = self.ranker.literature.group_of(case.age_years)
        key = (kind, variant, part)
        found = self._by_column.get(key)
        if found is None:
            found = self._by_column[key] = getattr(self._matrices(kind, case), part).tocsc()
        return found

    def _blocks(
        self, case: Case, columns: np.ndarray
    ) -> dict[str, list[tuple[np.ndarray, sparse.csc_matrix]]]:
        """Per matrix part: (positions among the top columns, T x k block) per matrix set."""
        sources = self._sources(case, columns)
        return {
            part: [
                (positions, self._column_major(kind, case, part)[:, local])
                for kind, positions, local in sources
            ]
            for part in _PARTS
        }

    def _membership(self, columns: np.ndarray) -> np.ndarray:
        """k x G indicator of the differential row (same-name group) of each top column."""
        n = self.ranker.kb.n_diseases
        group = np.where(columns < n, self.ranker.model.group[np.minimum(columns, n - 1)], columns)
        _, row = np.unique(group, return_inverse=True)
        membership = np.zeros((len(columns), int(row.max()) + 1))
        membership[np.arange(len(columns)), row] = 1.0
        return membership

    # --- candidates and their likelihood ratios ----------------------------------------------

    def _candidates(
        self,
        case: Case,
        direct: list[tuple[np.ndarray, sparse.csc_matrix]],
        skip: Iterable[str],
    ) -> np.ndarray:
        """Terms annotated to a top column, askable, and not related to the case's findings."""
        onto = self.ranker.kb.ontology
        annotated = np.unique(np.concatenate([block.indices for _, block in direct]))
        blocked = ~self._askable
        for term_id in (*case.present, *case.excluded, *case.history):
            term = onto.index[term_id]
            blocked[onto.ancestors_of(term)] = True
            blocked[onto.descendants_of(term)] = True
        for term_id in skip:
            term = onto.resolve(term_id)
            if term is not None:
                blocked[term] = True
        return annotated[~blocked[annotated]].astype(np.int64)

    def _likelihood_ratios(
        self,
        candidates: np.ndarray,
        blocks: dict[str, list[tuple[np.ndarray, sparse.csc_matrix]]],
        columns: np.ndarray,
        literature_floors: np.ndarray | None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """C x k present- and excluded-finding ratios over the k top `columns`, by the ranker's
        rules (see `Ranker`; literature columns have their own unexplained floor in this case,
        `literature_floors`: `Ranker.literature_floors`)."""
        ranker = self.ranker
        k = len(columns)
        params, background = ranker.params, ranker.background
        closure = ranker.kb.ontology.ancestors[candidates]
        owner = np.repeat(np.arange(len(candidates)), np.diff(closure.indptr))
        ancestor = closure.indices.astype(np.int64)
        relevant = np.unique(np.concatenate([candidates, ancestor]))
        local = np.full(len(ranker.kb.ontology), -1, dtype=np.int64)
        local[relevant] = np.arange(len(relevant))
        dense = {part: _dense(blocks[part], local, len(relevant), k) for part in _PARTS}
        here = local[candidates]
        n = len(candidates)

        floors = np.full(k, params.unexplained_lr)
        if literature_floors is not None:
            mined = columns >= ranker.kb.n_diseases
            floors[mined] = literature_floors[columns[mined] - ranker.kb.n_diseases]
        yes = np.tile(floors, (n, 1))
        proper = ancestor != candidates[owner]
        a, o = ancestor[proper], owner[proper]
        # An annotation on an ancestor: the patient's finding is more specific.
        above = dense["direct"][local[a]] / background[a][:, None]
        np.maximum(yes, _segment_max(above, o, n, 0.0), out=yes)
        # A sibling branch under a shared ancestor, where that can beat the floor.
        useful = self._inexact_useful[a]
        shared = params.inexact_weight * dense["propagated"][local[a[useful]]]
        shared /= background[a[useful]][:, None]
        np.maximum(yes, _segment_max(shared, o[useful], n, 0.0), out=yes)
        # The term itself or a descendant.
        np.maximum(yes, dense["propagated"][here] / background[candidates][:, None], out=yes)
        np.minimum(yes, params.max_lr, out=yes)
        negated = _segment_max(dense["negated"][local[ancestor]], owner, n, 0.0) > 0
        yes[negated] = params.not_annotation_lr

        absent_background = np.maximum(1.0 - background[candidates], params.excluded_floor)
        strongest = dense["strongest"][here]
        absent = np.where(
            strongest > 0,
            np.maximum(1.0 - strongest, params.excluded_floor),
            absent_background[:, None],
        )
        absent[negated] = 1.0
        no = np.power(absent / absent_background[:, None], params.excluded_weight)
        return yes, no


_PLANNERS: weakref.WeakKeyDictionary[Ranker, QuestionPlanner] = weakref.WeakKeyDictionary()


def planner_for(ranker: Ranker) -> QuestionPlanner:
    """The planner of a ranker, made once and kept as long as the ranker lives."""
    found = _PLANNERS.get(ranker)
    if found is None:
        found = _PLANNERS[ranker] = QuestionPlanner(ranker)
    return found


def next_questions(
    ranker: Ranker,
    case: Case,
    top: int = QUESTIONS_DEFAULT,
    *,
    diseases: int = QUESTION_DISEASES,
    skip: Iterable[str] = (),
    wording: Mapping[str, str] | None = None,
) -> list[Question]:
    """The `top` best next questions for `case`, highest expected information gain first;
    `wording` (HPO id -> text, say editors' overrides) replaces the default wording it names."""
    return planner_for(ranker).questions(case, top, diseases=diseases, skip=skip, wording=wording)


# --- numeric helpers -------------------------------------------------------------------------


def _top_columns(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the `k` highest scores, best first (ties broken by index)."""
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.lexsort((part, -scores[part]))]


def _softmax10(scores: np.ndarray) -> np.ndarray:
    """Normalise log10 scores into probabilities that sum to one."""
    shifted = np.power(10.0, scores - scores.max())
    return shifted / shifted.sum()


def _entropy(weights: np.ndarray) -> np.ndarray:
    """Entropy in bits of each row of non-negative weights, after normalising the row."""
    total = weights.sum(axis=1, keepdims=True)
    p = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    logs = np.log2(p, out=np.zeros_like(p), where=p > 0)
    return -(p * logs).sum(axis=1)


def _segment_max(values: np.ndarray, owner: np.ndarray, n: int, fill: float) -> np.ndarray:
    """Row-wise maximum of `values` per owner (owners sorted ascending); `fill` where none."""
    out = np.full((n, values.shape[1]), fill)
    if len(owner) == 0:
        return out
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    out[owner[starts]] = np.maximum(np.maximum.reduceat(values, starts, axis=0), fill)
    return out


def _dense(
    blocks: list[tuple[np.ndarray, sparse.csc_matrix]], local: np.ndarray, rows: int, k: int
) -> np.ndarray:
    """The relevant terms' rows of one matrix part over the top columns, as a dense array."""
    dense = np.zeros((rows, k))
    for positions, block in blocks:
        term = block.indices
        column = np.repeat(positions, np.diff(block.indptr))
        keep = local[term] >= 0
        dense[local[term[keep]], column[keep]] = block.data[keep]
    return dense


# --- wording ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    """The question templates and word lists of `data/question_templates.json`."""
    text = resources.files("dxatlas.rank").joinpath("data/question_templates.json").read_text()
    return json.loads(text)


def plain_phrase(onto: Ontology, term: int) -> str:
    """The finding in plain words: its first usable EXACT layperson synonym, else its label."""
    unusable = set(templates()["unusable_first_words"])
    for synonym in onto.synonyms[term]:
        words = synonym.text.split()
        if (
            synonym.kind == "layperson"
            and synonym.scope == "EXACT"
            and words
            and words[0].lower() not in unusable
        ):
            return _lower(synonym.text)
    return _lower(onto.labels[term])


def question_text(onto: Ontology, term: int) -> str:
    """A yes/no question about the finding ("Do you have a low neutrophil count?")."""
    words = templates()
    phrase = plain_phrase(onto, term)
    head, comma, tail = phrase.partition(", ")
    if comma and len(tail.split()) == 1 and "," not in head:
        phrase = f"{tail} {head}"  # "sweating, decreased" -> "decreased sweating"
    parts = phrase.split()
    last = parts[-1] if parts else ""
    if len(parts) <= 2 and (
        last in words["adjective_words"]
        or (
            last.endswith(tuple(words["adjective_suffixes"]))
            and last.split("-")[-1] not in words["not_adjectives"]
        )
    ):
        return words["adjective"].format(x=phrase)
    if (last in words["count_nouns"] and parts[0] not in words["determiners"]) or (
        parts and parts[0] in words["count_first_words"]
    ):
        article = "an" if phrase[0] in words["an_before"] else "a"
        return words["count_noun"].format(x=phrase, article=article)
    return words["noun"].format(x=phrase)


_WORD = re.compile(r"[^\s\-/]+")


def _lower(text: str) -> str:
    """Lower-case a name for use inside a sentence, keeping acronyms (IgA, HIV, B) as written."""

    def one(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) == 1 or any(ch.isupper() for ch in word[1:]):
            return word
        return word.lower()

    return _WORD.sub(one, " ".join(text.split()))
