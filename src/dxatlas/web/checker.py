"""The symptom checker: the state its form carries between requests, and one run of it.

The form holds the findings entered so far as ids (chips: present or absent; the risk factors
read, `RISK:smoking`, as chips of their own), the questions answered "don't know" (never asked
again), what was just typed (free text, read with the recogniser, and the add-a-finding box),
age and sex. A request may also carry one action: an answer to a follow-up question
(`answer=yes:HP:0001945`) or a chip to remove (`remove=HP:0001945`). A run applies the action,
reads what was typed into chips, ranks, explains the top rows, finds the red flags, and picks
the next questions by expected information gain.

Everything is plain form fields, so the page works without a script, and `/check.json` answers
the same fields (query string or form post) with the same data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from dxatlas.kb.curie import Curie
from dxatlas.kb.knowledge import SEX_NAMES
from dxatlas.kb.risk_factors import canonical_risk_id, load_risk_vocabulary
from dxatlas.web.engine import CaseInput, WebError, split_findings
from dxatlas.web.explanations import explain_row, row_evidence

if TYPE_CHECKING:
    from dxatlas.web.engine import WebEngine

CHECK_TOP = 10
QUESTIONS_SHOWN = 3
MAX_CHIPS = 200
_LIMITS = {"findings": 5000, "add": 300, "age": 40, "sex": 20, "answer": 60, "remove": 40}
_LISTS = ("present", "absent", "unknown", "history", "risk")
_SEXES = ("", "female", "male")
_ANSWERS = {"yes": "yes", "no": "no", "unknown": "unknown", "dont-know": "unknown"}


@dataclass(frozen=True, slots=True)
class CheckForm:
    """What the checker's form sends: chips, skipped questions, typed text, age, sex, action."""

    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    history: tuple[str, ...] = ()  # present, of the patient's past history (read from text)
    risk: tuple[str, ...] = ()  # risk factors the patient has (RISK: ids, read from text)
    findings: str = ""
    add: str = ""
    age: str = ""
    sex: str = ""
    top: int = CHECK_TOP
    answer: str = ""
    remove: str = ""

    @classmethod
    def read(cls, items: Iterable[tuple[str, str]]) -> CheckForm:
        """The form from (name, value) pairs (query string and form fields); raise `WebError`
        (400) naming the field for a value that is too long, not an HPO id, or out of range."""
        lists: dict[str, list[str]] = {name: [] for name in _LISTS}
        single: dict[str, str] = {}
        for name, value in items:
            if name in lists:
                value = value.strip()
                if not value:
                    continue
                if name == "risk":
                    value = _risk_id(value)
                elif Curie.looks_like(value) and value.upper().startswith("HP:"):
                    value = value.upper()
                else:
                    raise WebError(400, f"{name}: {value[:40]!r} is not an HPO id (HP:0000000)")
                if len(lists[name]) >= MAX_CHIPS:
                    raise WebError(400, f"{name}: at most {MAX_CHIPS} findings")
                lists[name].append(value)
            elif name in _LIMITS or name == "top":
                if len(value) > _LIMITS.get(name, 4):
                    raise WebError(400, f"{name}: at most {_LIMITS.get(name, 4)} characters")
                single[name] = value
        sex = single.get("sex", "").strip().lower()
        if sex not in _SEXES and sex != "unknown":
            raise WebError(400, f"sex: {sex!r} is not one of female, male or unknown")
        top = single.get("top", "").strip() or str(CHECK_TOP)
        if not top.isdigit() or not 1 <= int(top) <= 100:
            raise WebError(400, f"top: {top!r} is not a whole number from 1 to 100")
        return cls(
            present=tuple(dict.fromkeys(lists["present"])),
            absent=tuple(dict.fromkeys(lists["absent"])),
            unknown=tuple(dict.fromkeys(lists["unknown"])),
            history=tuple(dict.fromkeys(lists["history"])),
            risk=tuple(dict.fromkeys(lists["risk"])),
            findings=single.get("findings", ""),
            add=single.get("add", ""),
            age=single.get("age", "").strip(),
            sex="" if sex == "unknown" else sex,
            top=int(top),
            answer=single.get("answer", "").strip(),
            remove=_chip_id(single.get("remove", "")),
        )

    def acted(self) -> CheckForm:
        """The form after its action: an answered finding becomes a present or absent chip (or,
        for "don't know", a skipped question); a removed id leaves every list."""
        form = self
        if self.remove:
            form = form._without(self.remove)
        if self.answer:
            reply, _, finding = self.answer.partition(":")
            finding = finding.strip().upper()
            kind = _ANSWERS.get(reply.strip().lower())
            if kind is None or not (Curie.looks_like(finding) and finding.startswith("HP:")):
                raise WebError(
                    400, f"answer: {self.answer[:60]!r} is not yes, no or unknown:<HPO id>"
                )
            form = form._without(finding)
            target = {"yes": "present", "no": "absent", "unknown": "unknown"}[kind]
            form = replace(form, **{target: (*getattr(form, target), finding)})
        return replace(form, answer="", remove="")

    def _without(self, finding: str) -> CheckForm:
        return replace(
            self,
            present=tuple(t for t in self.present if t != finding),
            absent=tuple(t for t in self.absent if t != finding),
            unknown=tuple(t for t in self.unknown if t != finding),
            history=tuple(t for t in self.history if t != finding),
            risk=tuple(t for t in self.risk if t != finding),
        )

    @property
    def typed(self) -> str:
        """What was typed this time (the text box and the add-a-finding box)."""
        return "\n".join(part for part in (self.findings, self.add) if part.strip())

    @property
    def empty(self) -> bool:
        """Nothing to rank yet: no chip and nothing typed."""
        return not (self.present or self.absent or self.history or self.typed.strip())

    def fields(self) -> list[tuple[str, str]]:
        """The form's state as (name, value) pairs: what a link to the same check carries."""
        pairs = [(name, value) for name in _LISTS for value in getattr(self, name)]
        pairs += [(name, getattr(self, name)) for name in ("age", "sex") if getattr(self, name)]
        if self.top != CHECK_TOP:
            pairs.append(("top", str(self.top)))
        return pairs

    def query(self) -> str:
        return urlencode(self.fields())


