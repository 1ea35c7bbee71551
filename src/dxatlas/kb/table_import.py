"""Reading a user's curated table of disease findings (`dxatlas kb import FILE`).

A table is CSV (comma, semicolon or tab; a header row naming the columns), JSON (a list of
objects, or `{"rows": [...]}`) or JSON Lines, with the columns:

- `disease` (required): a curated disease id (`OMIM:...`, `ORPHA:...`), a curated disease's name,
  or any other name (a user concept of that name is found or made);
- `finding` (required): an HPO id, or a finding's name, synonym or plain words ("sore throat"),
  or a risk factor id (`RISK:smoking`, `RISK:day-care`: `dxatlas.kb.risk_factors`), which makes
  the disease likelier for a patient who has it without being a finding of the disease;
- `frequency` (optional): a fraction (0.4), a percentage (40%), a count (4/10), an HPO frequency
  term (HP:0040281 or its label, "very frequent"), or a frequency word ("often", "rarely");
- `source` (optional): where the row comes from (a citation, a PMID, a URL); the file's name
  when empty.

Every row is checked before anything is stored; a table with bad rows is refused whole, with one
line per bad row (file, line, what is wrong).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dxatlas.kb.curie import Curie
from dxatlas.kb.frequency import FREQUENCY_TERMS, FrequencyError, parse_frequency
from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.kb.lookup import NameIndex, UnknownNameError
from dxatlas.kb.normalize import normalize_name
from dxatlas.kb.risk_factors import is_risk_id, load_risk_vocabulary

COLUMNS = ("disease", "finding", "frequency", "source")
MAX_ROWS = 1_000_000


class TableError(ValueError):
    """A table that cannot be imported; the message names the file and each bad row."""


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row as written, with the line (CSV, JSON Lines) or item number (JSON) it came from."""

    line: int
    disease: str
    finding: str
    frequency: str = ""
    source: str = ""
    synonyms: tuple[str, ...] = ()
    """Further names of the disease (from a format that gives them, such as DDXPlus)."""


@dataclass(frozen=True, slots=True)
class ImportedFinding:
    """One checked row: the disease (a curated id, or a name for a user concept, with its further
    names), the finding's HPO id and label, the frequency as a fraction (None when not given),
    and the source."""

    line: int
    disease: str
    curated_id: str | None
    finding_id: str
    label: str
    frequency: float | None
    source: str
    synonyms: tuple[str, ...] = ()


