"""Reading prevalence, age bands and frequency words from sentences about a disease."""

from __future__ import annotations

import pytest

from dxatlas.rank.statements import (
    MAX_PREVALENCE,
    age_band_in,
    age_band_of,
    age_band_of_name,
    frequency_cue,
    group_of_statement,
    prevalence_in,
    prevalence_of,
    prevalence_word,
    subject_elsewhere,
)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It affects about 1 in 10,000 people.", 1e-4),
        ("The condition occurs in one in 2,500 newborns.", 4e-4),
        ("An estimated 20 per 100,000 people develop it each year.", 2e-4),
        ("Asthma affects about 8 percent of adults.", 0.08),
        ("About 3 million Americans have glaucoma.", 3e6 / 335e6),
        ("It affects about 24 million people worldwide.", 24e6 / 8e9),
        # Regression: a range read as its upper end ("1 to 23 percent" gave a rare condition a
        # prior of 0.23), and a lifetime figure read as today's share (lung cancer 6.6%).
        ("It may affect 1 to 16 percent of men.", 0.04),
        ("Between 5% and 20% of people get the flu each year.", 0.1),
        ("Estimates range from 4 to 2,500 per 100,000 children.", 1e-3),
        # Regression: "fewer than" was read as a comparison, and the ratio's denominator as a
        # count of people (a disorder of 1 in a million newborns read as 1 in 335).
        ("It is estimated to affect fewer than 1 in 1 million newborns.", 1e-6),
        ("About 6 percent of people will develop it during their lifetime.", 0.006),
        ("It affects 8 out of 10 people at some point in their lives.", 0.08),
        # Regression: a share of children who had it "at least once by age 3" read as a share
        # having it now (0.75: the ceiling of any prevalence).
        (
            "Three out of four children have at least one ear infection by their third birthday.",
            0.075,
        ),
        ("About 50 percent of children have had it by the age of 5.", 0.05),
        ("It affects at least one in 10,000 people.", 1e-4),  # a ratio, not "at least once"
        # Regression: a share that "will get" a disease, in no stated span of time, is a
        # lifetime risk (shingles had a prior of 0.3 and led vignettes it had no part in);
        # within a stated span it is that span's figure.
        ("One out of every three people 60 years or older will get shingles.", 1 / 30),
        ("About 1 in 8 women will develop breast cancer.", 0.0125),
        ("Between 5% and 20% of people will get the flu each year.", 0.1),
    ],
)
def test_prevalence_numbers(sentence: str, expected: float) -> None:
    assert prevalence_in(sentence) == pytest.approx(expected)


@pytest.mark.parametrize(
    "sentence",
    [
        "About 1 in 4 people with diabetes have foot problems.",  # a share of patients
        "In a study of 25 people, all had fever.",  # a study's size
        "Approximately 30 families with the condition have been reported.",
        "It is caused by a change in 1 of 2 genes.",
        # Regression: shares of cases, of one ancestry or region, of patients named before the
        # number, of deaths, and comparisons read as prevalences and gave rare diseases the
        # prior of a common one.
        "Only 1 out of 5 cases of the triad has all three signs.",
        "The disorder affects 1 in 200 to 1,000 people in these populations.",
        "It occurs in 1 in 300 people of Hmong ancestry.",
        "After 10 years with the disease, about 30 percent of adults need dialysis.",
        "About 20 percent of individuals younger than 50 who have a stroke have it.",
        "They are smaller than 97 percent of the population.",
        "In the United States, 1 in 4 women dies from heart disease.",
        "This variant is found in 20 percent of people.",
        "It affects about 1 in 10 African American males in the United States.",
        "In most Asian and Pacific Island nations, 8 to 16 percent of the population have it.",
        "American Indians have the highest rate: almost 65 percent of women have them.",
        "The highest prevalence is in Turkey, where it affects up to 420 in 100,000 people.",
    ],
)
def test_numbers_that_are_not_a_prevalence(sentence: str) -> None:
    assert prevalence_in(sentence) is None


