"""Everyday phrasings of findings (data/en/lay_synonyms.json) on the real knowledge base."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.recognize.annotator import Annotator

pytestmark = pytest.mark.integration


def test_every_lay_synonym_names_a_current_hpo_term(real_kb: KnowledgeBase) -> None:
    data = json.loads(
        resources.files("dxatlas.recognize").joinpath("data/en/lay_synonyms.json").read_text()
    )
    for term_id in data["terms"]:
        assert real_kb.ontology.resolve(term_id) == real_kb.ontology.index[term_id], term_id


def test_no_term_is_listed_twice() -> None:
    """A second entry for one HPO id silently replaced the first when the file was read."""
    text = resources.files("dxatlas.recognize").joinpath("data/en/lay_synonyms.json").read_text()

    def unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})
        return dict(pairs)

    json.loads(text, object_pairs_hook=unique)


def test_lay_phrasings_are_recognised_and_negated(real_annotator: Annotator) -> None:
    text = "He lost his sense of smell and has painful urination. No swollen glands."
    found = {(m.id, str(m.assertion)) for m in real_annotator.annotate(text).mentions}
    assert ("HP:0000458", "asserted") in found  # anosmia
    assert ("HP:0100518", "asserted") in found  # dysuria
    assert ("HP:0002716", "negated") in found  # lymphadenopathy


def test_a_swollen_spleen_and_a_red_throat(real_annotator: Annotator) -> None:
    """Health pages say "a swollen spleen" (mono) and examinations "her throat is red"."""
    text = "He has a swollen spleen. Her throat is red without exudate. He is tachycardic."
    found = {m.id for m in real_annotator.annotate(text).mentions}
    assert {"HP:0001744", "HP:0025439", "HP:0001649"} <= found  # and tachycardia


def test_afebrile_is_no_fever_and_wheezes_are_wheezing(real_annotator: Annotator) -> None:
    """Examinations write "afebrile" for no fever (it had been read as nothing, so a case's
    stated absence of fever never counted) and "wheezes" for wheezing."""
    text = "She is afebrile. Scattered wheezes are present. He has upper abdominal pain."
    found = {(m.id, str(m.assertion)) for m in real_annotator.annotate(text).mentions}
    assert ("HP:0001945", "negated") in found
    assert ("HP:0030828", "asserted") in found
    assert ("HP:0410019", "asserted") in found  # epigastric pain
    speech = {m.id for m in real_annotator.annotate("Sudden trouble speaking.").mentions}
    assert "HP:0002465" in speech  # as "difficulty speaking" is (a stroke page's warning sign)
    assert ("HP:0001945", "asserted") not in found


def test_chest_pain_worse_on_breathing_in_is_pleuritic(real_annotator: Annotator) -> None:
    """A case's "chest pain that worsens on deep inspiration" is pleuritic chest pain (a sign
    of pulmonary embolism, pneumonia and pericarditis), not chest pain alone."""
    for text in (
        "He is complaining of left-sided chest pain that worsens on deep inspiration.",
        "She has pain when taking a deep breath.",
    ):
        found = {m.id for m in real_annotator.annotate(text).mentions}
        assert "HP:0033771" in found, text


def test_hay_fever_symptoms_in_a_flattened_list(real_annotator: Annotator) -> None:
    """A health page's list ("runny or clogged nose", "Itching eyes", "Red and watery eyes")
    names rhinorrhea, congestion, itchy, red and watery eyes, and no red throat."""
    text = "Symptoms include - Sneezing, often with a runny or clogged nose - Itching eyes, nose "
    text += "and throat - Red and watery eyes"
    found = {m.id for m in real_annotator.annotate(text).mentions}
    assert {"HP:0031417", "HP:0001742", "HP:0033841", "HP:0025337", "HP:0009926"} <= found
    assert "HP:0025439" not in found  # pharyngitis


def test_white_patches_are_named_by_where_they_are(real_annotator: Annotator) -> None:
    """The HPO's bare synonym "White patch" is poliosis (white hair); a yeast-infection page's
    "white patches in your mouth" had become poliosis."""
    found = {
        m.id for m in real_annotator.annotate("Thrush causes white patches in your mouth.").mentions
    }
    assert "HP:0002745" in found and "HP:0002290" not in found  # oral white patch
    skin = {m.id for m in real_annotator.annotate("She has white patches on the skin.").mentions}
    assert "HP:0001053" in skin and "HP:0002290" not in skin


def test_a_possessive_is_read_like_the(real_annotator: Annotator) -> None:
    """Regression: "pain on the right side of his chest" (a shingles vignette) read as flank
    pain, since "his" did not compare like "the"; "swelling of her leg" named nothing."""
    for text, term in (
        ("Aching pain on the right side of his chest.", "HP:0100749"),
        ("Swelling of her left leg for five days.", "HP:0010741"),
        ("Pain in his back since Monday.", "HP:0003418"),
    ):
        found = {m.id for m in real_annotator.annotate(text).mentions}
        assert term in found, (text, found)
    assert "HP:0030157" not in {
        m.id for m in real_annotator.annotate("Pain on the right side of his chest.").mentions
    }


def test_feeling_feverish_is_fever(real_annotator: Annotator) -> None:
    """Regression: the shingles page's "Some people report feeling feverish and weak" (and a
    patient's "I felt feverish") named no fever."""
    found = {
        (m.id, str(m.assertion))
        for m in real_annotator.annotate(
            "Some people report feeling feverish. She is not feverish now."
        ).mentions
    }
    assert ("HP:0001945", "asserted") in found and ("HP:0001945", "negated") in found


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("She feels nauseous.", "HP:0002018"),
        ("Itchiness all over.", "HP:0000989"),
        ("She is hoarse.", "HP:0001609"),
        ("Blurry vision since yesterday.", "HP:0000622"),
        ("Pins and needles in my hands.", "HP:0003401"),
        ("He seems confused.", "HP:0001289"),
        ("She is losing weight.", "HP:0001824"),
        ("Her feet are swollen.", "HP:0010741"),
        ("He has a high temperature.", "HP:0001945"),
        ("I feel bloated.", "HP:0003270"),
        ("Sore muscles.", "HP:0003326"),
        ("A tight chest.", "HP:0031352"),
        ("He is forgetful.", "HP:0002354"),
        ("I can't sleep.", "HP:0100785"),
        ("Achy joints.", "HP:0002829"),
    ],
)
def test_everyday_words_a_checker_user_types(
    text: str, term: str, real_annotator: Annotator
) -> None:
    """Words people type that named nothing before (a probe of 130 everyday phrasings)."""
    assert term in {m.id for m in real_annotator.annotate(text).mentions}


