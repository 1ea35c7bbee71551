"""A list written on one line ("can cause - A - B") shown as a lead-in and its items."""

from __future__ import annotations

from dxatlas.pages.concept_page import page_markdown
from dxatlas.pages.inline_list import split_inline_list


def test_two_items_or_more_make_a_list() -> None:
    text = "It can cause - Permanent damage to the lung - Low oxygen levels in your blood"
    assert split_inline_list(text) == (
        "It can cause",
        ["Permanent damage to the lung", "Low oxygen levels in your blood"],
    )


def test_a_pair_of_dashes_around_words_is_no_list() -> None:
    """A parenthetical pair ("Fever - a sign of infection - is common") has two parts in lower
    case; a list of two has capitalised items, and three or more items are a list either way."""
    for text in (
        "Fever - a sign of infection - is common.",
        "A well-known X-linked disorder.",
        "Rash - itchy.",
    ):
        assert split_inline_list(text) == (text, [])
    assert split_inline_list("Symptoms include - fever - vomiting - chills") == (
        "Symptoms include",
        ["fever", "vomiting", "chills"],
    )


def test_markdown_puts_the_items_under_their_lead_in() -> None:
    payload = {
        "concept": {"id": "X:1", "name": "Toy", "synonyms": []},
        "sections": [
            {
                "key": "treatment",
                "evidence": [
                    {
                        "text": "Try - Rest - Fluids",
                        "lead": "Try",
                        "items": ["Rest", "Fluids"],
                        "sources": [{"domain": "example.org"}],
                    }
                ],
                "subsections": [],
            }
        ],
        "demographics": {"sex": {"male": 0, "female": 0}, "ages_years": [], "patients": 0},
        "curated": [],
    }
    assert "- Try [example.org]\n  - Rest\n  - Fluids" in page_markdown(payload)
