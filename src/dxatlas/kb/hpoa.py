"""A reader for HPO's disease annotation file `phenotype.hpoa` (tab-separated, `#` header lines)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dxatlas.kb.frequency import Frequency, parse_frequency

_COLUMNS = (
    "database_id",
    "disease_name",
    "qualifier",
    "hpo_id",
    "reference",
    "evidence",
    "onset",
    "frequency",
    "sex",
    "modifier",
    "aspect",
    "biocuration",
)


class HpoaError(ValueError):
    """Raised for a phenotype.hpoa line that cannot be read."""


@dataclass(frozen=True, slots=True)
class HpoaRow:
    """One annotation line: a disease, an HPO term, and how the term applies to the disease."""

    disease_id: str
    disease_name: str
    negated: bool
    hpo_id: str
    references: tuple[str, ...]
    evidence: str
    onset: str | None
    frequency: Frequency | None
    sex: str | None
    aspect: str


@dataclass(frozen=True, slots=True)
class HpoaFile:
    """The version from the header and every annotation row."""

    version: str
    rows: list[HpoaRow]


def parse_hpoa_line(line: str, line_number: int = 0) -> HpoaRow:
    """Read one data line; raise `HpoaError` naming the line when it is malformed."""
    cells = line.rstrip("\n").split("\t")
    if len(cells) < 11:
        raise HpoaError(
            f"line {line_number}: expected 12 tab-separated columns, found {len(cells)}"
        )
    try:
        frequency = parse_frequency(cells[7])
    except ValueError as error:
        raise HpoaError(f"line {line_number}: {error}") from error
    sex = cells[8].strip().upper() or None
    if sex not in (None, "MALE", "FEMALE"):
        raise HpoaError(f"line {line_number}: sex {cells[8]!r} is neither MALE nor FEMALE")
    return HpoaRow(
        disease_id=cells[0].strip(),
        disease_name=cells[1].strip(),
        negated=cells[2].strip().upper() == "NOT",
        hpo_id=cells[3].strip(),
        references=tuple(ref for ref in cells[4].split(";") if ref.strip()),
        evidence=cells[5].strip(),
        onset=cells[6].strip() or None,
        frequency=frequency,
        sex=sex,
        aspect=cells[10].strip(),
    )


def read_hpoa(path: Path) -> HpoaFile:
    """Read a phenotype.hpoa file."""
    version = ""
    rows: list[HpoaRow] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.startswith("#"):
                if line.startswith("#version:"):
                    version = line.split(":", 1)[1].strip()
                continue
            if line.startswith("database_id\t") or not line.strip():
                continue
            rows.append(parse_hpoa_line(line, number))
    return HpoaFile(version=version, rows=rows)