def read_table(path: Path) -> list[TableRow]:
    """The rows of a CSV, JSON or JSON Lines table (chosen by content, not by name)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise TableError(f"cannot read table {path}: {error}") from None
    stripped = text.lstrip()
    if not stripped:
        raise TableError(f"table {path} is empty")
    json_like = stripped[0] in "[{"
    records = _json_records(path, stripped) if json_like else _csv_records(path, text)
    rows: list[TableRow] = []
    for line, record in records:
        values = {
            k.strip().lower(): ("" if v is None else str(v)).strip() for k, v in record.items() if k
        }
        rows.append(TableRow(line, *(values.get(column, "") for column in COLUMNS)))
        if len(rows) > MAX_ROWS:
            raise TableError(f"table {path} has more than {MAX_ROWS:,} rows")
    if not rows:
        raise TableError(f"table {path} has no rows")
    return rows


def _json_records(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(text)
        lines = None
    except json.JSONDecodeError:
        data, lines = None, text.splitlines()
    if lines is not None:  # JSON Lines: one object per line
        records = []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise TableError(f"{path}:{number}: not JSON ({error.msg})") from None
            if not isinstance(item, dict):
                raise TableError(f"{path}:{number}: a row must be a JSON object")
            records.append((number, item))
        return records
    items = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise TableError(f"table {path}: JSON must be a list of row objects or {{'rows': [...]}}")
    return list(enumerate(items, 1))


def _csv_records(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    first = text.splitlines()[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in ("disease", "finding") if c not in header]
    if missing:
        raise TableError(
            f"table {path}: the header row must name the columns disease, finding "
            f"(and optionally frequency, source); missing: {', '.join(missing)}"
        )
    try:
        return [(reader.line_num, record) for record in reader]
    except csv.Error as error:
        raise TableError(f"{path}:{reader.line_num}: {error}") from None


# --- checking rows -----------------------------------------------------------------------------

_FREQUENCY_LABELS = {
    normalize_name(label.split("(")[0]): fraction for label, fraction in FREQUENCY_TERMS.values()
}


def read_frequency(text: str, words: dict[str, float]) -> float | None:
    """A frequency cell as a fraction: number, percentage, n/m, HPO frequency term or label, or a
    frequency word; None when empty. Raises FrequencyError for anything else."""
    value = text.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None:
        if not 0.0 <= number <= 1.0:
            raise FrequencyError(f"frequency {value!r} is not a fraction between 0 and 1")
        return number
    key = normalize_name(value)
    if key in _FREQUENCY_LABELS:
        return _FREQUENCY_LABELS[key]
    if key in words:
        return words[key]
    parsed = parse_frequency(value.upper() if value.upper().startswith("HP:") else value)
    return parsed.fraction if parsed is not None else None


def check_rows(
    rows: list[TableRow],
    kb: KnowledgeBase,
    names: NameIndex,
    read_words: Callable[[str], list[tuple[str, str]]],
    frequency_words: dict[str, float],
    origin: str,
) -> list[ImportedFinding]:
    """Resolve every row (diseases, findings, frequencies); raise TableError listing every bad
    row. `read_words` gives the asserted findings (id, label) a phrase names (the recogniser)."""
    checked: list[ImportedFinding] = []
    problems: list[str] = []
    onto = kb.ontology
    for row in rows:
        where = f"{origin}:{row.line}"
        if not row.disease:
            problems.append(f"{where}: no disease")
            continue
        if not row.finding:
            problems.append(f"{where}: no finding")
            continue
        try:
            frequency = read_frequency(row.frequency, frequency_words)
        except FrequencyError as error:
            problems.append(f"{where}: {error}")
            continue
        finding, problem = _finding(row.finding, names, read_words)
        if finding is None:
            problems.append(f"{where}: {problem}")
            continue
        try:
            curated: str | None = kb.disease_ids[names.disease(row.disease)]
        except (UnknownNameError, ValueError) as error:
            if Curie.looks_like(row.disease):
                problems.append(f"{where}: {error}")
                continue
            # A disease the curated knowledge lacks under this name: one of its other names,
            # else a user concept.
            curated = _curated_synonym(row.synonyms, kb, names)
        finding_id = finding
        if is_risk_id(finding_id):
            label = load_risk_vocabulary().labels[finding_id]
        else:
            label = onto.labels[onto.index[finding_id]]
        checked.append(
            ImportedFinding(
                row.line,
                row.disease,
                curated,
                finding_id,
                label,
                frequency,
                row.source or Path(origin).name,
                row.synonyms,
            )
        )
    if problems:
        shown = problems[:20]
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise TableError(
            f"table {origin}: {len(problems)} bad row(s), nothing imported:\n"
            + "\n".join(shown)
            + more
        )
    return checked


def _curated_synonym(synonyms: tuple[str, ...], kb: KnowledgeBase, names: NameIndex) -> str | None:
    """The curated disease one of `synonyms` names, if any."""
    for synonym in synonyms:
        try:
            return kb.disease_ids[names.disease(synonym)]
        except (UnknownNameError, ValueError):
            continue
    return None


def _finding(
    text: str, names: NameIndex, read_words: Callable[[str], list[tuple[str, str]]]
) -> tuple[str | None, str]:
    """The HPO id a finding cell names (or the risk factor id it writes: `RISK:smoking`), or
    None and what is wrong."""
    if is_risk_id(text):
        vocabulary = load_risk_vocabulary()
        factor = vocabulary.known_id(text)
        if factor is not None:
            return factor, ""
        listed = ", ".join(sorted(vocabulary.labels))
        return None, f"risk factor {text!r} is not one dxatlas knows ({listed})"
    try:
        return names.finding(text), ""
    except UnknownNameError as error:
        if Curie.looks_like(text):
            return None, str(error)
        found = read_words(text)
        if len(found) == 1:
            return found[0][0], ""
        if len(found) > 1:
            labels = ", ".join(label for _, label in found)
            return None, f"finding {text!r} names several findings ({labels}): one per row"
        return None, str(error)
