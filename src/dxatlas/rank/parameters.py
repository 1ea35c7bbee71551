"""Every parameter of the ranking model, in one place, with the reason for its value.

The model is a likelihood-ratio (naive Bayes) ranking in the style of LIRICAL: each finding
multiplies a disease's odds by P(finding | disease) / P(finding | any disease). The values here
were set from the meaning of the HPO annotation data, then checked on a benchmark split (see
docs/model.md); none is fitted to individual benchmark cases.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ModelParameters:
    """Parameters of `PhenotypeModel`; the defaults are the shipped model."""

    default_frequency: float = 0.5
    """Frequency assumed for an annotation that gives none (most OMIM-derived annotations)."""

    count_pseudo: float = 1.0
    """Pseudo-count added to n and to m-n of an n/m frequency (Laplace): 1/1 reads as 2/3, 9/10 as 10/12."""

    max_frequency: float = 0.95
    """Cap on any frequency, so one excluded finding can never rule a disease out completely."""

    background_pseudo: float = 1.0
    """Pseudo-count of diseases in the background rate of a finding (no finding is ever rate 0)."""

    inexact_weight: float = 0.05
    """Discount of a match through a shared ancestor when the disease is annotated on another branch
    (a sibling of the patient's finding), against a match on the finding or an annotated ancestor."""

    unexplained_lr: float = 0.1
    """Likelihood ratio floor of a finding the disease does not explain: patients often carry findings
    unrelated to their disease, so one such finding must not wipe out the right diagnosis."""

    max_lr: float = 5000.0
    """Cap on one finding's likelihood ratio, so one rare coincidence cannot decide a ranking alone."""

    not_annotation_lr: float = 0.05
    """Likelihood ratio of a present finding that the disease is annotated NOT to have."""

    excluded_floor: float = 0.05
    """Floor on P(finding absent | disease) for an excluded finding (annotations are noisy)."""

    excluded_weight: float = 0.1
    """Exponent tempering the likelihood ratio of an excluded finding. Features reported absent in
    one patient are often annotated for the disease from other patients (incomplete penetrance),
    and are correlated with each other, so they count as weaker evidence than present ones."""

    literature_pseudo: float = 1.0
    """Pseudo-count of a literature finding's frequency: asserted by n sources reads as n/(n+1)."""

    rare_prevalence: float = 1e-5
    """Prior prevalence of a curated disease the literature says nothing about: the HPO annotates
    rare diseases (fewer than 1 in 2,000 people by the European definition; most far rarer)."""

    unknown_prevalence: float = 1e-3
    """Prior prevalence of a literature concept whose sentences state none and whose pages are
    not all from rare-disease sites (those take `rare_prevalence`): the diseases of general
    health sites (MedlinePlus topics, NIH institutes, CDC) run from rare neurological disorders
    (1e-5) to the common cold (1e-1); 1e-3 is their geometric middle, a hundred times a rare
    disease's prior before tempering and well below a common disease's."""

    complaint_max_share: float = 0.1
    """A disorder named for a complaint ("Constipation", "Sore Throat") whose pages state no
    prevalence takes the complaint's share of consulting patients (`rank.background`) as its
    prevalence, unless the share is above this: pain, in a fifth of all consultations, is too
    broad to be anybody's diagnosis."""

    literature_unexplained_lr: float = 0.3
    """As `unexplained_lr`, for a literature concept: a health page names a disease's main
    symptoms only, so a finding it does not name is weaker evidence against the disease."""

    literature_complete_findings: int = 12
    """A literature concept (not merged into a curated disease) whose pages name fewer findings
    than this has its unexplained floor raised in proportion: `literature_unexplained_lr` times
    this over the number it names, at most 1. A page that names four symptoms of the common
    cold says little against a fifth; one that names twenty says more. Merged concepts keep
    `literature_unexplained_lr`, so the curated path is unchanged."""

    history_weight: float = 0.5
    """Exponent on the likelihood ratio of a finding of the patient's past or background history
    ("with a history of gout"), counted only where above 1: a chronic condition is a weaker clue
    to the illness at hand than a presenting finding (conditions co-occur for many reasons), and
    one a disease does not explain is no evidence against it."""

    prior_exponent: float = 0.6
    """Power a prevalence is raised to in the prior (1: the prevalence itself). Below 1 it tempers
    the prior: stated prevalences are rough, and a case seen by a clinic is not drawn from the
    population at large."""

    risk_factor_frequency: float = 0.3
    """How often the patients of a disease whose pages or imported tables name a risk factor
    have it (smoking, a recent operation, travel abroad: `dxatlas.kb.risk_factors`). A patient's
    risk factor multiplies such a disease's odds by this over the factor's `share` of consulting
    patients (`kb/data/risk_factors.json`), and never lowers them: travel abroad (2% of
    consulting patients) says 15 times, smoking (15%) twice. A concept that names none is not
    thereby less likely (pages name few), and a risk factor the patient denies changes nothing."""

    age_band_mismatch_lr: float = 0.3
    """Likelihood ratio of a literature concept when the patient's age lies outside the ages its
    sentences say it affects ("most common in children")."""

    age_band_tolerance_years: float = 2.0
    """Slack on an age band's edges (ages in such sentences are round numbers)."""

    sex_mismatch_lr: float = 0.01
    """Likelihood ratio of a literature concept whose name names a disease of one sex
    (`data/sex_specific_words.json`: prostate, ovarian, pregnancy ...) for a patient of the
    other sex: all but impossible, yet not zero, since a name can mislead."""

    onset_mismatch_lr: float = 0.2
    """Likelihood ratio when the patient is younger than the disease's earliest onset."""

    onset_tolerance_years: float = 1.0
    """Slack on the onset comparison: onset classes have soft edges and ages are often rounded."""

    def annotation_frequency(self, fraction: float, n: int, m: int) -> float:
        """The model's frequency for one annotation from its fraction (NaN when not given) and n/m."""
        if m > 0:
            value = (n + self.count_pseudo) / (m + 2 * self.count_pseudo)
        elif fraction != fraction:  # NaN: no frequency given
            value = self.default_frequency
        else:
            value = fraction
        return min(value, self.max_frequency)