def _risk_id(value: str) -> str:
    """A risk factor chip's id (`RISK:smoking`), or `WebError` (400) naming the value."""
    factor = load_risk_vocabulary().known_id(value)
    if factor is None:
        raise WebError(400, f"risk: {value[:40]!r} is not a risk factor id (RISK:smoking)")
    return factor


def _chip_id(value: str) -> str:
    """The id a remove button names: an HPO id in upper case, a risk factor id as listed."""
    return canonical_risk_id(value) or value.strip().upper()


def run_check(engine: WebEngine, form: CheckForm) -> tuple[dict[str, Any], CheckForm]:
    """One run of the checker (on a form whose action is applied): the differential JSON of
    `diagnose` (with "recognised" and "urgent"), each row's "why", the next "questions" and the
    "state" to send back; and that state as the form to render. Raise `WebError` for input the
    case cannot be built from (no present finding, an unknown id, an impossible age)."""
    from dxatlas.rank.questions import next_questions
    from dxatlas.rank.report import differential_json

    typed = split_findings(form.typed)
    given = CaseInput(
        present=(*form.present, *typed.present),
        excluded=form.absent,
        history=form.history,
        text=typed.text,
        age=form.age or None,
        sex=form.sex or None,
        risk_factors=form.risk,
    )
    case, recognised = engine.case(given)
    payload = differential_json(engine.kb, case, engine.ranker.rank(case, top=form.top))
    payload["recognised"] = recognised
    payload["urgent"] = engine.urgent(case.present)
    with engine.store() as store:
        for row in payload["differential"]:
            row["why"] = explain_row(engine.kb, row, row_evidence(store, row))
    answered = {*case.present, *case.excluded, *case.history}
    skipped = tuple(t for t in _current(engine, form.unknown) if t not in answered)
    payload["questions"] = [
        {
            "id": q.term_id,
            "label": q.label,
            "question": q.question_text,
            "expected_gain": round(q.expected_gain, 4),
            "p_yes": round(q.p_yes, 4),
        }
        for q in next_questions(
            engine.ranker, case, QUESTIONS_SHOWN, skip=skipped, wording=engine.question_wording()
        )
    ]
    # Text that added no finding stays in the box, so the user can reword it.
    before = {*_current(engine, (*form.present, *typed.present, *form.absent))}
    unread = bool(typed.text) and answered <= before
    # The chips are the findings that count: a present finding implied by a more specific one
    # ("Pain" beside "Chest pain") and an absent one implied by a broader absent one are dropped,
    # as the ranker drops them.
    onto = engine.kb.ontology
    counted = engine.ranker.effective_findings(case)
    state = CheckForm(
        present=tuple(onto.ids[t] for t, status in counted if status == "present"),
        absent=tuple(onto.ids[t] for t, status in counted if status == "excluded"),
        unknown=skipped,
        history=tuple(onto.ids[t] for t, status in counted if status == "history"),
        risk=case.risk_factors,  # kept: answering a question must not forget the smoking
        findings=form.typed if unread else "",
        age=form.age or _age_field(case.age_years),
        sex=form.sex or (SEX_NAMES.get(case.sex) or ""),
        top=form.top,
    )
    payload["state"] = {
        "present": list(state.present),
        "absent": list(state.absent),
        "unknown": list(state.unknown),
        "history": list(state.history),
        "risk": list(state.risk),
        "age": state.age,
        "sex": state.sex,
        "unread": state.findings,
    }
    return payload, state


def chips(engine: WebEngine, form: CheckForm) -> list[dict[str, str]]:
    """The form's findings as chips: id, label (the id itself if unknown) and status (present,
    absent, unknown for a question answered "don't know", or history for a past condition read
    from the text), and "plain": the finding in
    everyday words when the label is not ("sore throat" for Pharyngalgia)."""
    from dxatlas.rank.questions import plain_phrase

    onto = engine.kb.ontology
    found = []
    for status, ids in (
        ("present", form.present),
        ("absent", form.absent),
        ("unknown", form.unknown),
        ("history", form.history),
    ):
        for finding in ids:
            term = onto.resolve(finding)
            label = onto.labels[term] if term is not None else finding
            plain = plain_phrase(onto, term) if term is not None else label
            found.append(
                {
                    "id": finding,
                    "label": label,
                    "plain": plain if plain.lower() != label.lower() else "",
                    "status": status,
                }
            )
    labels = load_risk_vocabulary().labels
    found += [{"id": r, "label": labels[r], "plain": "", "status": "risk"} for r in form.risk]
    return found


def _current(engine: WebEngine, ids: Iterable[str]) -> list[str]:
    """The current ids of the known terms among `ids` (alt and obsolete ids resolved)."""
    onto = engine.kb.ontology
    found = (onto.resolve(t) for t in ids)
    return list(dict.fromkeys(onto.ids[t] for t in found if t is not None))


def _age_field(years: float | None) -> str:
    """An age the form's age field reads back (years as a number)."""
    return "" if years is None else f"{round(years, 2):g}"
