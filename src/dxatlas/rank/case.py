"""`Case`: what is known about a patient, validated against the knowledge base."""

from __future__ import annotations

from dataclasses import dataclass, field

from dxatlas.kb.age import AgeError, parse_age
from dxatlas.kb.curie import Curie, CurieError
from dxatlas.kb.knowledge import SEX_ANY, SEX_FEMALE, SEX_MALE, KnowledgeBase
from dxatlas.kb.risk_factors import load_risk_vocabulary

_SEXES = {
    None: SEX_ANY,
    "": SEX_ANY,
    "unknown": SEX_ANY,
    "unknown_sex": SEX_ANY,
    "other": SEX_ANY,
    "other_sex": SEX_ANY,
    "male": SEX_MALE,
    "m": SEX_MALE,
    "man": SEX_MALE,
    "boy": SEX_MALE,
    "female": SEX_FEMALE,
    "f": SEX_FEMALE,
    "woman": SEX_FEMALE,
    "girl": SEX_FEMALE,
}


class CaseError(ValueError):
    """Raised for a case that names an unknown finding, an impossible age or an unknown sex."""


@dataclass(frozen=True, slots=True)
class Case:
    """Present and excluded HPO ids (current ids), age in years, and sex code."""

    present: tuple[str, ...]
    excluded: tuple[str, ...] = ()
    age_years: float | None = None
    sex: int = SEX_ANY
    unknown_ids: tuple[str, ...] = field(default=())
    history: tuple[str, ...] = ()  # present, but of the past or background history only
    risk_factors: tuple[str, ...] = ()  # RISK: ids the patient has (smoking, day care)

    @classmethod
    def build(
        cls,
        kb: KnowledgeBase,
        present: list[str],
        excluded: list[str] | None = None,
        age: str | float | None = None,
        sex: str | None = None,
        *,
        skip_unknown: bool = False,
        strict: bool = False,
        history: list[str] | None = None,
        risk_factors: list[str] | None = None,
    ) -> Case:
        """Validate ids (alt and obsolete ids resolve), read the age and the sex.

        With `skip_unknown`, ids missing from this HPO release are kept aside in `unknown_ids`
        instead of raising (phenopackets made with a newer HPO name newer terms). A finding given
        both present and excluded stays present (as phenopacket-store does), or with `strict`
        (what a person typed) raises `CaseError`. An excluded finding that a present one implies
        (excluded cough, present productive cough) is dropped: the text contradicted itself, and
        its more specific statement is the one to keep. `history` findings (the patient's past or
        background conditions) count only for a disease that explains them. `risk_factors` are
        ids of `dxatlas.kb.risk_factors` (`RISK:smoking`).
        """
        unknown: list[str] = []

        def resolve(ids: list[str]) -> tuple[str, ...]:
            resolved: list[str] = []
            for raw in ids:
                try:
                    curie = str(Curie.parse(raw))
                except CurieError as error:
                    raise CaseError(str(error)) from error
                index = kb.ontology.resolve(curie)
                if index is None:
                    if skip_unknown:
                        unknown.append(curie)
                        continue
                    raise CaseError(f"{raw!r} is not a term of {kb.version}")
                term_id = kb.ontology.ids[index]
                if term_id not in resolved:
                    resolved.append(term_id)
            return tuple(resolved)

        present_ids = resolve(present)
        excluded_all = resolve(excluded or [])
        both = [t for t in excluded_all if t in present_ids]
        if both and strict:
            labels = ", ".join(f"{kb.ontology.labels[kb.ontology.index[t]]} ({t})" for t in both)
            raise CaseError(f"{labels} is given both as present and as excluded")
        excluded_ids = tuple(
            t for t in excluded_all if t not in present_ids and not _implied(kb, t, present_ids)
        )
        history_ids = tuple(
            t for t in resolve(history or []) if t not in present_ids and t not in excluded_ids
        )
        return cls(
            present=present_ids,
            excluded=excluded_ids,
            age_years=read_age(age),
            sex=read_sex(sex),
            unknown_ids=tuple(unknown),
            history=history_ids,
            risk_factors=read_risk_factors(risk_factors or []),
        )


def read_risk_factors(ids: list[str]) -> tuple[str, ...]:
    """Risk factor ids (`RISK:smoking`, any case), each once; an unknown one raises CaseError."""
    vocabulary = load_risk_vocabulary()
    read: list[str] = []
    for raw in ids:
        factor = vocabulary.known_id(raw)
        if factor is None:
            listed = ", ".join(sorted(vocabulary.labels))
            raise CaseError(f"{raw!r} is not a risk factor dxatlas knows ({listed})")
        if factor not in read:
            read.append(factor)
    return tuple(read)


def read_age(age: str | float | None) -> float | None:
    """An age in years from an ISO 8601 duration, a number, or None."""
    if age is None or age == "":
        return None
    if isinstance(age, int | float):
        if not 0 <= age <= 130:
            raise CaseError(f"age {age!r} is impossible: it must be between 0 and 130 years")
        return float(age)
    try:
        return parse_age(age)
    except AgeError as error:
        raise CaseError(str(error)) from error


def read_sex(sex: str | None) -> int:
    """A sex code from `male`, `female`, `MALE`, `UNKNOWN_SEX`, ... or None."""
    key = sex.strip().lower() if isinstance(sex, str) else sex
    if key not in _SEXES:
        raise CaseError(f"sex {sex!r} is not one of male, female or unknown")
    return _SEXES[key]


def _implied(kb: KnowledgeBase, term: str, present: tuple[str, ...]) -> bool:
    """Whether a present finding is `term` or one of its descendants (so implies `term`)."""
    onto = kb.ontology
    ancestor = onto.index[term]
    return any(onto.is_descendant(onto.index[p], ancestor) for p in present)
