"""What community text may hold: limits, and no e-mail addresses or phone numbers."""

from __future__ import annotations

import pytest

from dxatlas.store.community_base import InvalidInput, TextTooLong
from dxatlas.store.community_text import (
    checked_text,
    checked_title,
    contact_detail,
    normalise,
    refuse_contact_details,
)


@pytest.mark.parametrize(
    "text",
    [
        "write to ana.b+x@example.co.uk",
        "ana [at] example.org",
        "call +44 20 7946 0958",
        "(555) 123-4567",
        "555.123.4567",
        "0171 234 5678",
        "+1 555 1234",
    ],
)
def test_contact_details_are_found(text: str) -> None:
    assert contact_detail(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "HP:0001250 and PMID:12345678 and OMIM:123456",
        "seen on 2024-01-15 and during 1999-2003",
        "a 53-year-old man; Hb 10.5 g/dL; BP 120/80",
        "platelets 150 000 to 450 000",
        "1999\n2000\n2001",
        "doi 10.1016/j.cell.2020.01.001",
    ],
)
def test_medical_numbers_are_not_contact_details(text: str) -> None:
    assert contact_detail(text) is None


def test_refusal_names_the_field_and_the_detail() -> None:
    with pytest.raises(InvalidInput, match=r"the answer contains a phone number \(555-123-4567\)"):
        refuse_contact_details("answer", "fine", "ring 555-123-4567")


def test_line_breaks_count_once_and_controls_go() -> None:
    assert normalise(" a\r\nb\rc\x00\x07d \n") == "a\nb\ncd"
    assert checked_text("x\r\n" * 2 + "x", "body", max_chars=5) == "x\nx\nx"
    with pytest.raises(TextTooLong, match="the body is 6 characters long; at most 5"):
        checked_text("abcdef", "body", max_chars=5)


def test_a_title_is_one_line() -> None:
    assert checked_title("  What   is\nthis  about? ") == "What is this about?"
