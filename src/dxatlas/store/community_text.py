"""What community text (questions, answers, tickets, comments) may hold: its length limits, and
no contact details in public text.

Contact details are found by two heuristics, documented here because they decide what is refused:
an e-mail address is `name@domain.tld` (or `name [at] domain.tld`); a phone number is a run of
digits separated only by spaces, dots, dashes or brackets, of 9 to 15 digits, or of 7 or more
after a leading `+`. Ids written with a prefix (`HP:0001250`, `PMID:12345678`), dates and year
ranges have fewer digits or a prefix, so they pass.
"""

from __future__ import annotations

import re

from dxatlas.store.community_base import InvalidInput, TextTooLong

BODY_MAX_CHARS = 5000
"""The longest question body, answer, ticket or comment (in characters, line breaks count one)."""
TITLE_MAX_CHARS = 200
TITLE_MIN_CHARS = 8

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(
    r"[\w.+-]+(?:@|\s*[\[(]\s*at\s*[\])]\s*)[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<![\w:/.,+-])(\+[ \t]?)?\(?\d(?:[ \t().\-]{0,3}\d)+(?![\w])")
_PHONE_DIGITS = 9
_PHONE_DIGITS_WITH_PLUS = 7
_PHONE_MAX_DIGITS = 15


def normalise(text: str) -> str:
    """The text with line breaks as `\\n`, control characters dropped and ends trimmed (so the
    length counted here is what the ask form counts: a browser sends a line break as two)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def checked_text(text: str, what: str, max_chars: int = BODY_MAX_CHARS, min_chars: int = 1) -> str:
    """`text` normalised, or `InvalidInput` naming `what` when it is empty or too short, and
    `TextTooLong` when it is longer than `max_chars`."""
    clean = normalise(text)
    if len(clean) > max_chars:
        raise TextTooLong(
            f"the {what} is {len(clean):,} characters long; at most {max_chars:,} are allowed"
        )
    if len(clean) < min_chars:
        if not clean:
            raise InvalidInput(f"the {what} is empty")
        raise InvalidInput(f"the {what} is too short: write at least {min_chars} characters")
    return clean


def checked_title(text: str) -> str:
    """A question title: one line, of `TITLE_MIN_CHARS` to `TITLE_MAX_CHARS` characters."""
    return checked_text(
        " ".join(text.split()), "title", max_chars=TITLE_MAX_CHARS, min_chars=TITLE_MIN_CHARS
    )


def contact_detail(text: str) -> str | None:
    """What contact detail `text` holds, as a phrase naming it ("an e-mail address ..."), or
    None when it holds none."""
    email = _EMAIL.search(text)
    if email:
        return f"an e-mail address ({email.group(0)})"
    for match in _PHONE.finditer(text):
        digits = sum(char.isdigit() for char in match.group(0))
        least = _PHONE_DIGITS_WITH_PLUS if match.group(1) else _PHONE_DIGITS
        if least <= digits <= _PHONE_MAX_DIGITS:
            return f"a phone number ({match.group(0).strip()})"
    return None


def refuse_contact_details(what: str, *texts: str) -> None:
    """Raise `InvalidInput` when any of `texts` holds an e-mail address or a phone number."""
    for text in texts:
        found = contact_detail(text)
        if found is not None:
            raise InvalidInput(
                f"the {what} contains {found}; it would be public, so remove all contact "
                "details (names, e-mail addresses, phone numbers) and try again"
            )
