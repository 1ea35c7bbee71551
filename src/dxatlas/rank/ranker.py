"""`Ranker`: scores every disease for a case and explains the top of the ranking."""

from __future__ import annotations

import numpy as np

from dxatlas.kb.knowledge import SEX_ANY, KnowledgeBase
from dxatlas.kb.risk_factors import load_risk_vocabulary
from dxatlas.rank.background import patient_background
from dxatlas.rank.case import Case
from dxatlas.rank.differential import Candidate, Contribution, Differential
from dxatlas.rank.finding_links import FindingAncestors
from dxatlas.rank.literature import LiteratureConcept, LiteratureModel, risk_factor_lrs
from dxatlas.rank.model import PhenotypeModel, TermDiseaseMatrices
from dxatlas.rank.parameters import ModelParameters
from dxatlas.rank.vital_signs import load_vital_signs

EXPLAINED_DEFAULT = 10


class Ranker:
    """Ranks diseases for cases with a `PhenotypeModel` built once."""

    def __init__(
        self,
        kb: KnowledgeBase,
        parameters: ModelParameters | None = None,
        *,
        model: PhenotypeModel | None = None,
        literature: LiteratureModel | None = None,
    ) -> None:
        self.kb = kb
        self.model = model or PhenotypeModel.build(kb, parameters)
        self.params = self.model.parameters
        self.literature = literature if literature is not None and len(literature) else None
        self.finding_ancestors = FindingAncestors(kb.ontology)
        # With common diseases in the differential, a finding's background is its share among
        # everyone who consults, not among rare diseases (see rank.background).
        self.background = (
            patient_background(kb.ontology, self.model.background)
            if self.literature is not None
            else self.model.background
        )
        # An ancestor whose shared-ancestor ratio cannot rise above the unexplained floor even
        # for a disease certain to show it (p = 1) is skipped: same result, less work.
        self._inexact_useful = (
            self.params.inexact_weight / self.background > self.params.unexplained_lr
        )
        # Measured signs (a fast pulse, fast breathing, low oxygen, low pressure: what a case
        # gives as numbers) that health pages seldom list: a literature concept whose page does
        # not name one is not thereby less likely. Fever, which pages do list, is not one.
        onto = kb.ontology
        self._risk_lrs = risk_factor_lrs(load_risk_vocabulary().shares, self.params)
        self._unlisted_signs = frozenset(
            onto.index[term]
            for sign in load_vital_signs()
            for term in (sign.above_finding, sign.below_finding)
            if term is not None and term in onto.index and sign.fever_celsius is None
        )

    # --- scoring -----------------------------------------------------------------------------

    def _present_lr(
        self, mats: TermDiseaseMatrices, term: int, floor: float | None = None
    ) -> np.ndarray:
        """LR of a present finding for each disease column of `mats` (`floor`: the LR of a
        finding the column does not explain, `unexplained_lr` unless given)."""
        params, background = self.params, self.background
        lr = np.full(len(mats.columns), params.unexplained_lr if floor is None else floor)
        ancestors = self.finding_ancestors(term)
        for ancestor in ancestors:
            if ancestor == term:
                continue
            if self._inexact_useful[ancestor]:
                idx, p = mats.row(mats.propagated, ancestor)
                if len(idx):
                    lr[idx] = np.maximum(lr[idx], params.inexact_weight * p / background[ancestor])
            idx, f = mats.row(mats.direct, ancestor)
            if len(idx):
                lr[idx] = np.maximum(lr[idx], f / background[ancestor])
        idx, p = mats.row(mats.propagated, term)
        if len(idx):
            lr[idx] = np.maximum(lr[idx], p / background[term])
        for narrower in self.finding_ancestors.linked_below(term):
            idx, p = mats.row(mats.propagated, narrower)
            if len(idx):
                lr[idx] = np.maximum(lr[idx], p / background[term])
        np.minimum(lr, params.max_lr, out=lr)
        for ancestor in ancestors:
            idx, _ = mats.row(mats.negated, ancestor)
            if len(idx):
                lr[idx] = params.not_annotation_lr
        return lr

    def _excluded_lr(self, mats: TermDiseaseMatrices, term: int) -> np.ndarray:
        """LR of an excluded finding for each disease column of `mats`."""
        params = self.params
        absent_background = max(1.0 - self.background[term], params.excluded_floor)
        # A disease with no annotation at or below the term is not thereby known to lack it
        # (annotations are incomplete): it keeps the background rate, a ratio of 1.
        absent = np.full(len(mats.columns), absent_background)
        # The strongest single annotation at or below the term, not their noisy-OR: a disease
        # annotated with many subtypes of a finding is not thereby sure to show one of them.
        idx, p = mats.row(mats.strongest, term)
        if len(idx):
            absent[idx] = np.maximum(1.0 - p, params.excluded_floor)
        known = np.zeros(len(absent), dtype=bool)
        known[idx] = True
        for narrower in self.finding_ancestors.linked_below(term):  # the links count too
            idx, p = mats.row(mats.strongest, narrower)
            if len(idx):
                value = np.maximum(1.0 - p, params.excluded_floor)
                absent[idx] = np.where(known[idx], np.minimum(absent[idx], value), value)
                known[idx] = True
        for ancestor in self.kb.ontology.ancestors_of(term):
            idx, _ = mats.row(mats.negated, ancestor)
            if len(idx):
                absent[idx] = 1.0
        return np.power(absent / absent_background, params.excluded_weight)

    def finding_lrs(self, case: Case) -> tuple[list[tuple[int, str]], np.ndarray]:
        """The findings that count (most specific present, most general excluded) and their LRs.

        Returns the (term index, status) list and an F x (D + L) matrix of likelihood ratios:
        the D curated diseases, then the L literature concepts.
        """
        findings = self.effective_findings(case)
        n = self.kb.n_diseases
        sex_mats = self.model.by_sex.get(case.sex) if case.sex != SEX_ANY else None
        literature = self.literature.view(case.age_years)[0] if self.literature else None
        lrs = np.empty((len(findings), n + (len(literature.columns) if literature else 0)))
        for row, (term, status) in enumerate(findings):
            compute = self._excluded_lr if status == "excluded" else self._present_lr
            lrs[row, :n] = compute(self.model.all_sexes, term)
            if sex_mats is not None and len(sex_mats.columns):
                lrs[row, sex_mats.columns] = compute(sex_mats, term)
            if literature is not None and status != "excluded":
                lrs[row, n:] = self._present_lr(literature, term, self._floor_of(term))
            elif literature is not None:
                lrs[row, n:] = compute(literature, term)
            if status == "history":
                # A past or background condition supports a disease that explains it, tempered
                # (`history_weight`); one that does not explain it is not thereby less likely.
                lrs[row] = np.power(np.maximum(lrs[row], 1.0), self.params.history_weight)
        if self.literature is not None:
            floors = self.literature_floors(findings, lrs)
            raised = self.literature.unexplained_lr
            for row, (term, status) in enumerate(findings):
                if status == "present" and term not in self._unlisted_signs:
                    part = lrs[row, n:]
                    at_floor = part == raised
                    part[at_floor] = floors[at_floor]
        return findings, lrs

    def _floor_of(self, term: int) -> np.ndarray | float:
        """The literature columns' ratio for present `term` when they do not name it."""
        assert self.literature is not None
        return 1.0 if term in self._unlisted_signs else self.literature.unexplained_lr

    def literature_floors(self, findings: list[tuple[int, str]], lrs: np.ndarray) -> np.ndarray:
        """Per literature column, the ratio of a present finding it does not name in this case.

        A page's silence says little when the page names few findings (its raised floor,
        `LiteratureModel.unexplained_lr`), but a concept that explains none of the present
        findings has nothing in its favour: its floor is then the ordinary one, so a thin page
        never rises on its prior alone.
        """
        assert self.literature is not None
        n = self.kb.n_diseases
        raised = self.literature.unexplained_lr
        explains = np.zeros(len(raised), dtype=bool)
        for row, (term, status) in enumerate(findings):
            if status == "present":
                explains |= lrs[row, n:] > self._floor_of(term)
        return np.where(explains, raised, np.minimum(raised, self.literature.base_unexplained_lr))

    def merged(self, findings: list[tuple[int, str]], lrs: np.ndarray) -> np.ndarray:
        """The LRs with each merged literature concept folded into its curated disease: a
        present finding counts with the stronger of the two ratios (the literature may know a
        finding the annotations lack); an excluded one keeps the curated ratio."""
        literature = self.literature
        if literature is None or not len(literature.merged_columns):
            return lrs
        out = lrs.copy()
        n = self.kb.n_diseases
        targets, columns = literature.merged_diseases, literature.merged_columns + n
        for row, (_, status) in enumerate(findings):
            if status != "excluded":
                np.maximum.at(out[row], targets, lrs[row, columns])
        return out

    def effective_findings(self, case: Case) -> list[tuple[int, str]]:
        """Drop a present finding implied by a more specific present one (through the ontology
        or a finding link: pharyngitis implies a sore throat), and an excluded finding implied by
        a more general excluded one: each piece of evidence counts once."""
        onto = self.kb.ontology
        present = [onto.index[t] for t in case.present]
        excluded = [onto.index[t] for t in case.excluded]
        implied_present: set[int] = set()
        for term in present:
            implied_present.update(int(a) for a in self.finding_ancestors(term) if a != term)
        kept = [(t, "present") for t in present if t not in implied_present]
        history = [onto.index[t] for t in case.history]
        kept += [(t, "history") for t in history if t not in implied_present]
        excluded_set = set(excluded)
        for term in excluded:
            if any(int(a) in excluded_set and a != term for a in onto.ancestors_of(term)):
                continue
            kept.append((term, "excluded"))
        return kept

    def onset_lr(self, case: Case) -> np.ndarray:
        """LR per disease from the patient's age against each disease's earliest onset."""
        lr = np.ones(self.kb.n_diseases)
        if case.age_years is None:
            return lr
        too_young = self.model.earliest_onset - self.params.onset_tolerance_years > case.age_years
        lr[too_young] = self.params.onset_mismatch_lr
        return lr

    def scores(self, case: Case) -> np.ndarray:
        """log10 posterior numerator per disease: log prior + sum of log10 likelihood ratios."""
        return self.scores_of(case, *self.finding_lrs(case))

    def scores_of(self, case: Case, findings: list[tuple[int, str]], lrs: np.ndarray) -> np.ndarray:
        """`scores` from the case's finding ratios (`finding_lrs`), for a caller that needs the
        ratios too."""
        return self._combine(case, self.merged(findings, lrs))

    def _combine(self, case: Case, lrs: np.ndarray) -> np.ndarray:
        literature = self.literature
        if literature is None:
            total = self.model.log_prior + np.log10(self.onset_lr(case))
        else:
            # With literature knowledge, priors come from prevalence (see rank.literature);
            # literature concepts have no onset annotations, but may have an age band.
            curated_sex, extra_sex = self.sex_lr(case)
            curated = literature.curated_log_prior + np.log10(self.onset_lr(case) * curated_sex)
            extra = literature.log_prior + np.log10(self.age_band_lr(case) * extra_sex)
            total = np.concatenate([curated, extra])
            if case.risk_factors:
                total = total + np.log10(self.risk_lr(case))
        if len(lrs):
            total = total + np.log10(lrs).sum(axis=0)
        return total

    def risk_lr(self, case: Case) -> np.ndarray:
        """LR per curated disease and literature concept (D + L) from the patient's risk factors
        (see `risk_factor_lrs`, for each one a concept's pages or tables name)."""
        assert self.literature is not None
        return self.literature.risk_lr(self.kb.n_diseases, case.risk_factors, self._risk_lrs)

    def sex_lr(self, case: Case) -> tuple[np.ndarray, np.ndarray]:
        """LR per curated disease and per literature concept from the patient's sex against the
        one sex a concept's name says it affects ("Prostate Cancer", "Vaginal Yeast Infection");
        1 where either is unknown."""
        assert self.literature is not None
        literature = self.literature
        curated = np.ones(self.kb.n_diseases)
        extra = np.ones(len(literature))
        if case.sex == SEX_ANY or literature.sex is None or literature.curated_sex is None:
            return curated, extra
        mismatch = self.params.sex_mismatch_lr
        curated[(literature.curated_sex != SEX_ANY) & (literature.curated_sex != case.sex)] = (
            mismatch
        )
        extra[(literature.sex != SEX_ANY) & (literature.sex != case.sex)] = mismatch
        return curated, extra

    def age_band_lr(self, case: Case) -> np.ndarray:
        """LR per literature concept from the patient's age against the ages its sentences
        say it affects (1 when either is unknown)."""
        assert self.literature is not None
        lr = np.ones(len(self.literature))
        if case.age_years is None:
            return lr
        slack = self.params.age_band_tolerance_years
        low, high = self.literature.age_low, self.literature.age_high
        with np.errstate(invalid="ignore"):
            outside = (case.age_years < low - slack) | (case.age_years > high + slack)
        lr[outside] = self.params.age_band_mismatch_lr
        return lr

    # --- ranking and explanation -------------------------------------------------------------

    def rank(self, case: Case, top: int = EXPLAINED_DEFAULT) -> Differential:
        """Rank every disease; explain the `top` best. Entries that name the same disease in two
        sources (an OMIM and an ORPHA id) form one row: its probability is the sum of theirs,
        rows are ordered by that probability, and the best-scoring entry explains the row."""
        findings, unmerged = self.finding_lrs(case)
        lrs = self.merged(findings, unmerged)
        scores = self._combine(case, lrs)
        probabilities = _softmax10(scores)
        rows = self._row_probabilities(probabilities)
        model, n = self.model, self.kb.n_diseases
        onset = self.onset_lr(case)
        candidates: list[Candidate] = []
        seen: set[int] = set()
        for d in _top_rows(rows, scores, min(len(scores), top * 3 + 10)):
            if d >= n:
                if not np.isfinite(scores[d]):
                    continue  # a concept merged into its curated disease ranks as that disease
                candidates.append(
                    self._literature_candidate(
                        len(candidates) + 1, int(d), findings, lrs, scores, probabilities, case
                    )
                )
                if len(candidates) == top:
                    break
                continue
            group = int(model.group[d])
            if group in seen:
                continue
            seen.add(group)
            members = model.members(group)
            best = int(members[np.argmax(scores[members])])
            candidates.append(
                self._curated_candidate(
                    len(candidates) + 1,
                    best,
                    members,
                    findings,
                    unmerged,
                    scores,
                    rows,
                    case,
                    float(onset[best]),
                )
            )
            if len(candidates) == top:
                break
        n_ranked = model.n_groups + (len(self.literature) if self.literature else 0)
        return Differential(tuple(candidates), n_ranked, self.kb.version)

    def _curated_candidate(
        self,
        rank: int,
        best: int,
        members: np.ndarray,
        findings: list[tuple[int, str]],
        unmerged: np.ndarray,
        scores: np.ndarray,
        rows: np.ndarray,
        case: Case,
        onset_lr: float,
    ) -> Candidate:
        """A curated disease's row: explained by its annotations, and by its merged literature
        concept for each present finding where the literature's ratio is the stronger."""
        contributions = list(self._explain(best, findings, unmerged[:, best], case))
        source, synonyms = "curated", ()
        risk_factors: tuple[tuple[str, str, float], ...] = ()
        column = self.literature.merged_into(best) if self.literature is not None else None
        if column is not None:
            assert self.literature is not None
            source = "both"
            concept = self.literature.concepts[column]
            risk_factors = self._risk_factors_of(concept, case)
            synonyms = tuple(
                s for s in (concept.name, *concept.synonyms) if s != self.kb.disease_names[best]
            )
            known = self.literature.view(case.age_years)[1][column]
            lit = unmerged[:, self.kb.n_diseases + column]
            for i, (term, status) in enumerate(findings):
                if status != "excluded" and lit[i] > unmerged[i, best]:
                    contributions[i] = _explain_literature(
                        self.kb,
                        known,
                        term,
                        status,
                        float(lit[i]),
                        self.finding_ancestors,
                        self.background,
                    )
        return Candidate(
            rank=rank,
            index=best,
            id=self.kb.disease_ids[best],
            name=self.kb.disease_names[best],
            score=float(scores[best]),
            probability=float(rows[best]),
            contributions=tuple(contributions),
            onset_lr=onset_lr,
            synonyms=tuple(dict.fromkeys(synonyms)),
            source=source,
            xrefs=tuple(self.kb.disease_ids[m] for m in members if m != best),
            risk_factors=risk_factors,
        )

    def _row_probabilities(self, probabilities: np.ndarray) -> np.ndarray:
        """Each entry's row probability: the sum over its same-name group for curated entries,
        its own for literature concepts."""
        n = self.kb.n_diseases
        group_total = np.zeros(n)
        np.add.at(group_total, self.model.group, probabilities[:n])
        rows = probabilities.copy()
        rows[:n] = group_total[self.model.group]
        return rows

    def _literature_candidate(
        self,
        rank: int,
        column: int,
        findings: list[tuple[int, str]],
        lrs: np.ndarray,
        scores: np.ndarray,
        probabilities: np.ndarray,
        case: Case,
    ) -> Candidate:
        assert self.literature is not None
        index = column - self.kb.n_diseases
        concept = self.literature.concepts[index]
        known = self.literature.view(case.age_years)[1][index]
        return Candidate(
            rank=rank,
            index=column,
            id=concept.id,
            name=concept.name,
            score=float(scores[column]),
            probability=float(probabilities[column]),
            contributions=tuple(
                _explain_literature(
                    self.kb, known, term, status, float(lr), self.finding_ancestors, self.background
                )
                for (term, status), lr in zip(findings, lrs[:, column], strict=True)
            ),
            synonyms=concept.synonyms,
            source="literature",
            risk_factors=self._risk_factors_of(concept, case),
        )

    def _risk_factors_of(
        self, concept: LiteratureConcept, case: Case
    ) -> tuple[tuple[str, str, float], ...]:
        """The patient's risk factors that a concept names, with their likelihood ratio."""
        labels = load_risk_vocabulary().labels
        return tuple(
            (f, labels[f], self._risk_lrs[f])
            for f in case.risk_factors
            if f in concept.risk_factors
        )

    def rank_position(self, scores: np.ndarray, disease: int) -> int:
        """The 1-based rank of a curated disease's row, as `rank` orders rows (ties count
        against it). A row whose probability underflows to 0 is placed by its best score."""
        n = self.kb.n_diseases
        group = self.model.group
        probabilities = _softmax10(scores)
        group_total = np.zeros(n)
        np.add.at(group_total, group, probabilities[:n])
        target = group_total[group[disease]]
        if target > 0:
            return int(np.sum(group_total >= target) + np.sum(probabilities[n:] >= target))
        group_best = np.full(n, -np.inf)
        np.maximum.at(group_best, group, scores[:n])
        best = group_best[group[disease]]
        return int(np.sum(group_best >= best) + np.sum(scores[n:] >= best))

    def _explain(
        self, disease: int, findings: list[tuple[int, str]], lrs: np.ndarray, case: Case
    ) -> tuple[Contribution, ...]:
        explainer = _DiseaseExplainer(self, disease, case.sex)
        return tuple(
            explainer.explain(term, status, float(lr))
            for (term, status), lr in zip(findings, lrs, strict=True)
        )


