"""Age and sex of the people a sentence describes, on sentences written for these tests."""

from __future__ import annotations

import json
import time
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxatlas.evidence.demographics import (
    PersonMention,
    count_patients,
    describe_document,
    load_lexicon,
    parse_lexicon,
    population_cues,
    read_demographics,
    read_people,
)

MONTH = 1 / 12
WEEK = 7 / 365.25
DAY = 1 / 365.25


def only_patient(sentence: str) -> PersonMention:
    people = read_people(sentence)
    assert len(people) == 1, people
    assert people[0].relation == "patient", people
    return people[0]


# (sentence, age in years or None, band, sex)
ONE_PATIENT = [
    ("A 52-year-old man was admitted with chest pain.", 52, "adult", "male"),
    ("We saw a 7-month-old boy with a scaly rash on both cheeks.", 7 * MONTH, "infant", "male"),
    ("A 2-week-old female infant had blisters on her hands.", 2 * WEEK, "neonate", "female"),
    ("A 68 year old woman reported night sweats.", 68, "older adult", "female"),
    ("A 10-day-old neonate developed jaundice.", 10 * DAY, "neonate", None),
    ("A 15-months-old girl was referred for poor weight gain.", 15 * MONTH, "child", "female"),
    (
        "An otherwise healthy 16-year-old boy presented with knee swelling.",
        16,
        "adolescent",
        "male",
    ),
    ("A 3-year-old presented with a limp.", 3, "child", None),
    ("A 41-year-old male presented with a painless ulcer.", 41, "adult", "male"),
    ("A twenty-three-year-old woman noticed a lump in her neck.", 23, "adult", "female"),
    ("A 6 y/o girl had recurrent nosebleeds.", 6, "child", "female"),
    ("A woman aged 37 presented with fatigue.", 37, "adult", "female"),
    ("The patient, age 61 years, was treated with steroids.", 61, "adult", None),
    ("A man, 29 years of age, developed a fever after travel.", 29, "adult", "male"),
    ("The patient was 58 years old.", 58, "adult", None),
    ("Aged 44, she developed painful nodules on the shins.", 44, "adult", "female"),
    ("She was 71 years old when the ulcer healed.", 71, "older adult", "female"),
    # Without a number: a band (and a sex) only, in a sentence that reports a case.
    ("The baby had a rash on the scalp.", None, "infant", None),
    ("We report an infant with congenital nodules.", None, "infant", None),
    ("A neonate was born with erosions on the legs.", None, "neonate", None),
    ("A newborn developed seizures on the second day of life.", None, "neonate", None),
    ("An adolescent presented with recurrent chest pain.", None, "adolescent", None),
    ("A teenager complained of headaches for three months.", None, "adolescent", None),
    (
        "An elderly woman presented with a purple plaque on the scalp.",
        None,
        "older adult",
        "female",
    ),
    ("A baby girl was born with a large birthmark.", None, "infant", "female"),
    ("A middle-aged man complained of joint pain.", None, "adult", "male"),
]


@pytest.mark.parametrize(("sentence", "age", "band", "sex"), ONE_PATIENT)
def test_one_patient(sentence: str, age: float | None, band: str, sex: str | None) -> None:
    person = only_patient(sentence)
    if age is None:
        assert person.age_years is None
    else:
        assert person.age_years == pytest.approx(age, abs=1e-3)
    assert person.age_band == band
    assert person.sex == sex
    assert sentence[person.start : person.end] == person.text


def test_span_covers_the_whole_description() -> None:
    person = only_patient("A previously healthy 9-month-old male infant developed a cough.")
    assert person.text == "A previously healthy 9-month-old male infant"
    assert person.sex == "male" and person.age_band == "infant"


def test_month_week_and_day_ages_are_converted_to_years() -> None:
    assert only_patient("A 6-month-old boy was seen.").age_years == pytest.approx(0.5)
    assert only_patient("A 3-week-old boy was seen.").age_years == pytest.approx(
        21 / 365.25, abs=1e-4
    )
    assert only_patient("A 5-day-old girl was seen.").age_years == pytest.approx(
        5 / 365.25, abs=1e-4
    )
    assert only_patient("An 18-month-old boy was seen.").age_years == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("sentence", "middle", "low", "high", "sex"),
    [
        ("A man in his sixties presented with weight loss.", 65, 60, 70, "male"),
        ("A woman in her early 40s noticed a breast lump.", 42, 40, 44, "female"),
        ("A man in his late fifties had a nodule on the nose.", 58, 56, 60, "male"),
        ("She was referred as a woman in her mid-thirties with anemia.", 35, 33, 37, "female"),
    ],
)
def test_a_decade_gives_its_middle_and_range(
    sentence: str, middle: float, low: float, high: float, sex: str
) -> None:
    person = only_patient(sentence)
    assert person.age_years == pytest.approx(middle)
    assert person.age_range == (low, high)
    assert person.sex == sex


