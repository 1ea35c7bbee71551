"""The section model: its featuriser, scorer and file on a tiny model built here, the packaged
model on sentences written for these tests, and its combination with the cue rules."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from dxatlas.evidence.section_model import (
    Combination,
    SectionModel,
    bucket_counts,
    bucket_of,
    features,
    load_section_model,
    model_paths,
    smooth_idf,
    tfidf,
)
from dxatlas.evidence.sections import Classification, SectionClassifier, parse_cues
from dxatlas.settings import get_settings

N = 1024


def test_features_are_unigrams_bigrams_and_the_rules_section() -> None:
    assert features("symptoms include fever, rash.", "presentation") == [
        "symptoms",
        "include",
        "fever",
        "rash",
        "symptoms include",
        "include fever",
        "fever rash",
        "rule=presentation",
    ]
    assert features("", None) == ["rule=none"]


def test_buckets_are_crc32_and_stable() -> None:
    # Fixed numbers: the shipped weights are indexed by these, whatever the process or platform.
    assert bucket_of("antibiotics", 2**32) == 1529862618
    assert bucket_of("rule=none", 2**32) == 3483794325
    assert bucket_of("fever rash", 2**16) == 3527780974 % 2**16
    assert bucket_counts(["a", "b", "a"], N) == {bucket_of("a", N): 2, bucket_of("b", N): 1}


def test_tfidf_is_sublinear_weighted_and_unit_length() -> None:
    idf = np.ones(N, dtype=np.float32)
    idf[3] = 2.0
    idf[5] = 0.0  # a bucket too rare in training: it never counts
    indices, values = tfidf({1: 2, 3: 1, 5: 4}, idf)
    raw = np.array([1 + math.log(2), 2.0, 0.0])
    assert list(indices) == [1, 3, 5]
    assert np.allclose(values, raw / np.linalg.norm(raw))
    assert np.isclose(np.linalg.norm(values), 1.0)
    assert tfidf({5: 1}, idf)[1].tolist() == [0.0]  # nothing left: no division by zero


def test_smooth_idf_drops_rare_buckets() -> None:
    idf = smooth_idf(np.array([0, 1, 2, 10]), n_rows=10, min_df=2)
    assert idf[0] == idf[1] == 0.0
    assert idf[2] == pytest.approx(math.log(11 / 3) + 1)
    assert idf[3] == pytest.approx(math.log(11 / 11) + 1)


def tiny_model(metadata: dict | None = None) -> SectionModel:
    """Two classes: the made-up word "florp" votes treatment, "snark" workup, and the rules'
    workup a little workup."""
    assert len({bucket_of(word, N) for word in ("florp", "snark", "rule=workup")}) == 3
    weights = np.zeros((N, 2), dtype=np.float32)
    weights[bucket_of("florp", N)] = [20.0, -20.0]
    weights[bucket_of("snark", N)] = [-20.0, 20.0]
    weights[bucket_of("rule=workup", N)] += [-0.5, 0.5]
    idf = np.ones(N, dtype=np.float32)
    return SectionModel(
        ("treatment", "workup"), weights, np.zeros(2, np.float32), idf, metadata or {}
    )


def test_the_scorer_is_softmax_of_the_linear_scores() -> None:
    model = tiny_model()
    probabilities = model.probabilities("a florp", None)
    assert probabilities.sum() == pytest.approx(1.0)
    assert model.predict("a florp", None)[0] == "treatment"
    assert model.predict("a florp", None)[1] == pytest.approx(probabilities.max())
    section, probability = model.predict("a snark", "treatment")
    assert section == "workup" and probability > 0.9
    scores = model.scores("nothing known here", None)
    assert scores.tolist() == [0.0, 0.0]
    assert model.predict("nothing known here", "workup")[0] == "workup"  # the rules' token


def test_inconsistent_arrays_are_refused() -> None:
    model = tiny_model()
    with pytest.raises(ValueError, match="disagree"):
        SectionModel(("treatment",), model.weights, model.intercepts, model.idf)
    with pytest.raises(ValueError, match="bucket count"):
        SectionModel(model.classes, model.weights, model.intercepts, model.idf[:10])


def test_save_and_load_round_trip_and_the_checksum(tmp_path: Path) -> None:
    arrays = tiny_model({"combination": {"keep": ["overview"]}}).save(tmp_path, "m")
    meta = json.loads((tmp_path / "m.json").read_text())
    assert meta["classes"] == ["treatment", "workup"] and meta["n_buckets"] == N
    loaded = SectionModel.load(arrays, meta)
    assert loaded.predict("a snark", None)[0] == "workup"
    assert loaded.combination.keep == {"overview"}
    with np.load(arrays, allow_pickle=False) as npz:  # plain arrays: no pickle needed
        assert npz["weights"].dtype == np.float16
    with pytest.raises(ValueError, match="sha256"):
        SectionModel.load(arrays.read_bytes() + b"x", meta)
    with pytest.raises(ValueError, match="featuriser"):
        SectionModel.load(arrays, {**meta, "featurizer_version": 0})


def rules_answer(
    section: str | None, score: float = 1.0, boilerplate: float = 0.0, framed: bool = False
) -> Classification:
    return Classification(section, score, 1.0, (), {}, boilerplate, framed)


def test_combination_decides_when_the_model_is_asked() -> None:
    combination = Combination(keep=frozenset({"overview"}), strong_score=4.0, min_probability=0.5)
    assert not combination.asks_model(rules_answer("overview"))  # kept
    assert not combination.asks_model(rules_answer("workup", score=4.0))  # a strong cue
    assert not combination.asks_model(rules_answer("workup", framed=True))  # a frame
    assert not combination.asks_model(rules_answer(None, boilerplate=2.5))  # boilerplate
    assert combination.asks_model(rules_answer("workup", score=3.5))
    assert combination.asks_model(rules_answer(None))  # no cue at all
    loose = Combination(frames_stand=False, boilerplate_stands=False)
    assert loose.asks_model(rules_answer("workup", framed=True))
    assert loose.asks_model(rules_answer(None, boilerplate=2.5))


def test_combination_takes_the_model_only_when_it_is_sure_enough() -> None:
    combination = Combination(frozenset({"overview"}), min_probability=0.5)
    assert combination.choose("overview", "treatment", 0.99) == "overview"
    assert combination.choose("workup", "treatment", 0.49) == "workup"
    assert combination.choose("workup", "treatment", 0.5) == "treatment"
    strict = replace(combination, min_probability_over_none=0.8)
    assert strict.choose(None, "treatment", 0.79) is None
    assert strict.choose(None, "treatment", 0.8) == "treatment"


def test_combination_round_trips_through_metadata() -> None:
    combination = Combination(frozenset({"overview"}), 4.0, False, True, 0.5, 0.8)
    again = Combination.from_metadata({"combination": combination.to_metadata()})
    assert again == combination
    assert Combination.from_metadata({}) == Combination()
    assert Combination.from_metadata({"combination": {"strong_score": None}}).strong_score == (
        math.inf
    )


def test_the_classifier_combines_the_model_with_the_rules() -> None:
    meta = {"combination": {"keep": ["overview"], "min_probability_over_none": 0.9}}
    classifier = SectionClassifier(model=tiny_model(meta))
    rules = SectionClassifier(model=False)
    sentence = "The florp and the snark met a florp."  # no cue: the rules say none
    assert rules.classify(sentence).section is None
    result = classifier.classify(sentence)
    assert result.section == "treatment" and result.source == "model"
    assert result.cues == ("section model",) and 0.9 <= result.confidence <= 1
    assert result.probability == result.confidence
    assert classifier.classify("The florp met the snark.").section is None  # p 0.5 < 0.9
    # A weak rules' answer (one topic word) that the model is sure of replacing ...
    weak = rules.classify("An x-ray of the florp.")
    assert weak.section == "workup" and not weak.framed and weak.score < 4
    replaced = classifier.classify("An x-ray of the florp.")
    assert replaced.section == "treatment" and replaced.source == "model"
    # ... and one the model agrees with: the rules' answer, with the model's probability.
    agreed = classifier.classify("An x-ray of the snark.")
    assert agreed.section == "workup" and agreed.source == "rules"
    assert agreed.cues == ("x-ray*",) and agreed.probability is not None
    assert agreed.probability > 0.9
    # Strong and framed rules' answers stand without asking the model.
    framed = "The diagnosis is confirmed by a snark."
    assert rules.classify(framed).section == "workup"
    assert classifier.classify(framed) == rules.classify(framed)
    definition = (
        "Fibrous dysplasia is a rare bone disorder that replaces normal bone with scar tissue."
    )
    assert rules.classify(definition).section == "overview"
    assert classifier.classify(definition).section == "overview"  # kept
    boilerplate = "For more information about florp, visit our website."
    assert rules.classify(boilerplate).boilerplate > 0
    assert classifier.classify(boilerplate).section is None  # boilerplate stands


def test_custom_cues_go_without_the_packaged_model() -> None:
    # The packaged model reads the packaged cues' answer: with other cues it is not used,
    # unless given.
    custom = parse_cues({"sections": {"treatment": {"cues": [{"terms": ["pill"], "weight": 1}]}}})
    assert SectionClassifier(custom).model is None
    assert SectionClassifier(custom, model=tiny_model()).model is not None


def test_the_packaged_model_loads_and_is_numbers_only() -> None:
    model = load_section_model("en")
    assert model is not None and load_section_model("en") is model
    assert set(model.classes) >= {"presentation", "treatment", "workup", "etiology"}
    assert model.metadata["licence"] == "CC BY 4.0" and model.metadata["trained_on_buckets"]
    arrays, _ = model_paths("en")
    assert len(arrays.read_bytes()) < 2_000_000
    with np.load(arrays.open("rb"), allow_pickle=False) as npz:
        assert sorted(npz.files) == ["idf", "intercepts", "weights"]
        assert all(np.issubdtype(npz[name].dtype, np.floating) for name in npz.files)


CLEAR = [
    ("Treatment includes antibiotics.", "treatment"),
    ("Surgery may be needed to remove the damaged part of the bowel.", "treatment"),
    ("Symptoms include fever, a cough and a rash on the chest.", "presentation"),
    ("The diagnosis is made with a blood test and a biopsy of the skin.", "workup"),
    ("The condition is caused by mutations in the ABC1 gene.", "etiology"),
    ("It is inherited in an autosomal dominant pattern.", "etiology"),
    ("The disorder affects about 1 in 20,000 people worldwide.", "epidemiology"),
    ("Most people recover completely within a few weeks.", "prognosis"),
]


@pytest.mark.parametrize(("sentence", "section"), CLEAR)
def test_the_packaged_model_reads_clear_sentences(sentence: str, section: str) -> None:
    model = load_section_model("en")
    assert model is not None
    classifier = SectionClassifier(model=model)
    rules = classifier.classify_prepared(classifier.prepare(sentence))
    assert model.predict(classifier.prepare(sentence), rules.section)[0] == section
    assert classifier.classify(sentence).section == section


def test_the_rules_strong_cues_stand_where_the_model_leans_to_medquad_answers() -> None:
    # The model alone puts this with treatment by a hair (MedQuAD's treatment answers are full
    # of advice); "help prevent" is a strong prevention cue, so the rules' answer stands.
    sentence = "Washing your hands often can help prevent the infection."
    classifier = SectionClassifier(model=True)
    assert classifier.model is not None
    rules = classifier.classify_prepared(classifier.prepare(sentence))
    assert rules.section == "prevention" and rules.score >= 4
    assert classifier.classify(sentence).section == "prevention"


def test_the_setting_turns_the_model_off(monkeypatch: pytest.MonkeyPatch) -> None:
    sentence = "Some babies have trouble feeding."  # a weak rules' answer: the model is asked
    get_settings.cache_clear()
    try:
        on = SectionClassifier()
        monkeypatch.setenv("DXATLAS_SECTION_MODEL", "false")
        get_settings.cache_clear()
        off = SectionClassifier()
    finally:
        monkeypatch.delenv("DXATLAS_SECTION_MODEL")
        get_settings.cache_clear()
    assert on.model is not None and off.model is None  # the default: on
    assert on.classify(sentence).probability is not None
    rules = SectionClassifier(model=False)
    assert off.classify(sentence) == rules.classify(sentence)
    assert off.classify(sentence).probability is None
    for text, _ in CLEAR:
        assert off.classify(text) == rules.classify(text)


def test_a_hint_pattern_is_no_frame_and_a_relation_pattern_is() -> None:
    """A pattern cue of hint weight ("people with X ...", "may have") does not make the rules'
    answer stand beside the model; one that states the relation ("is caused by") does."""
    rules = SectionClassifier(model=False)
    hint = rules.classify(
        "Low levels of iron may also contribute to anemia in people with kidney disease."
    )
    assert hint.section == "presentation" and "people with X ..." in hint.cues
    assert not hint.framed  # so the model may say etiology, as the words do
    assert rules.classify("The disease is caused by mutations in the ABC gene.").framed