class _DiseaseExplainer:
    """Names the annotation behind each finding's LR for one disease (mirrors `Ranker`'s rules)."""

    def __init__(self, ranker: Ranker, disease: int, sex: int) -> None:
        self.kb = ranker.kb
        self.ancestors_of = ranker.finding_ancestors
        self.floor = ranker.params.unexplained_lr
        self.background = ranker.background
        self.default_frequency = ranker.params.default_frequency
        self.negative = ranker.model.negative_rows
        table = self.kb.annotations
        rows = table.rows_of(disease)
        keep = (table.aspect[rows] == ord("P")) & (
            (table.sex[rows] == SEX_ANY) | (table.sex[rows] == sex)
        )
        self.at: dict[int, list[int]] = {}  # term -> rows annotated exactly on it
        for row in rows[keep].tolist():
            self.at.setdefault(int(table.term[row]), []).append(row)
        # Every (ancestor-or-self term, positive row) pair, sorted by term: the rows at or below
        # a finding are then one binary search away.
        positive = np.array(
            [row for row in rows[keep].tolist() if not self.negative[row]], dtype=np.int64
        )
        terms = table.term[positive]
        pairs = [self.ancestors_of(int(term)) for term in terms.tolist()]  # HPO and links
        flat = np.concatenate(pairs) if pairs else np.zeros(0, dtype=np.int32)
        owner = np.repeat(positive, [len(pair) for pair in pairs]).astype(np.int64)
        order = np.argsort(flat, kind="stable")
        self._ancestor_terms = flat[order]
        self._ancestor_rows = owner[order]

    def under(self, term: int) -> list[int]:
        """Positive rows annotated at or below `term`."""
        lo = self._ancestor_terms.searchsorted(term)
        hi = self._ancestor_terms.searchsorted(term, side="right")
        return self._ancestor_rows[lo:hi].tolist()

    def explain(self, term: int, status: str, lr: float) -> Contribution:
        ancestors = self.ancestors_of(term).tolist()
        above = [row for a in ancestors for row in self.at.get(a, [])]  # on the term or above
        negative = [row for row in above if self.negative[row]]
        below = self.under(term)
        if negative:
            return self._make(term, status, "not-annotated", lr, negative[0])
        if status == "excluded":
            if below:
                return self._make(term, status, "absent-expected", lr, self._best(below, term))
            return self._make(term, status, "absent-ok", lr, None)
        if below:
            return self._make(term, status, "exact", lr, self._best(below, term))
        positive_above = [row for row in above if not self.negative[row]]
        if positive_above:
            return self._make(
                term, status, "annotated-ancestor", lr, self._strongest_above(positive_above)
            )
        if lr > self.floor:
            shared = self._shared(term, ancestors)
            if shared is not None:
                return self._make(term, status, "shared-ancestor", lr, shared)
        return self._make(term, status, "unexplained", lr, None)

    def _shared(self, term: int, ancestors: list[int]) -> int | None:
        """The annotation under the most specific ancestor the finding shares with the disease."""
        ic = self.kb.information_content
        for ancestor in sorted(ancestors, key=lambda a: -float(ic[a])):
            if ancestor != term and ic[ancestor] > 0:
                rows = self.under(ancestor)
                if rows:
                    return self._best(rows, term)
        return None

    def _strongest_above(self, rows: list[int]) -> int:
        """The annotation above a finding that gives its ratio: the largest frequency over the
        annotated term's background rate (the ranker's rule), not merely the largest frequency."""
        table = self.kb.annotations

        def ratio(row: int) -> float:
            fraction = float(table.fraction[row])
            frequency = self.default_frequency if np.isnan(fraction) else fraction
            return frequency / float(self.background[int(table.term[row])])

        return max(rows, key=ratio)

    def _best(self, rows: list[int], term: int) -> int:
        fractions = self.kb.annotations.fraction
        return max(rows, key=lambda r: 0.0 if np.isnan(fractions[r]) else float(fractions[r]))

    def _make(self, term: int, status: str, match: str, lr: float, row: int | None) -> Contribution:
        table = self.kb.annotations
        if row is None:
            return _contribution(self.kb, term, status, match, lr)
        parsed = table.frequency(int(row))
        return _contribution(
            self.kb,
            term,
            status,
            match,
            lr,
            int(table.term[row]),
            parsed.label() if parsed else None,
        )


