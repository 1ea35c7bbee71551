"""The OBO, HPOA, frequency and age readers."""

from __future__ import annotations

import math

import pytest

from dxatlas.kb.age import AgeError, parse_age
from dxatlas.kb.curie import Curie, CurieError
from dxatlas.kb.frequency import FrequencyError, parse_frequency
from dxatlas.kb.hpoa import HpoaError, parse_hpoa_line
from dxatlas.kb.obo import parse_obo_lines
from tests.conftest import TOY_OBO


def test_obo_reads_terms_synonyms_and_obsolete_links() -> None:
    document = parse_obo_lines(TOY_OBO.splitlines())
    assert document.data_version == "hp/releases/2099-01-01"
    terms = {term.id: term for term in document.terms}
    anemia = terms["HP:0001903"]
    assert anemia.name == "Anemia"
    assert anemia.alt_ids == ["HP:0009999"]
    assert anemia.parents == ["HP:0001871"]
    assert [(s.text, s.scope, s.kind) for s in anemia.synonyms] == [
        ("Anaemia", "EXACT", "uk_spelling"),
        ("Low number of red blood cells", "EXACT", "layperson"),
    ]
    assert anemia.definition.startswith("A reduction")
    assert terms["HP:0001000"].obsolete
    assert terms["HP:0001000"].replaced_by == "HP:0001250"
    assert "part_of" not in terms  # Typedef stanzas are not terms


def test_obo_unescapes_quotes_in_synonyms() -> None:
    text = '[Term]\nid: HP:1\nname: x\nsynonym: "the \\"odd\\" one" EXACT []\n'
    (term,) = parse_obo_lines(text.splitlines()).terms
    assert term.synonyms[0].text == 'the "odd" one'


@pytest.mark.parametrize(
    ("text", "fraction"),
    [("HP:0040281", 0.895), ("HP:0040280", 1.0), ("3/4", 0.75), ("50%", 0.5), ("12.5%", 0.125)],
)
def test_frequency_forms(text: str, fraction: float) -> None:
    parsed = parse_frequency(text)
    assert parsed is not None
    assert math.isclose(parsed.fraction, fraction)


def test_frequency_empty_is_unknown_and_bad_forms_raise() -> None:
    assert parse_frequency("  ") is None
    for bad in ("5/4", "1/0", "often", "150%"):
        with pytest.raises(FrequencyError):
            parse_frequency(bad)


def test_frequency_labels() -> None:
    assert parse_frequency("3/4").label() == "3/4 (75%)"  # type: ignore[union-attr]
    assert parse_frequency("HP:0040283").label() == "Occasional (5-29%)"  # type: ignore[union-attr]


def test_hpoa_line_and_its_errors() -> None:
    line = "OMIM:1\tX\tNOT\tHP:0001903\tPMID:1;PMID:2\tPCS\t\t2/3\tFEMALE\t\tP\tHPO:x"
    row = parse_hpoa_line(line)
    assert row.negated and row.sex == "FEMALE" and row.references == ("PMID:1", "PMID:2")
    assert row.frequency is not None and row.frequency.n == 2
    with pytest.raises(HpoaError, match="line 7"):
        parse_hpoa_line("OMIM:1\tX\tHP:1", 7)
    with pytest.raises(HpoaError, match="sex"):
        parse_hpoa_line(line.replace("FEMALE", "BOTH"), 3)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("P4M", 4 / 12),
        ("P1Y6M", 1.5),
        ("P2W", 14 / 365.25),
        ("P10D", 10 / 365.25),
        ("45", 45.0),
        ("P45Y", 45.0),
        ("p3y", 3.0),
        ("12 years", 12.0),
    ],
)
def test_ages(text: str, years: float) -> None:
    assert math.isclose(parse_age(text), years)


@pytest.mark.parametrize("text", ["", "four", "P", "P-3Y", "P200Y", "4 months ago"])
def test_bad_ages(text: str) -> None:
    with pytest.raises(AgeError):
        parse_age(text)


def test_curie_parsing() -> None:
    assert str(Curie.parse("hp:0001250")) == "HP:0001250"
    assert str(Curie.parse("HP_0001250")) == "HP:0001250"
    assert str(Curie.parse("ORPHANET:558")) == "ORPHA:558"
    for bad in ("HP:12", "sore throat", "HP:", ":123"):
        with pytest.raises(CurieError):
            Curie.parse(bad)
