"""Read a GA4GH Phenopacket v2 (JSON) into the parts of a case: features, age and sex."""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.json_format import Parse, ParseError
from phenopackets import Phenopacket, Sex


class PhenopacketError(ValueError):
    """Raised for text that is not a readable Phenopacket v2."""


@dataclass(frozen=True, slots=True)
class PhenopacketCase:
    """Observed and excluded HPO ids, age (ISO 8601 duration) and sex of a phenopacket's subject."""

    id: str
    present: list[str]
    excluded: list[str]
    age: str | None
    sex: str | None


def read_phenopacket(text: str, source: str = "phenopacket") -> PhenopacketCase:
    """Parse Phenopacket v2 JSON text; `source` names the input in error messages."""
    try:
        packet = Parse(text, Phenopacket(), ignore_unknown_fields=True)
    except (ParseError, ValueError, TypeError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise PhenopacketError(
            f"{source} is not a valid Phenopacket v2 JSON: {first_line}"
        ) from error
    present: list[str] = []
    excluded: list[str] = []
    for feature in packet.phenotypic_features:
        term = feature.type.id
        if not term:
            continue
        (excluded if feature.excluded else present).append(term)
    if not present and not excluded:
        raise PhenopacketError(f"{source} has no phenotypic features")
    subject = packet.subject
    if subject.sex not in Sex.values():  # proto3 keeps an enum number it does not know
        raise PhenopacketError(f"{source} has an unknown subject sex {subject.sex}")
    age = None
    if subject.HasField("time_at_last_encounter") and subject.time_at_last_encounter.HasField(
        "age"
    ):
        age = subject.time_at_last_encounter.age.iso8601duration or None
    return PhenopacketCase(
        id=packet.id, present=present, excluded=excluded, age=age, sex=Sex.Name(subject.sex)
    )