def test_relative_with_a_possessive_is_not_a_patient() -> None:
    people = read_people("Her mother had chronic lymphocytic leukemia.")
    assert [(p.relation, p.sex, p.kin) for p in people] == [("relative", "female", "mother")]
    people = read_people("The patient's father had a similar rash.")
    assert [(p.relation, p.sex, p.text) for p in people] == [
        ("relative", "male", "The patient's father")
    ]


def test_relative_beside_a_patient() -> None:
    people = read_people("A 12-year-old boy was seen; his 40-year-old mother had psoriasis.")
    assert [(p.relation, p.age_years, p.sex) for p in people] == [
        ("patient", 12, "male"),
        ("relative", 40, "female"),
    ]


def test_patient_and_relative_joined_by_and_are_both_patients() -> None:
    people = read_people("An 11-year-old girl and her 47-year-old father presented with hives.")
    assert [(p.relation, p.age_years, p.sex, p.kin) for p in people] == [
        ("patient", 11, "female", None),
        ("patient", 47, "male", "father"),
    ]


def test_an_apposition_to_a_relative_stays_a_relative() -> None:
    people = read_people("The boy's mother, a 33-year-old woman, was healthy.")
    assert [p.relation for p in people] == ["relative", "relative"]


def test_family_word_with_its_own_age_is_a_patient() -> None:
    person = only_patient("A 31-year-old mother presented with a fever after delivery.")
    assert person.kin == "mother" and person.sex == "female" and person.age_years == 31


@pytest.mark.parametrize(
    ("sentence", "ages", "sex"),
    [
        ("Two siblings aged 4 and 7 were referred for short stature.", [4, 7], None),
        ("Two brothers aged 2 and 6 years developed the same rash.", [2, 6], "male"),
        ("Three children aged 1, 3 and 8 years were examined.", [1, 3, 8], None),
        ("Twin girls aged 5 months were admitted.", [5 * MONTH, 5 * MONTH], "female"),
        ("Both sisters were affected.", [None, None], "female"),
    ],
)
def test_counted_plurals_are_one_patient_each(
    sentence: str, ages: list[float | None], sex: str | None
) -> None:
    people = read_people(sentence)
    assert all(p.relation == "patient" and p.sex == sex for p in people), people
    got = [p.age_years for p in people]
    assert got == [pytest.approx(a, abs=1e-3) if a is not None else None for a in ages]


@pytest.mark.parametrize(
    "sentence",
    [
        "Most patients are older than 60.",
        "Men are affected twice as often as women.",
        "The disease is more common in women than in men.",
        "About 30% of patients are children.",
        "The mean age at diagnosis was 54 years.",
        "Patients aged 20 to 40 years are most often affected.",
        "The male to female ratio is 3:1.",
    ],
)
def test_population_statements_describe_no_patient(sentence: str) -> None:
    found = read_demographics(sentence)
    assert found.patients == ()
    assert found.population, sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "A child with this condition may have seizures.",
        "If the baby is born early, feeding can be difficult.",
        "A man receives local anesthesia before the procedure.",
        "Infant formula was changed to a soy product.",
        "Male pattern hair loss is common.",
        "A 10-year-old scar was removed.",
        "Symptoms usually start around age 5.",
        "The rash began at the age of 3 months.",
        "When she was 2 years old, her skin became dry.",
        "The disease affects both children and adults.",
        "Adults with the disease often feel tired.",
        "The lesions spread to the face and the scalp.",
        "Patients aged over 65 need a lower dose.",
        "Ask your mother whether anyone in the family had the disease.",
        "The chILD foundation funds research.",
        "The patient was afebrile.",
    ],
)
def test_no_individual_patient(sentence: str) -> None:
    assert read_demographics(sentence).patients == (), read_people(sentence)


def test_generic_sentence_still_reads_a_numbered_patient() -> None:
    person = only_patient("For example, a 45-year-old woman may notice a lump.")
    assert person.age_years == 45 and person.sex == "female"


