"""What `diagnose` and `ask` share: the case options, and turning typed findings into HPO ids."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from dxatlas.cli.app import fail
from dxatlas.kb.curie import Curie
from dxatlas.kb.knowledge import KnowledgeBase

if TYPE_CHECKING:
    from dxatlas.rank.case_text import CaseText
    from dxatlas.recognize.annotator import Annotator

FINDINGS = typer.Argument(
    None,
    help="Findings present: HPO ids (HP:0001903), names or synonyms ('sore throat'), or words.",
)
EXCLUDE = typer.Option(None, "--exclude", "-x", help="A finding known to be absent (repeatable).")
AGE = typer.Option(None, "--age", help="Age: ISO 8601 duration (P4M, P45Y) or years.")
SEX = typer.Option(None, "--sex", help="male, female or unknown.")


class FindingReader:
    """Turns what a person typed into HPO ids: an id as it is, a name or synonym through the name
    index, and anything else through the recogniser ("violaceous papules" -> Papule). The index
    and the recogniser are built only when needed, once. An unreadable item ends the command
    with a one-line error that suggests the closest names."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.recognised: list[dict[str, str]] = []  # phrases read as text: what became what
        self._names = None
        self._annotator: Annotator | None = None

    def ids(self, items: list[str]) -> list[str]:
        """The HPO ids of `items`, in order (a phrase may give several)."""
        from dxatlas.kb.lookup import NameIndex, UnknownNameError

        resolved: list[str] = []
        for item in items:
            if Curie.looks_like(item) or item.strip().upper().startswith("HP:"):
                resolved.append(item)
                continue
            self._names = self._names or NameIndex.build(self.kb)
            try:
                resolved.append(self._names.finding(item))
            except UnknownNameError as error:
                found = self.findings_in(item)
                if not found:
                    fail(str(error))
                for finding_id, label, words in found:
                    self.recognised.append(
                        {"text": item, "words": words, "id": finding_id, "label": label}
                    )
                    resolved.append(finding_id)
        return resolved

    def case_text(self, text: str) -> CaseText:
        """The findings, age and sex of a case told in words (`dxatlas.rank.case_text`)."""
        from dxatlas.rank.case_text import read_case_text
        from dxatlas.recognize.spelling import corrector_for

        return read_case_text(text, self._recogniser(), corrector_for(self.kb))

    def findings_in(self, phrase: str) -> list[tuple[str, str, str]]:
        """Asserted findings the recogniser reads in a phrase that is not itself a known name."""
        from dxatlas.recognize.mention import Assertion, Kind

        return [
            (m.id, m.label, m.text)
            for m in self._recogniser().annotate(phrase).mentions
            if m.kind == Kind.FINDING and m.assertion == Assertion.ASSERTED
        ]

    def _recogniser(self) -> Annotator:
        """The concept recogniser, built on first use (its lexicon is cached on disk)."""
        from dxatlas.recognize.annotator import Annotator
        from dxatlas.settings import get_settings

        if self._annotator is None:
            self._annotator = Annotator.from_kb(self.kb, get_settings().cache_dir)
        return self._annotator