def test_a_swollen_face_or_knee_is_named_by_where_it_is(real_annotator: Annotator) -> None:
    """A checker user's "my face is swollen" named nothing, and "a swollen, tender knee" only
    tenderness: the HPO names facial edema and joint swelling, not these words."""
    for text, term in (
        ("My face is swollen.", "HP:0000282"),
        ("He has a swollen face.", "HP:0000282"),
        ("A swollen, tender knee.", "HP:0001386"),
        ("Knee swelling since Monday.", "HP:0001386"),
        ("She has a swollen and tender leg.", "HP:0010741"),
    ):
        found = {m.id for m in real_annotator.annotate(text).mentions}
        assert term in found, (text, found)


def test_the_small_intestine_is_a_body_part_not_hypoplasia(real_annotator: Annotator) -> None:
    """Regression: the plain variant of "Hypoplastic intestines" is "small intestines", so
    every page that named the small intestine reported intestinal hypoplasia."""
    for text in ("The small intestine absorbs food.", "The small and large intestines."):
        found = {m.id for m in real_annotator.annotate(text).mentions}
        assert "HP:0005245" not in found, (text, found)
    found = {m.id for m in real_annotator.annotate("Hypoplastic intestines.").mentions}
    assert "HP:0005245" in found


def test_a_body_part_or_a_preposition_lends_no_words_to_a_list(real_annotator: Annotator) -> None:
    """Regression: once the small bowel was a body part, "cancer (small bowel, stomach,
    pancreas)" read as a small stomach and pancreas; "a sample of blood or from urine" read as
    blood in the urine."""
    for text, wrong in (
        ("Other types of cancer (small bowel, stomach, pancreas, thyroid).", "HP:0100841"),
        ("It is checked from a sample of blood or from urine.", "HP:0000790"),
    ):
        found = {m.id for m in real_annotator.annotate(text).mentions}
        assert wrong not in found, (text, found)
    # A body part as the shared head still completes a list: a dimple of the skin.
    found = {m.id for m in real_annotator.annotate("A dimple or puckering in the skin.").mentions}
    assert "HP:0010781" in found