def test_pronouns_give_the_sex_of_a_lone_patient() -> None:
    assert only_patient("A 5-month-old infant had papules on his back.").sex == "male"
    assert only_patient("A 5-month-old infant had papules on her back.").sex == "female"
    # Pronouns of both sexes decide nothing.
    assert only_patient("A 5-month-old infant was seen; he or she had papules.").sex is None


def test_each_person_of_a_sentence_is_read() -> None:
    people = read_people("A 3-year-old girl and a 6-year-old boy were admitted.")
    assert [(p.age_years, p.sex) for p in people] == [(3, "female"), (6, "male")]


def test_population_cues_are_named() -> None:
    assert "sex comparison" in population_cues("Women are affected three times as often as men.")
    assert population_cues("A 50-year-old woman was admitted.") == ()


# --- documents ---


def test_one_case_report_patient_mentioned_several_times_is_one_patient() -> None:
    document = [
        "We describe a rare skin infiltrate in an infant.",
        "Skin infiltrates precede marrow disease in some patients.",
        "A 5-month-old boy presented with firm nodules on the scalp.",
        "The nodules grew over two weeks.",
        "The 5-month-old male infant was then referred to hematology.",
        "His mother had no history of skin disease.",
    ]
    found = describe_document(document)
    assert len(found.patients) == 1
    patient = found.patients[0]
    assert patient.sex == "male"
    assert patient.age_years == pytest.approx(5 / 12, abs=1e-3)
    assert patient.age_band == "infant"
    assert [index for index, _ in patient.mentions] == [0, 2, 4]
    assert [index for index, _ in found.relatives] == [5]
    assert count_patients(document) == 1


def test_different_age_or_sex_are_different_patients() -> None:
    document = [
        "A 34-year-old woman presented with a rash.",
        "A 34-year-old man presented with a similar rash.",
        "A 61-year-old woman had the same lesions.",
        "The 34-year-old woman improved with treatment.",
    ]
    found = describe_document(document)
    assert [(p.age_years, p.sex) for p in found.patients] == [
        (34, "female"),
        (34, "male"),
        (61, "female"),
    ]


def test_a_partial_mention_joins_the_nearest_compatible_patient() -> None:
    document = [
        "A 70-year-old man presented with anemia.",
        "An elderly man was later admitted with the same disease.",
        "A 2-year-old girl presented with bruising.",
        "The girl was treated with chemotherapy.",
    ]
    found = describe_document(document)
    assert [(p.age_years, p.sex) for p in found.patients] == [(70, "male"), (2, "female")]
    assert [index for index, _ in found.patients[1].mentions] == [2, 3]


def test_a_partial_mention_that_fits_no_patient_is_a_new_patient() -> None:
    document = [
        "A 40-year-old woman presented with fever.",
        "An infant developed the same rash.",
    ]
    found = describe_document(document)
    assert [(p.sex, p.age_band) for p in found.patients] == [("female", "adult"), (None, "infant")]


def test_a_document_of_population_statements_has_no_patient() -> None:
    document = [
        "Most patients are older than 50.",
        "Men are affected twice as often as women.",
        "The rash may itch.",
    ]
    found = describe_document(document)
    assert found.patients == ()
    assert [index for index, _ in found.population] == [0, 1]


# --- data and speed ---


def test_lexicon_file_loads_once_and_has_its_lists() -> None:
    path = resources.files("dxatlas.evidence").joinpath("data", "en", "demographics.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("people", "kin", "age_words", "units", "bands", "population", "report"):
        assert key in data
    lexicon = load_lexicon("en")
    assert load_lexicon("en") is lexicon
    assert lexicon.people["men"].plural and lexicon.people["mother"].kin
    assert lexicon.band_of(0.5) == "infant" and lexicon.band_of(70) == "older adult"
    assert parse_lexicon(data).language == "en"


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("aA 0123456789-,.()yearoldmonthwkbgirlmanher")), max_size=80
    )
)
def test_never_fails_and_spans_match(sentence: str) -> None:
    for person in read_people(sentence):
        assert sentence[person.start : person.end] == person.text
        assert person.age_years is None or 0 <= person.age_years <= 130


def test_reading_is_fast() -> None:
    sentences = [sentence for sentence, *_ in ONE_PATIENT] * 20
    started = time.perf_counter()
    for sentence in sentences:
        read_demographics(sentence)
    assert len(sentences) / (time.perf_counter() - started) > 1000
