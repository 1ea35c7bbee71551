"""Red flags: a present finding at or under a flagged term is urgent; an absent one is not."""

from __future__ import annotations

import pytest

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.rank.red_flags import paired_flags, red_flags, urgent_findings


def test_the_data_file_lists_hpo_ids_once_each() -> None:
    flags = red_flags()
    assert len(flags) >= 10
    ids = [flag.id for flag in flags]
    assert len(set(ids)) == len(ids)
    assert all(flag_id.startswith("HP:") and len(flag_id) == 10 for flag_id in ids)
    assert "HP:0100749" in ids and "HP:0001250" in ids  # chest pain, seizure


def test_a_flagged_finding_and_its_descendants_are_urgent(toy_kb: KnowledgeBase) -> None:
    found = urgent_findings(toy_kb, ["HP:0001903", "HP:0007359", "HP:0001250"])
    assert found == [
        {
            "id": "HP:0007359",
            "label": "Focal-onset seizure",
            "red_flag": {"id": "HP:0001250", "label": "Seizure"},
        },
        {
            "id": "HP:0001250",
            "label": "Seizure",
            "red_flag": {"id": "HP:0001250", "label": "Seizure"},
        },
    ]


def test_no_flag_without_a_flagged_finding(toy_kb: KnowledgeBase) -> None:
    assert urgent_findings(toy_kb, ["HP:0001903", "HP:0001875"]) == []
    assert urgent_findings(toy_kb, []) == []
    # An ancestor of a flag is not itself urgent; unknown ids are skipped, not raised.
    assert urgent_findings(toy_kb, ["HP:0000707", "HP:1234567"]) == []
    # An alt id resolves to its term once.
    assert len(urgent_findings(toy_kb, ["HP:0001250", "HP:0001250"])) == 1


@pytest.mark.integration
def test_every_flag_is_a_term_of_the_shipped_hpo(real_kb: KnowledgeBase) -> None:
    onto = real_kb.ontology
    for flag in red_flags():
        term = onto.resolve(flag.id)
        assert term is not None, flag.id
        assert onto.ids[term] == flag.id, f"{flag.id} is obsolete or an alt id"
        assert onto.labels[term] == flag.label, flag.id
    chest = urgent_findings(real_kb, ["HP:0100749"])
    assert chest and chest[0]["red_flag"]["label"] == "Chest pain"


@pytest.mark.integration
def test_a_stiff_neck_is_urgent_with_fever_only(real_kb: KnowledgeBase) -> None:
    """Regression: "fever, headache and a stiff neck" raised no banner: the words read as
    "Stiff neck", not the flagged "Nuchal rigidity"; with fever it is meningism."""
    onto = real_kb.ontology
    for pair in paired_flags():  # every id of the file is a current term
        for term_id in (pair.id, pair.red_flag, *pair.together_with):
            term = onto.resolve(term_id)
            assert term is not None and onto.ids[term] == term_id, term_id
    fever, stiff_neck, headache = "HP:0001945", "HP:0025258", "HP:0002315"
    assert urgent_findings(real_kb, [stiff_neck, headache]) == []
    (found,) = urgent_findings(real_kb, [headache, stiff_neck, fever])
    assert found["id"] == stiff_neck and found["label"] == "Stiff neck with fever"
    assert found["red_flag"]["id"] == "HP:0031179"  # nuchal rigidity
    assert found["with"] == [{"id": fever, "label": "Fever"}]
    # A more specific fever counts too; the pair is reported once.
    high = urgent_findings(real_kb, [stiff_neck, "HP:0001954", fever])
    assert [f["id"] for f in high] == [stiff_neck]