def test_prevalence_words_and_the_median_over_sentences() -> None:
    assert prevalence_word("This condition is rare.") == 1e-5
    assert prevalence_word("Sinusitis is a very common infection.") == 0.05
    # Words about something else, or qualified to a group, say nothing of the disease.
    assert prevalence_word("It is probably the most common illness.") == 0.05
    assert prevalence_word("UTIs are the second most common type of infection.") == 0.05
    assert prevalence_word("Drug therapy is the most common treatment for stroke.") is None
    assert prevalence_word("The fungus is very common indoors.") is None
    assert prevalence_word("Prostate cancer is rare in men younger than 50.") is None
    assert prevalence_word("Seizures occur in some patients.") is None
    assert prevalence_in("They lower hormone levels in 90 percent of patients.") is None
    assert prevalence_in("1 in 5 people of this heritage are carriers.") is None
    # Numbers win over words; several numbers give their median on a log scale.
    assert prevalence_of(["It is rare.", "It affects 1 in 1,000 people."]) == pytest.approx(1e-3)
    assert prevalence_of(
        ["1 in 100 people have it.", "1 in 10,000 people have it."]
    ) == pytest.approx(1e-3)
    assert prevalence_of(["It affects 2 out of 3 people."]) == MAX_PREVALENCE
    assert prevalence_of(["No numbers here."]) is None


def test_age_bands() -> None:
    assert age_band_in("It is most common in children.") == (0.0, 18.0)
    assert age_band_in("Shingles usually affects people over 50.") == (50.0, 120.0)
    assert age_band_in("It usually begins between the ages of 20 and 40.") == (20.0, 40.0)
    assert age_band_in("Children of an affected parent have a 50 percent chance.") is None
    assert age_band_in("It rarely occurs in men younger than 40.") is None
    # A sentence about one type of the disease says nothing of the whole disease's ages.
    assert age_band_in("A common type of pneumonia usually affects people younger than 40.") is None
    assert age_band_of(["Most common in children.", "It often affects young adults."]) == (
        0.0,
        40.0,
    )
    # ... nor does a sentence about one kind of it, named by a kind word before its name.
    kind = "Anyone can get chronic bronchitis, but it occurs more often in people older than 45."
    assert age_band_in(kind) == (45.0, 120.0)
    assert age_band_of([kind], names=("Bronchitis",)) is None
    assert age_band_of([kind], names=("Chronic Bronchitis",)) == (45.0, 120.0)
    assert age_band_of([kind], names=("Acute Bronchitis",)) is None  # another kind's ages


def test_frequency_words() -> None:
    assert frequency_cue("Most people with the flu have fever and cough.") == 0.8
    assert frequency_cue("Rarely, seizures occur.") == 0.05
    assert frequency_cue("Symptoms include cough.") is None
    assert frequency_cue("Symptoms often include fever and a rash.") == 0.6
    # Regression: a list run into the next sentence ("... swollen glands Sometimes you may also
    # have ...") read every listed finding as seen "sometimes".
    assert frequency_cue("Symptoms include - Fever - Rash Sometimes you may have a cough.") is None


def test_a_figure_about_another_subject_is_no_prevalence() -> None:
    # Regression: "small pituitary adenomas ... 17 percent" on the acromegaly page gave
    # acromegaly the prior of a common disease.
    names = ("Acromegaly",)
    sentence = "Small pituitary adenomas are common, affecting about 17 percent of the population."
    assert prevalence_in(sentence) == pytest.approx(0.17)  # without names: read as before
    assert prevalence_in(sentence, names=names) is None
    assert prevalence_of([sentence, "Acromegaly affects 6 in 100,000 people."], names=names) == (
        pytest.approx(6e-5)
    )
    # The disease itself, a pronoun, a number, a reporting clause or its abbreviation is its own.
    for own in (
        "Acromegaly affects about 6 in 100,000 people.",
        "In the United States, it affects about 6 in 100,000 people.",
        "An estimated 6 in 100,000 people have acromegaly.",
        "Researchers estimate that acromegaly affects 6 in 100,000 people.",
        "The prevalence of the disorder is about 6 in 100,000 people.",
    ):
        assert not subject_elsewhere(own, names), own
    assert not subject_elsewhere("GSDI affects 1 in 100,000 people.", ("Glycogen storage disease",))


