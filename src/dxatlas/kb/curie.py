"""`Curie`: a prefixed identifier such as HP:0001250 or OMIM:154700, parsed and validated once."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CURIE = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z0-9_.-]*):(?P<local>[A-Za-z0-9_.-]+)$")
# Prefixes written in other spellings in the wild, mapped to the spelling HPO uses.
_PREFIX_ALIASES = {"HPO": "HP", "ORPHANET": "ORPHA", "MIM": "OMIM"}


class CurieError(ValueError):
    """Raised for text that is not a valid prefixed identifier."""


@dataclass(frozen=True, slots=True, order=True)
class Curie:
    """A validated prefixed id; `str()` gives the canonical `PREFIX:LOCAL` form."""

    prefix: str
    local: str

    @classmethod
    def parse(cls, text: str) -> Curie:
        """Parse `HP:0001250`, `hp_0001250` or `OMIM:154700`; raise `CurieError` when it is not one."""
        candidate = text.strip()
        if "_" in candidate and ":" not in candidate:
            candidate = candidate.replace("_", ":", 1)
        match = _CURIE.match(candidate)
        if match is None:
            raise CurieError(f"{text!r} is not a prefixed id such as HP:0001250 or OMIM:154700")
        prefix = match["prefix"].upper()
        prefix = _PREFIX_ALIASES.get(prefix, prefix)
        local = match["local"]
        if prefix == "HP" and not (local.isdigit() and len(local) == 7):
            raise CurieError(f"{text!r} is not an HPO id: HPO ids have seven digits (HP:0001250)")
        return cls(prefix, local)

    @classmethod
    def looks_like(cls, text: str) -> bool:
        """True when the text has the shape of a prefixed id (even if it names nothing known)."""
        try:
            cls.parse(text)
        except CurieError:
            return False
        return True

    def __str__(self) -> str:
        return f"{self.prefix}:{self.local}"
