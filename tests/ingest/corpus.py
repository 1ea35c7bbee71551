"""A generated corpus for the distributed and fault tests, in the toy knowledge base's words.

Records are MedQuAD-like JSON lines: some declare a focus that is a curated toy disease, some a
made-up disease that becomes a literature concept (with synonyms), some none (they link by their
mentions); a few repeat another record's text. Records also name the
made-up diseases of records before and after them (`mentions`), so a run must recognise each one
only from its own record on, as a serial run does.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Literal

CURATED = ("Seizure disorder A", "Blood disorder B", "Mixed disorder C")
FINDINGS = ("anemia", "neutropenia", "seizures", "intellectual disability", "poor vision", "fits")
SYLLABLES = ("ka", "lo", "mi", "ren", "to", "vu", "sa", "qui", "dor", "pel", "zan", "fe")


def made_up_name(rng: random.Random, number: int) -> str:
    """A disease name no knowledge base has, unique by `number`."""
    word = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
    return f"{word}{'abcdefghij'[number % 10]} {rng.choice(('syndrome', 'disease', 'fever'))}"


def _sentences(rng: random.Random, focus: str, others: list[str]) -> list[str]:
    findings = rng.sample(FINDINGS, 3)
    age = rng.randint(2, 60)
    sex = rng.choice(("boy", "girl", "man", "woman"))
    sentences = [
        f"{focus} is a rare disease of the blood and the brain.",
        f"People with {focus} have {findings[0]} and {findings[1]}.",
        f"There was no {findings[2]} in most patients.",
        f"A {age}-year-old {sex} with {focus} presented with {findings[0]}.",
        "Treatment with regular blood transfusions led to remission in some patients.",
        f"The disease is treated with regular blood transfusions [{rng.randint(1, 9)}].",
    ]
    for other in others:
        sentences.append(f"{other} causes {rng.choice(FINDINGS)} in some children.")
    rng.shuffle(sentences)
    return sentences


def write_corpus(
    folder: Path,
    documents: int,
    *,
    seed: int = 7,
    mentions: Literal["both", "earlier", "none"] = "both",
    files: int = 2,
) -> list[Path]:
    """Write `documents` records over `files` JSONL files in `folder`; returns the files.

    `mentions`: whose made-up diseases a record names besides its own (records before it and
    after it, before it only, or none)."""
    rng = random.Random(seed)
    names = [made_up_name(rng, number) for number in range(documents)]
    records: list[dict[str, object]] = []
    for number in range(documents):
        kind = number % 5
        if kind in (0, 1, 2):
            focus: str | None = names[number]
        elif kind == 3:
            focus = CURATED[number % len(CURATED)]
        else:
            focus = None
        later = names[number + 1 : number + 60 : 7] if mentions == "both" else []
        earlier = names[max(0, number - 30) : number : 5] if mentions != "none" else []
        others = rng.sample(later, min(1, len(later))) + rng.sample(earlier, min(1, len(earlier)))
        about = focus or rng.choice(CURATED)
        sections = [
            {
                "qid": f"{number}-1",
                "qtype": "information",
                "question": f"What is {about}?",
                "text": " ".join(_sentences(rng, about, others[:1])),
            },
            {
                "qid": f"{number}-2",
                "qtype": "symptoms",
                "question": f"What are the signs of {about}?",
                "text": " ".join(_sentences(rng, about, others[1:])),
            },
        ]
        record: dict[str, object] = {"id": f"gen/{number:05d}", "sections": sections}
        if focus is not None:
            record["focus"] = focus
            if focus == names[number] and number % 2:
                record["synonyms"] = [f"{focus.split()[0]} disorder", f"{focus} type {number}"]
        records.append(record)
    for number in range(9, documents, 40):  # the same text as an earlier record: unchanged
        records[number] = {**records[number - 9], "id": f"gen/{number:05d}-repeat"}
    paths = []
    per_file = -(-len(records) // files)
    for index in range(files):
        path = folder / f"corpus-{index}.jsonl"
        chunk = records[index * per_file : (index + 1) * per_file]
        path.write_text("".join(json.dumps(r) + "\n" for r in chunk), encoding="utf-8")
        paths.append(path)
    return paths
