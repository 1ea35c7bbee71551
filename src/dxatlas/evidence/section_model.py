"""A small linear text model that scores a sentence for the page sections, beside the cue rules.

The model is multinomial logistic regression on hashed TF-IDF features, trained by
`bench/train_section_model.py` on MedQuAD answer sentences labelled with their question's
section (see its metadata for the corpus, licence and held-out accuracy). The features of a
sentence are the lower-cased word tokens of the text the rules see (the concept's name and
initials masked), their unigrams and bigrams, and one token for the section the rules chose.
Each feature is hashed with CRC-32 into `n_buckets` buckets, so the shipped file holds numbers
only, no word of the corpus. A sentence's vector is sublinear term frequency (1 + ln tf) times
the bucket's idf, L2-normalised; the scores are weights · vector + intercept, and softmax gives
probabilities.

At run time the model is three plain numpy arrays in an `.npz` file read with
`allow_pickle=False`, scored with numpy: no scikit-learn and no pickle. Plain arrays load
safely (a pickle can run code when it is read), and they do not depend on the version of the
library that trained them (a pickled estimator may not load under another scikit-learn). A
JSON file beside the arrays gives the classes, the bucket count, the featuriser version, the
arrays' SHA-256 (checked on load) and how the model was made.

What it learned is MedQuAD's answer style: its labels are the question each answer replies to,
so a sentence about recovery in a treatment answer counts as treatment, and MedQuAD's smaller
question types (outlook, prevention) pull less than treatment does. It has no overview,
pathophysiology or none class. `Combination` therefore lets it decide only where the rules
are weak (see `bench/train_section_model.py` for how that was chosen and what it costs).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any, Final, Protocol

import numpy as np

__all__ = [
    "FEATURIZER_VERSION",
    "Combination",
    "SectionModel",
    "bucket_counts",
    "bucket_of",
    "features",
    "load_section_model",
    "model_paths",
    "smooth_idf",
    "tfidf",
]

FEATURIZER_VERSION: Final = 1
RULE_PREFIX: Final = "rule="
"""The feature of the rules' section ("rule=treatment", "rule=none"): `=` is never in a token,
so no word or bigram can hash as it does."""
MODEL_NAME: Final = "section_model"
_TOKEN = re.compile(r"[^\W_]+")  # runs of letters and digits, as the cue rules read words


def features(prepared: str, rule_section: str | None) -> list[str]:
    """The features of a sentence: its word unigrams and bigrams, and the rules' section.

    `prepared` is the text the cue rules see (`SectionClassifier.prepare`: lower-cased, the
    concept masked); `rule_section` is the rules' answer (None: none).
    """
    tokens = _TOKEN.findall(prepared)
    grams = list(tokens)
    grams.extend(f"{first} {second}" for first, second in pairwise(tokens))
    grams.append(RULE_PREFIX + (rule_section or "none"))
    return grams


def bucket_of(feature: str, n_buckets: int) -> int:
    """The bucket of one feature: CRC-32 of its UTF-8 bytes modulo `n_buckets` (stable across
    processes and platforms, unlike Python's salted `hash`)."""
    return zlib.crc32(feature.encode("utf-8")) % n_buckets


def bucket_counts(grams: Iterable[str], n_buckets: int) -> dict[int, int]:
    """How often each bucket occurs among `grams`."""
    counts: dict[int, int] = {}
    for gram in grams:
        bucket = zlib.crc32(gram.encode("utf-8")) % n_buckets
        counts[bucket] = counts.get(bucket, 0) + 1
    return counts


def tfidf(counts: Mapping[int, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sentence's vector as (bucket indices, values): (1 + ln tf) * idf, L2-normalised.

    Buckets whose idf is 0 (too rare in training, see the trainer's `min_df`) drop out.
    """
    indices, values, norm = _weighted(counts, idf)
    return indices, values / norm


def _weighted(counts: Mapping[int, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Bucket indices, their (1 + ln tf) * idf, and the L2 norm of those (1.0 when zero)."""
    indices = np.fromiter(counts, dtype=np.intp, count=len(counts))
    tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
    values = (1.0 + np.log(tf)) * idf[indices]
    norm = math.sqrt(float(values @ values))
    return indices, values, norm or 1.0


class RulesAnswer(Protocol):
    """What the combination reads of the rules' answer (a `sections.Classification`)."""

    @property
    def section(self) -> str | None: ...
    @property
    def score(self) -> float: ...
    @property
    def boilerplate(self) -> float: ...
    @property
    def framed(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Combination:
    """How the classifier combines the model's answer with the rules' (kept in the model's
    metadata under "combination"; `bench/train_section_model.py` says how it was chosen).

    The rules' answer stands when its section is in `keep` (the model has no such class), when
    its score reaches `strong_score` (a strong cue fired), when a frame voted for it and
    `frames_stand` (a pattern that states the relation: "is caused by", "is treated with"), or
    when the rules left the sentence without a section because boilerplate cues fired and
    `boilerplate_stands`. Then the model is not asked. Otherwise the model's section is taken
    when its probability reaches `min_probability` (`min_probability_over_none` for a sentence
    the rules left without one), and the rules' answer stands when it does not.
    """

    keep: frozenset[str] = frozenset()
    strong_score: float = math.inf
    frames_stand: bool = True
    boilerplate_stands: bool = True
    min_probability: float = 0.5
    min_probability_over_none: float = 0.5

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Any]) -> Combination:
        """The combination a model's metadata names (the defaults for what it leaves out)."""
        raw = metadata.get("combination") or {}
        default = cls()
        strong = raw.get("strong_score")
        return cls(
            keep=frozenset(raw.get("keep", default.keep)),
            strong_score=default.strong_score if strong is None else float(strong),
            frames_stand=bool(raw.get("frames_stand", default.frames_stand)),
            boilerplate_stands=bool(raw.get("boilerplate_stands", default.boilerplate_stands)),
            min_probability=float(raw.get("min_probability", default.min_probability)),
            min_probability_over_none=float(
                raw.get("min_probability_over_none", default.min_probability_over_none)
            ),
        )

    def to_metadata(self) -> dict[str, Any]:
        """The combination as JSON-ready metadata (`from_metadata` reads it back)."""
        return {
            "keep": sorted(self.keep),
            "strong_score": None if math.isinf(self.strong_score) else self.strong_score,
            "frames_stand": self.frames_stand,
            "boilerplate_stands": self.boilerplate_stands,
            "min_probability": self.min_probability,
            "min_probability_over_none": self.min_probability_over_none,
        }

    def asks_model(self, rules: RulesAnswer) -> bool:
        """Whether the model may change the rules' answer (if not, it need not be scored)."""
        if rules.section is None:
            return not (self.boilerplate_stands and rules.boilerplate > 0)
        if rules.section in self.keep or rules.score >= self.strong_score:
            return False
        return not (self.frames_stand and rules.framed)

    def choose(
        self, rule_section: str | None, model_section: str, probability: float
    ) -> str | None:
        """The section of a sentence the model was asked about (see `asks_model`), given the
        rules' section and the model's best class with its probability."""
        if rule_section in self.keep:
            return rule_section
        threshold = self.min_probability_over_none if rule_section is None else self.min_probability
        return model_section if probability >= threshold else rule_section


@dataclass(frozen=True, slots=True, eq=False)
class SectionModel:
    """The arrays of a trained model and its metadata; `probabilities` scores one sentence.

    `weights` is (n_buckets, n_classes): one row per bucket, so a sentence gathers only the
    rows of its own buckets; `idf` is (n_buckets,), `intercepts` (n_classes,).
    """

    classes: tuple[str, ...]
    weights: np.ndarray
    intercepts: np.ndarray
    idf: np.ndarray
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n_buckets, n_classes = self.weights.shape
        if n_classes != len(self.classes) or self.intercepts.shape != (n_classes,):
            raise ValueError("the section model's classes, weights and intercepts disagree")
        if self.idf.shape != (n_buckets,):
            raise ValueError("the section model's idf and weights disagree on the bucket count")

    @property
    def combination(self) -> Combination:
        """How the classifier combines this model's answer with the rules'."""
        return Combination.from_metadata(self.metadata)

    @property
    def n_buckets(self) -> int:
        """How many hash buckets the features fall into."""
        return int(self.weights.shape[0])

    def scores(self, prepared: str, rule_section: str | None) -> np.ndarray:
        """The linear score of each class for a prepared sentence and the rules' section."""
        counts = bucket_counts(features(prepared, rule_section), self.n_buckets)
        indices, values, norm = _weighted(counts, self.idf)
        # Normalising the 7 scores rather than the vector's values: the same, and cheaper.
        return (values @ self.weights[indices]) / norm + self.intercepts

    def probabilities(self, prepared: str, rule_section: str | None) -> np.ndarray:
        """The softmax of `scores`: one probability per class, in `classes` order."""
        scores = self.scores(prepared, rule_section)
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def predict(self, prepared: str, rule_section: str | None) -> tuple[str, float]:
        """The most probable class and its probability (the softmax of `scores`, computed on
        the few class scores in plain Python: faster than numpy calls at this size)."""
        scores = self.scores(prepared, rule_section).tolist()
        best = max(range(len(scores)), key=scores.__getitem__)
        top = scores[best]
        return self.classes[best], 1.0 / sum(math.exp(score - top) for score in scores)

    def save(self, folder: Path, name: str = MODEL_NAME, dtype: str = "float16") -> Path:
        """Write `<name>.npz` (the arrays, weights and idf as `dtype`) and `<name>.json` (the
        metadata, classes and the arrays' SHA-256) into `folder`; returns the .npz path."""
        folder.mkdir(parents=True, exist_ok=True)
        arrays = folder / f"{name}.npz"
        np.savez_compressed(
            arrays,
            weights=self.weights.astype(dtype),
            intercepts=self.intercepts.astype("float32"),
            idf=self.idf.astype(dtype),
        )
        meta = {
            **self.metadata,
            "classes": list(self.classes),
            "n_buckets": self.n_buckets,
            "featurizer_version": FEATURIZER_VERSION,
            "dtype": dtype,
            "sha256": hashlib.sha256(arrays.read_bytes()).hexdigest(),
        }
        (folder / f"{name}.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        return arrays

    @classmethod
    def load(cls, arrays: Path | bytes, meta: Mapping[str, Any]) -> SectionModel:
        """A model from its .npz (a path or its bytes) and its parsed JSON metadata.

        `ValueError` when the arrays' SHA-256 is not the one the metadata names, or the
        featuriser version is not this module's.
        """
        data = arrays if isinstance(arrays, bytes) else Path(arrays).read_bytes()
        if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            raise ValueError("the section model's arrays do not match its metadata (sha256)")
        if meta.get("featurizer_version") != FEATURIZER_VERSION:
            raise ValueError(
                f"the section model was made with featuriser {meta.get('featurizer_version')}, "
                f"this code has {FEATURIZER_VERSION}"
            )
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            weights = npz["weights"].astype(np.float32)
            intercepts = npz["intercepts"].astype(np.float32)
            idf = npz["idf"].astype(np.float32)
        extra = {k: v for k, v in meta.items() if k != "classes"}
        return cls(tuple(meta["classes"]), weights, intercepts, idf, extra)


def model_paths(language: str = "en") -> tuple[Any, Any]:
    """The packaged model's .npz and .json resources for `language`."""
    folder = resources.files("dxatlas.evidence").joinpath("data", language)
    return folder.joinpath(f"{MODEL_NAME}.npz"), folder.joinpath(f"{MODEL_NAME}.json")


@lru_cache(maxsize=4)
def load_section_model(language: str = "en") -> SectionModel | None:
    """The packaged model of `language`, read once per process; None when there is none."""
    arrays, meta = model_paths(language)
    if not (arrays.is_file() and meta.is_file()):
        return None
    return SectionModel.load(arrays.read_bytes(), json.loads(meta.read_text(encoding="utf-8")))


def smooth_idf(df: np.ndarray, n_rows: int, min_df: int = 1) -> np.ndarray:
    """ln((1 + n) / (1 + df)) + 1 per bucket (as scikit-learn's smoothed idf), 0 for buckets
    seen in fewer than `min_df` rows, which then never count."""
    idf = np.log((1.0 + n_rows) / (1.0 + df)) + 1.0
    idf[df < min_df] = 0.0
    return idf
