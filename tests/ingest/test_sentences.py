"""The sentence splitter on sentences written for these tests: each rule has its own case."""

from __future__ import annotations

import time

import pytest

from dxatlas.ingest.sentences import Sentence, split_sentences


def texts(text: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(text)]


def test_offsets_point_into_the_input() -> None:
    text = "  The rash spread quickly.  A biopsy was taken!\n\nWas it benign?  "
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "The rash spread quickly.",
        "A biopsy was taken!",
        "Was it benign?",
    ]
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    assert isinstance(sentences[0], Sentence)


def test_empty_and_blank_text() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n\t ") == []
    assert split_sentences("• \n - \n") == []


def test_heading_glued_to_the_next_sentence() -> None:
    assert texts("The fever lasted a week.Anemia was also found.") == [
        "The fever lasted a week.",
        "Anemia was also found.",
    ]


def test_heading_line_without_period() -> None:
    assert texts("Signs of the disease\nMost children have a fever. Some vomit.") == [
        "Signs of the disease",
        "Most children have a fever.",
        "Some vomit.",
    ]
    assert texts("How is it treated?\n\nDoctors give fluids.") == [
        "How is it treated?",
        "Doctors give fluids.",
    ]


def test_bullets_become_sentences_without_their_marker() -> None:
    text = "Common signs include:\n  • a dry cough\n  • night sweats\n- weight loss\n* chills"
    assert texts(text) == [
        "Common signs include:",
        "a dry cough",
        "night sweats",
        "weight loss",
        "chills",
    ]
    inline = "Key facts\n- The virus spreads by air. - Masks lower the risk. - Most people recover."
    assert texts(inline) == [
        "Key facts",
        "The virus spreads by air.",
        "Masks lower the risk.",
        "Most people recover.",
    ]


def test_numbered_headings_stay_whole() -> None:
    assert texts(
        "2. Case report\nA girl aged 6 had a rash.\n3. Discussion\nRashes are common."
    ) == ["2. Case report", "A girl aged 6 had a rash.", "3. Discussion", "Rashes are common."]


@pytest.mark.parametrize(
    "text",
    [
        "Some drugs, e.g. steroids, help. They are cheap.",
        "Some drugs (i.e. Steroids) help. They are cheap.",
        "As shown in Fig. 2 the lesion grew. They are cheap.",
        "Jones et al. Reported it first. They are cheap.",
        "She saw Dr. Brown on Monday. They are cheap.",
        "Drug A vs. Placebo was tested. They are cheap.",
        "The dose was 2.5 mg twice a day. They are cheap.",
        "It was described by J. Smith in 1990. They are cheap.",
    ],
)
def test_abbreviations_and_decimals_do_not_split(text: str) -> None:
    first, second = texts(text)
    assert second == "They are cheap."
    assert first.endswith(".")


def test_reference_numbers_and_citations_stay_with_their_sentence() -> None:
    assert texts("Steroids are among the treatments 15. Surgery is rare.") == [
        "Steroids are among the treatments 15.",
        "Surgery is rare.",
    ]
    assert texts("It is rare [3]. It is also benign (4, 5). Few die.") == [
        "It is rare [3].",
        "It is also benign (4, 5).",
        "Few die.",
    ]
    assert texts("Spread is local. [7] Distant spread is rare.") == [
        "Spread is local. [7]",
        "Distant spread is rare.",
    ]
    assert texts("It is rare in adults.12 Children are affected more.") == [
        "It is rare in adults.12",
        "Children are affected more.",
    ]


def test_pdf_line_breaks_inside_sentences_are_joined() -> None:
    text = (
        "The child had a firm nodule on the \n\nscalp that grew over two \nweeks. The \n"
        "Biopsy was done later, with a mean delay of 10 days \n\n[2]. Blood tests were \n"
        "normal.\n"
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "The child had a firm nodule on the scalp that grew over two weeks.",
        "The Biopsy was done later, with a mean delay of 10 days [2].",
        "Blood tests were normal.",
    ]
    assert text[sentences[0].start : sentences[0].end].startswith("The child")
    assert text[sentences[0].start : sentences[0].end].endswith("weeks.")


def test_hyphenated_line_breaks_are_joined() -> None:
    assert texts("The lesions were exam-\nined by two derma-\n  tologists. All agreed.") == [
        "The lesions were examined by two dermatologists.",
        "All agreed.",
    ]


def test_question_and_exclamation_and_quotes() -> None:
    assert texts('He asked "Is it contagious?" Nobody knew. Stop now! Then rest.') == [
        'He asked "Is it contagious?"',
        "Nobody knew.",
        "Stop now!",
        "Then rest.",
    ]


def test_lower_case_after_period_does_not_split() -> None:
    assert texts("Give 5 mg. daily for a week. Then stop.") == [
        "Give 5 mg. daily for a week.",
        "Then stop.",
    ]


def test_speed_is_at_least_a_few_thousand_sentences_per_second() -> None:
    paragraph = (
        "Leukemia cutis is rare [1]. It appears as firm nodules, e.g. on the face.Most cases "
        "follow a known leukemia. Some patients have a rash \nthat itches. Fig. 2 shows one.\n"
        "Treatment\n• chemotherapy\n• radiotherapy\n"
    )
    text = paragraph * 500
    started = time.perf_counter()
    count = len(split_sentences(text))
    elapsed = time.perf_counter() - started
    assert count == 500 * 8
    assert count / elapsed > 3000


def test_a_question_heading_glued_after_a_list_item() -> None:
    text = "They may include - Chills - Sore throat Is it a cold or the flu? Colds rarely do."
    assert [s.text for s in split_sentences(text)] == [
        "They may include - Chills - Sore throat",
        "Is it a cold or the flu?",
        "Colds rarely do.",
    ]
    # A question word in lower case is part of its sentence.
    assert [s.text for s in split_sentences("Ask your doctor what is best?")] == [
        "Ask your doctor what is best?"
    ]


def test_a_sentence_glued_after_the_last_item_of_a_list() -> None:
    # Regression: pages whose line breaks were lost glued the next sentence to a symptom list,
    # which then read as treatment ("... - A stiff neck Early treatment can help").
    text = "Seek care if you have - A sudden fever - A stiff neck Early treatment can help."
    assert [s.text for s in split_sentences(text)] == [
        "Seek care if you have - A sudden fever - A stiff neck",
        "Early treatment can help.",
    ]
    text = "Symptoms include - Fatigue - Low blood pressure Lab tests can confirm it."
    assert [s.text for s in split_sentences(text)][-1] == "Lab tests can confirm it."
    # A proper noun inside an item, a single dash, and an item list ending the text stay whole.
    for whole in (
        "Risks include - Smoking - Travel to Africa in the summer.",
        "It is rare - Most people never get it.",
        "Symptoms include - Fever - Pain in the back",
    ):
        assert [s.text for s in split_sentences(whole)] == [whole], whole
