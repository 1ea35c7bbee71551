"""Names added one concept at a time are found exactly as if all had been indexed at once, also
when a new name is an older one's rotation (the matcher then rebuilds its index of added names)."""

from __future__ import annotations

import pytest

from dxatlas.recognize import matcher as matcher_module
from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.matcher import Match, Matcher

# Each pair after the first few is a rotation of an earlier name, or shares a rotation with one.
NAMES = [
    "Lorem syndrome",
    "Ipsum dolor disease",
    "Amet syndrome type 2",
    "Type 2 amet syndrome",  # a rotation of the name before it
    "Dolor disease ipsum",  # shares the rotations of "Ipsum dolor disease"
    "Consectetur palsy",
    "Palsy consectetur",
    "Adipiscing elit disorder",
]
TEXT = (
    "Lorem syndrome and type 2 amet syndrome differ from syndrome lorem. Ipsum dolor disease, "
    "disease ipsum dolor and palsy consectetur were seen; adipiscing elit disorder was not."
)


def _matches(matcher: Matcher) -> list[Match]:
    return matcher.find(TEXT)


@pytest.mark.parametrize("recent", [1, 2, 128])
def test_names_added_one_by_one_match_like_names_indexed_at_once(
    tiny_annotator: Annotator, monkeypatch: pytest.MonkeyPatch, recent: int
) -> None:
    monkeypatch.setattr(matcher_module, "RECENT_KEYS", recent)
    incremental = tiny_annotator.matcher
    for number, name in enumerate(NAMES):
        tiny_annotator.add_concept(f"USER:{number}", name)
        found = _matches(incremental)
        assert found == _matches(Matcher(tiny_annotator.lexicon))  # a new matcher indexes all
    assert sorted(TEXT[match.start : match.end].lower() for match in found) == [
        "adipiscing elit disorder",
        "disease ipsum dolor",
        "ipsum dolor disease",
        "lorem syndrome",
        "palsy consectetur",
        "syndrome lorem",
        "type 2 amet syndrome",
    ]
