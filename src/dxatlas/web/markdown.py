"""The small markdown of community text: `# Heading`, `**bold**`, `_italic_`, paragraphs (blank
lines) and line breaks. Nothing else: any HTML in the input is shown as text.

Safety comes from the order of work: every piece of user text is HTML-escaped first, and only
then are the three fixed tags put around it, so no character of the input can open a tag or an
attribute. Links, images and raw HTML are not part of the language.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_HEADING = re.compile(r"^#[ \t]+(\S.*)$")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])_(?=\S)(.+?)(?<=\S)_(?!\w)")


_STRONG_TAG = re.compile(r"<(/?)strong>")


def _italic(match: re.Match[str]) -> str:
    """`<em>` around the match, unless that would cross a `<strong>` element (`**_**_`), which
    would nest the tags wrongly: then the underscores stay as they are."""
    depth = 0
    for tag in _STRONG_TAG.finditer(match.group(1)):
        depth += -1 if tag.group(1) else 1
        if depth < 0:
            return match.group(0)
    return f"<em>{match.group(1)}</em>" if depth == 0 else match.group(0)


def _inline(escaped: str) -> str:
    """`**bold**` and `_italic_` in already escaped text (an underscore inside a word, as in
    snake_case, stays an underscore)."""
    return _ITALIC.sub(_italic, _BOLD.sub(r"<strong>\1</strong>", escaped))


def render_markdown(text: str, heading_level: int = 4) -> Markup:
    """`text` as safe HTML: paragraphs, `<br>` line breaks, headings at `heading_level`, bold and
    italic; everything else escaped."""
    level = min(max(heading_level, 1), 6)
    blocks: list[str] = []
    lines: list[str] = []

    def end_paragraph() -> None:
        if lines:
            body = "<br>\n".join(_inline(str(escape(line))) for line in lines)
            blocks.append(f"<p>{body}</p>")
            lines.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            end_paragraph()
            continue
        heading = _HEADING.match(line)
        if heading:
            end_paragraph()
            blocks.append(f"<h{level}>{_inline(str(escape(heading.group(1).strip())))}</h{level}>")
            continue
        lines.append(line)
    end_paragraph()
    return Markup("\n".join(blocks))  # every piece of input was escaped above
