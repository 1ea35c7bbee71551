"""Off-topic sentences (page furniture, other diseases), on sentences written for these tests."""

from __future__ import annotations

import json
import time
from importlib import resources

import pytest

from dxatlas.evidence.relevance import (
    Reason,
    judge_sentence,
    judge_topic,
    load_rules,
    names_concept,
    parse_rules,
)

REFERENCES = [
    "Garcia M, Olsen T. Nodular skin infiltrates in infancy. Pediatr Dermatol. 2015;32(4):501-7.",
    "[7] Kim H, Patel R, Novak J. Cutaneous relapse after transplant. Br J Haematol 2008; 140: 44-51.",
    "14. Ruiz A, Chen L. Marrow findings in skin leukemia. Am J Clin Pathol 1999;112(2):210-8.",
    "doi:10.1111/bjd.12345",
    "Available from: https://doi.org/10.1000/xyz123",
    "PMID: 23456789",
    "Lindqvist P, Moreau S, Abe K.",
    "2011;64(1):17-25.",
    "Haematologica 2003 Jun;88(6):689-95.",
    "Tanaka Y, et al. (2012) Skin involvement in myeloid leukemia.",
]

NOT_REFERENCES = [
    "In 2010, the incidence rose to 4.2 cases per 100,000 people.",
    "The platelet count was 32.5 x 10^9/L and the hemoglobin 8.1 g/dL.",
    "Ortega et al. described 14 patients with the same skin lesions.",
    "Skin lesions precede the marrow disease in about 7% of cases [3].",
    "The tumor measured 2.5 cm in 2019 and 3.1 cm in 2021.",
]


@pytest.mark.parametrize("sentence", REFERENCES)
def test_reference_entries(sentence: str) -> None:
    verdict = judge_sentence(sentence)
    assert verdict.reason is Reason.REFERENCE, verdict
    assert not verdict.keep and verdict.off_topic and verdict.score >= 2.0


@pytest.mark.parametrize("sentence", NOT_REFERENCES)
def test_years_decimals_and_in_text_citations_are_not_references(sentence: str) -> None:
    verdict = judge_sentence(sentence)
    assert verdict.keep, verdict


BOILERPLATE = [
    "Copyright © 2020 Elsevier Inc.",
    "© 2019 The Authors. Published by a medical society.",
    "All rights reserved.",
    "Received: 12 January 2021; Accepted: 3 April 2021.",
    "Corresponding author: Dr. Ana Silva, Department of Pathology.",
    "E-mail: someone@example.org",
    "This article is distributed under the terms of the Creative Commons Attribution 4.0 License.",
    "Click here to download the patient leaflet.",
    "Read more about how skin biopsies are done.",
    "Read on to find out what causes this rash.",
    "Find out which tests your doctor may order.",
    "Medically reviewed by Jordan Lee, MD, on March 3, 2022.",
    "Last updated: 14 February 2023.",
    "Share on Pinterest",
    "We use cookies to give you the best experience on our website.",
    "By continuing to use this site you agree to our cookie policy.",
    "The authors declare no conflicts of interest.",
    "Keywords: leukemia cutis, infant, skin biopsy.",
    "This information is not intended as a substitute for medical advice from your doctor.",
    "NIH: National Institute of Allergy and Infectious Diseases",
    "The mission of the National Institute of Neurological Disorders and Stroke (NINDS) is to "
    "seek fundamental knowledge about the brain and nervous system.",
]


@pytest.mark.parametrize("sentence", BOILERPLATE)
def test_boilerplate(sentence: str) -> None:
    verdict = judge_sentence(sentence)
    assert verdict.reason in (Reason.BOILERPLATE, Reason.AFFILIATION), verdict
    assert verdict.cues


@pytest.mark.parametrize(
    "sentence",
    [
        "Department of Dermatology, University Hospital of Rabat, Morocco.",
        "Division of Hematology, Children's Hospital, Boston, USA.",
        "2 Institute of Pathology, University of Graz, Austria.",
        "Saint Mary University Hospital, Lyon, France.",
    ],
)
def test_author_affiliations(sentence: str) -> None:
    assert judge_sentence(sentence).reason is Reason.AFFILIATION


@pytest.mark.parametrize(
    "sentence",
    [
        "Figure 1. Violaceous nodules on the back of an infant.",
        "Figure 3: Dense infiltrate of atypical cells in the dermis (x400).",
        "Fig. 2b: Biopsy of a nodule from the thigh.",
        "Figure2a: Purpuric papules on the sole.",
        "Table 2 Reported cases of congenital skin infiltrates",
        "Table 1.",
        "Supplementary Table 3: Laboratory values at admission.",
        "A raised red plaque on the forearm is shown.",
        "Photograph courtesy of a dermatology atlas.",
        "Image credit: a stock photo agency.",
    ],
)
def test_captions_and_image_credits(sentence: str) -> None:
    assert judge_sentence(sentence).reason is Reason.CAPTION


