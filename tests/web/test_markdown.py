"""The community markdown: three constructs, everything else (HTML above all) shown as text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from dxatlas.web.markdown import render_markdown

_ALLOWED_TAGS = re.compile(r"</?(?:p|br|strong|em|h4)>")


def test_headings_bold_italic_paragraphs_and_line_breaks() -> None:
    text = "# Onset\nFirst **bold** line\nthen _italic_ words\n\nA second paragraph"
    assert render_markdown(text) == Markup(
        "<h4>Onset</h4>\n"
        "<p>First <strong>bold</strong> line<br>\nthen <em>italic</em> words</p>\n"
        "<p>A second paragraph</p>"
    )


def test_only_one_heading_level_and_only_at_a_line_start() -> None:
    assert render_markdown("## Two") == Markup("<p>## Two</p>")
    assert render_markdown("#NoSpace") == Markup("<p>#NoSpace</p>")
    assert render_markdown("a # b") == Markup("<p>a # b</p>")
    assert render_markdown("# Up", heading_level=2) == Markup("<h2>Up</h2>")


def test_underscores_inside_words_and_unclosed_marks_stay_text() -> None:
    assert render_markdown("snake_case_name and **open") == Markup(
        "<p>snake_case_name and **open</p>"
    )
    assert render_markdown("**a _b_ c**") == Markup("<p><strong>a <em>b</em> c</strong></p>")


@pytest.mark.parametrize(
    ("payload", "shown"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"),
        (
            "**<b onmouseover=alert(1)>x</b>**",
            "<strong>&lt;b onmouseover=alert(1)&gt;x&lt;/b&gt;</strong>",
        ),
        ('_" onfocus="alert(1)_', "<em>&#34; onfocus=&#34;alert(1)</em>"),
        ("[click](javascript:alert(1))", "[click](javascript:alert(1))"),
        ("&lt;script&gt;", "&amp;lt;script&amp;gt;"),
        ("<a href='x'>", "&lt;a href=&#39;x&#39;&gt;"),
    ],
)
def test_html_in_the_input_is_shown_as_text(payload: str, shown: str) -> None:
    html = str(render_markdown(payload))
    assert shown in html
    assert "<script" not in html and "<img" not in html and "<a " not in html


def test_a_heading_holding_html_is_escaped() -> None:
    assert render_markdown("# <svg onload=alert(1)>") == Markup(
        "<h4>&lt;svg onload=alert(1)&gt;</h4>"
    )


@given(st.text(alphabet=st.sampled_from(list("<>&\"'/ _*#\nabc=")), max_size=80))
def test_no_input_makes_a_tag_other_than_the_five(text: str) -> None:
    html = _ALLOWED_TAGS.sub("", str(render_markdown(text)))
    assert "<" not in html and ">" not in html and '"' not in html and "'" not in html