def test_what_counted_people_have_must_be_the_disease() -> None:
    # Regression: on a page about juvenile primary osteoporosis, "Nearly 1 in 10 adults over age
    # 50 have osteoporosis" gave the rare disease a prior of 0.1 (its number subject counted as
    # the disease's own, whatever the people had).
    names = ("Juvenile primary osteoporosis",)
    broader = "Nearly 1 in 10 adults over age 50 have osteoporosis, but it is rare in children."
    assert subject_elsewhere(broader, names)
    assert prevalence_in(broader, names=names) is None
    # Nor is a figure for one population (AMP deaminase deficiency had a prior of 0.01).
    white = "It is one of the most common muscle disorders in white populations, affecting 1 in 50."
    assert prevalence_in(white) is None
    for own in (
        "An estimated 300 people worldwide have juvenile primary osteoporosis.",
        "Researchers estimate that 200 to 300 people worldwide have this condition.",
        "About 1 in 100,000 children have it.",
        "About 1 in 4,000 newborns are affected.",
        "In one study, about 1 in 700 people had the 22q11.2 duplication.",
    ):
        assert not subject_elsewhere(own, (*names, "22q11.2 duplication")), own


def test_words_in_a_short_sentence_about_the_disease() -> None:
    # Regression: "Shingles is very common." and "Pneumonia is common in the United States."
    # said nothing, so both took the prior of a disease of unknown prevalence.
    assert prevalence_word("Shingles is very common.", names=("Shingles",)) == 0.05
    assert prevalence_word("Pneumonia is common in the United States.") == 0.01
    assert prevalence_word("The fungus is very common.", names=("Aspergillosis",)) is None
    assert prevalence_word("Pneumonia is common in older adults.") is None  # one group
    # Number words, and "by the time they are 80" read as a lifetime figure.
    assert prevalence_in(
        "Fifty percent of all Americans will have had shingles by the time they are 80."
    ) == pytest.approx(0.05)


@pytest.mark.parametrize(
    ("name", "band"),
    [
        ("Chronic Diarrhea in Children", (0.0, 18.0)),
        ("Diabetes in Children and Teens", (0.0, 20.0)),
        ("Nephrotic Syndrome in Adults", (18.0, 120.0)),
        ("Hearing Problems in Older Adults", (60.0, 120.0)),
        ("Kidney Stones", None),
        ("Heart Disease in Women", None),  # a sex, not an age
        ("Growth Failure in Children with Chronic Kidney Disease", None),
    ],
)
def test_a_page_for_one_age_group_names_its_band(
    name: str, band: tuple[float, float] | None
) -> None:
    """Regression: "Chronic Diarrhea in Children" ranked third for a 28-year-old man."""
    assert age_band_of_name(name) == band


@pytest.mark.parametrize(
    ("sentence", "band"),
    [
        ("Children may have a high fever, be irritable, or not eat.", (0.0, 18.0)),
        ("On the other hand, children may have only a low-grade fever.", (0.0, 18.0)),
        ("In infants, symptoms include poor feeding.", (0.0, 2.0)),
        ("Older children often complain of belly pain.", (0.0, 18.0)),
        ("In some elderly people, confusion may be the only sign.", (65.0, 120.0)),
        ("In adults, the first sign is often a headache.", (18.0, 120.0)),
        ("Infants and young children may have a fever.", (0.0, 6.0)),
        # About every patient, or about the disease's patients of a group: no band.
        ("Most people have a fever.", None),
        ("Children and adults may have a fever.", (0.0, 120.0)),
        ("Infants with Cant syndrome have thick hair.", None),
        ("Affected children have seizures.", None),
        ("CHILD syndrome causes scaly skin on one side.", None),
        ("Childhood leukemia causes bruising.", None),
    ],
)
def test_a_sentence_about_one_group_of_patients_names_its_band(
    sentence: str, band: tuple[float, float] | None
) -> None:
    """Regression: a page's "children may have ... nausea, vomiting, and diarrhea" made
    vomiting a finding of urinary tract infections in adults too."""
    assert group_of_statement(sentence) == band