def test_a_cough_with_phlegm_is_a_productive_cough(real_annotator: Annotator) -> None:
    """Health pages write "a cough with phlegm" or "a cough that brings up mucus" (pneumonia,
    bronchitis) where a case says "productive cough"; they were read as a cough and sputum, so
    a productive cough only matched the pages' cough. Pain on breathing is pleuritic pain."""
    text = (
        "People who have bronchitis often have a cough that brings up mucus. "
        "Symptoms include a cough with phlegm and fever. Have chest pain when you breathe."
    )
    found = {m.id for m in real_annotator.annotate(text).mentions}
    assert "HP:0031245" in found  # productive cough
    assert "HP:0033771" in found  # pleuritic chest pain


def test_an_examined_throat_is_pharyngitis_not_skin_redness(real_annotator: Annotator) -> None:
    """Regression: "pharyngeal erythema" was read as erythema (of the skin), so rashes rose for
    a sore throat; "tonsillar exudates" named nothing."""
    text = "There is pharyngeal erythema, an inflamed pharynx and tonsillar exudates."
    found = {m.id for m in real_annotator.annotate(text).mentions}
    assert {"HP:0025439", "HP:0034035"} <= found
    assert "HP:0010783" not in found


def test_low_oxygen_in_the_blood_is_hypoxemia(real_annotator: Annotator) -> None:
    """Health pages write "low oxygen levels in your blood" (pulmonary embolism, ARDS) where a
    case gives a low saturation, read as hypoxemia; the page's words named nothing."""
    text = "It can cause low oxygen levels in your blood. It leads to low blood oxygen."
    found = [m.id for m in real_annotator.annotate(text).mentions]
    assert found.count("HP:0012418") == 2


def test_tender_lymph_nodes_are_enlarged_ones(real_annotator: Annotator) -> None:
    """An examination that finds "tender anterior cervical lymph nodes" has felt them, so they
    are enlarged; the words named nothing, as did a page's "tender lymph nodes"."""
    text = "There are tender anterior cervical lymph nodes. She also has tender lymph nodes."
    found = {m.id for m in real_annotator.annotate(text).mentions}
    assert {"HP:0025289", "HP:0002716"} <= found


def test_an_organ_gland_is_no_swollen_lymph_gland(real_annotator: Annotator) -> None:
    """Regression: "the prostate gland is enlarged" (benign prostatic hyperplasia on a page
    about urinary retention) read as swollen glands, lymphadenopathy, and "sweat glands" as
    sweating. Named glands are body parts; a finding that names the organ still wins."""

    def found(text: str) -> set[str]:
        return {m.id for m in real_annotator.annotate(text).mentions}

    assert "HP:0002716" not in found("The prostate gland is enlarged.")
    assert "HP:0000975" not in found("Spiradenomas develop in sweat glands.")
    assert "HP:0002716" in found("His glands are swollen.")
    assert "HP:0012505" in found("He has an enlarged pituitary gland.")