def _contribution(
    kb: KnowledgeBase,
    term: int,
    status: str,
    match: str,
    lr: float,
    annotated: int | None = None,
    frequency: str | None = None,
    source: str = "curated",
) -> Contribution:
    """One finding's effect on one candidate, with the annotated term behind it (if any)."""
    onto = kb.ontology
    return Contribution(
        finding_id=onto.ids[term],
        finding_label=onto.labels[term],
        status=status,
        match=match,
        likelihood_ratio=lr,
        annotation_id=onto.ids[annotated] if annotated is not None else None,
        annotation_label=onto.labels[annotated] if annotated is not None else None,
        frequency=frequency,
        source=source,
    )


def _explain_literature(
    kb: KnowledgeBase,
    known: dict[int, tuple[str, int, float]],
    term: int,
    status: str,
    lr: float,
    ancestors_of: FindingAncestors,
    background: np.ndarray,
) -> Contribution:
    """Which literature finding lies behind a finding's LR for a literature concept (above the
    finding: the one whose share over its background rate gives the ratio, as the ranker
    reckons it; at or below: the one most sources assert)."""
    ancestors = set(ancestors_of(term).tolist())
    below = [t for t in known if term in set(ancestors_of(t).tolist())]
    above = [t for t in known if t in ancestors]
    if below:
        match, chosen = ("absent-expected" if status == "excluded" else "exact"), below
    elif above and status != "excluded":
        match, chosen = "annotated-ancestor", above
    else:
        match = "absent-ok" if status == "excluded" else "unexplained"
        chosen = []
    if not chosen:
        return _contribution(kb, term, status, match, lr, source="literature")
    if match == "annotated-ancestor":
        best = max(chosen, key=lambda t: known[t][2] / float(background[t]))
    else:
        best = max(chosen, key=lambda t: known[t][1])
    _, sources, share = known[best]
    frequency = f"{sources} source(s), ~{share:.0%}"
    return _contribution(kb, term, status, match, lr, best, frequency, "literature")


def _softmax10(scores: np.ndarray) -> np.ndarray:
    """Normalise log10 scores into probabilities that sum to one."""
    shifted = np.power(10.0, scores - scores.max())
    return shifted / shifted.sum()


def _top_rows(rows: np.ndarray, scores: np.ndarray, top: int) -> np.ndarray:
    """Indices of the `top` highest row probabilities, best first; ties by score, then index."""
    top = min(top, len(rows))
    part = np.argpartition(-rows, top - 1)[:top]
    return part[np.lexsort((part, -scores[part], -rows[part]))]
