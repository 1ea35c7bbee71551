"""The search's key tables give what a scan of every name key gives (the scan they replace)."""

from __future__ import annotations

import random

from rapidfuzz import fuzz, process

from dxatlas.web.engine import FUZZY_CUTOFF, _KeyTables

KEYS = sorted(
    {
        "anemia", "anemia of prematurity", "aplastic anemia", "hemolytic anemia", "anaemia",
        "fever", "recurrent fever", "fevers", "seizure", "febrile seizure", "seizures",
        "cleft palate", "submucous cleft palate", "cleft lip and palate", "short stature",
        "proportionate short stature", "hearing loss", "sensorineural hearing loss", "ataxia",
        "episodic ataxia", "ataxic gait", "a b c", "ab", "b ab ab", "abc abd",
    }
)  # fmt: skip


def scanned_words(keys: list[str], key: str) -> set[str]:
    return {k for k in keys if f" {key}" in f" {k}" and not k.startswith(key)}


def scanned_closest(keys: list[str], key: str, limit: int) -> list[str]:
    found = process.extract(key, keys, scorer=fuzz.ratio, limit=limit, score_cutoff=FUZZY_CUTOFF)
    return [name for name, _, _ in found]


def test_tables_match_a_scan_of_every_key() -> None:
    tables = _KeyTables.build(KEYS)
    rng = random.Random(3)
    queries = ["an", "anemia", "anemai", "fever", "feve", "seiz", "cleft palate", "palate", "ab"]
    for _ in range(300):
        name = rng.choice(KEYS)
        start = rng.randrange(len(name))
        query = name[start : start + rng.randint(2, 12)].strip()
        if len(query) > 3 and rng.random() < 0.5:
            spot = rng.randrange(len(query))
            query = query[:spot] + rng.choice("aeiostx") + query[spot + 1 :]
        queries.append(query)
    for query in filter(None, queries):
        assert tables.with_word_starting(query) == scanned_words(KEYS, query), query
        for limit in (1, 3, 30):
            assert tables.closest(query, limit) == scanned_closest(KEYS, query, limit), query