@pytest.mark.parametrize(
    "sentence",
    [
        "Figure skating can cause stress fractures in teenage athletes.",
        "Table 2 shows the blood counts of the four patients.",
        "The nodules were firm and violaceous (Figure 1a, 1b).",
        "Figures from national registries suggest the disease is rare.",
        "The new drug is shown to lower the relapse rate in two trials.",
        "The Department of Health recommends screening every newborn.",
        "Patients who learn more about their disease cope better with treatment.",
        "Hospital admission, when needed, is usually short.",
        "A skin biopsy confirmed the diagnosis.",
        "firm or rubbery nodules under the skin",
        "Leukemia cutis is rare.",
        "NOTE: fever with a stiff neck needs a doctor at once.",
        "The aim of treatment is to relieve the itching.",
    ],
)
def test_ordinary_sentences_are_kept(sentence: str) -> None:
    verdict = judge_sentence(sentence)
    assert verdict.keep, verdict
    assert verdict.reason is None


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("", Reason.TOO_SHORT),
        ("Introduction", Reason.TOO_SHORT),
        ("Skin lesions.", Reason.TOO_SHORT),
        ("3. RESULTS", Reason.TOO_SHORT),
        ("Treatment options for older adults", Reason.HEADING),
        ("2. Case presentation and course", Reason.HEADING),
        ("What does the rash look like?", Reason.QUESTION),
        ("Is this condition inherited?", Reason.QUESTION),
        ("CD34 + + - CD68 + + 12 / 45 / 67 / 0.5 / 1.2", Reason.FRAGMENT),
        (" ".join(["the rash spread"] * 50) + ".", Reason.TOO_LONG),
    ],
)
def test_shape_of_the_text(sentence: str, reason: Reason) -> None:
    assert judge_sentence(sentence).reason is reason


# --- another disease than the page's concept ---

PAGE = "MONDO:0000001"  # leukemia cutis, say
PSORIASIS = "MONDO:0000002"
DOWN = "MONDO:0000003"
SUBTYPE = "MONDO:0000004"  # aleukemic leukemia cutis, say


def test_sentence_about_only_another_disease_is_off_topic() -> None:
    # "Psoriasis is a chronic scaly disease of the elbows and knees."
    verdict = judge_topic(PAGE, {PSORIASIS}, names_the_concept=False)
    assert verdict.reason is Reason.OTHER_DISEASE and not verdict.keep
    assert verdict.others == (PSORIASIS,)


def test_sentence_naming_the_concept_and_a_predisposing_disease_is_on_topic() -> None:
    # "Leukemia cutis is more frequent in children with Down syndrome."
    assert judge_topic(PAGE, {DOWN}, names_the_concept=True).keep
    assert judge_topic(PAGE, {PAGE, DOWN}, names_the_concept=False).keep


def test_sentence_naming_no_disease_is_on_topic() -> None:
    # "The lesions spread to the face within a week."
    verdict = judge_topic(PAGE, set(), names_the_concept=False)
    assert verdict.keep and verdict.cues == ("no disease named",)


def test_related_diseases_count_as_the_concept() -> None:
    assert judge_topic(PAGE, {SUBTYPE}, names_the_concept=False, related={SUBTYPE}).keep
    verdict = judge_topic(PAGE, {SUBTYPE, PSORIASIS}, False, related={SUBTYPE})
    assert verdict.reason is Reason.OTHER_DISEASE and verdict.others == (PSORIASIS,)


def test_names_concept_matches_whole_words_and_abbreviation_case() -> None:
    names = ["Leukemia cutis", "cutaneous leukemia", "LC"]
    assert names_concept("Cutaneous  leukemia was diagnosed.", names)
    assert names_concept("In LC, the skin is infiltrated.", names)
    assert not names_concept("The lc values were normal.", names)
    assert not names_concept("Leukemia cutisoid is not a word.", names)
    assert not names_concept("ALC is rare.", names)


# --- data and speed ---


def test_rule_file_loads_once() -> None:
    path = resources.files("dxatlas.evidence").joinpath("data", "en", "boilerplate.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    rules = load_rules("en")
    assert load_rules("en") is rules
    assert rules.reference and rules.caption and rules.boilerplate and rules.affiliation
    assert parse_rules(data).min_words == data["length"]["min_words"]


def test_a_cue_without_pattern_is_refused() -> None:
    path = resources.files("dxatlas.evidence").joinpath("data", "en", "boilerplate.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["boilerplate"]["cues"].append({"name": "broken"})
    with pytest.raises(ValueError, match="broken"):
        parse_rules(data)


def test_judging_is_fast() -> None:
    sentences = [*REFERENCES, *NOT_REFERENCES, *BOILERPLATE] * 30
    started = time.perf_counter()
    for sentence in sentences:
        judge_sentence(sentence)
    assert len(sentences) / (time.perf_counter() - started) > 1000
