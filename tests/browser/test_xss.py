"""Stored and reflected XSS, checked in Chromium: every payload of `xss_payloads.txt` is put in a
question (title and body), an answer, a concept edit (name, synonym, description), a ticket and a
search, and each page that shows them is opened. Nothing may run (no dialog, `window.__xss` never
set), no `javascript:` link may appear, and the payloads read as text (`{{7*7}}` stays literal)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveApp, Role, payloads

pytestmark = pytest.mark.browser

PAYLOADS = payloads()
MARKER = "xss-probe"
TEMPLATE = PAYLOADS.index("{{7*7}}")


def test_there_are_enough_payloads() -> None:
    assert len(PAYLOADS) >= 30
    assert "{{7*7}}" in PAYLOADS and any("onerror" in p for p in PAYLOADS)


def assert_inert(role: Role, page: Page, where: str) -> None:
    """Nothing ran on the page, and no link or frame points at `javascript:`."""
    assert role.dialogs == [], f"{where}: a payload opened a dialog: {role.dialogs}"
    assert page.evaluate("window.__xss") is None, f"{where}: a payload ran (window.__xss set)"
    dangerous = page.locator(
        "a[href^='javascript:' i], iframe[src^='javascript:' i], form[action^='javascript:' i], "
        "object[data^='javascript:' i], embed[src^='javascript:' i], base[href]"
    )
    assert dangerous.count() == 0, f"{where}: a javascript: URL became a live element"
    assert page.locator("main script:not([src])").count() == 0, (
        f"{where}: an inline <script> in the content"
    )


def open_and_check(role: Role, path: str, shows: list[str], shots: Path | None = None) -> Page:
    page = role.goto(path)
    page.wait_for_load_state("load")
    text = page.locator("main").inner_text()
    for expected in shows:
        assert expected in text, f"{path}: {expected!r} is not shown as text"
    if shots is not None:
        page.screenshot(path=str(shots), full_page=False)
    assert_inert(role, page, path)
    return page


def test_stored_payloads_are_shown_as_text_and_run_nothing(
    live_app: LiveApp, roles: dict[str, Role], shots: Path
) -> None:
    user, moderator, editor = roles["user"], roles["moderator"], roles["editor"]
    body = "\n\n".join(PAYLOADS)
    script_tag = "<script>window.__xss=1</script>"

    # Questions: each payload in a title, all of them in one body; approved by a moderator.
    ids = []
    for number, payload in enumerate(PAYLOADS):
        title = f"{MARKER} {number}: {' '.join(payload.split())}"[:200]
        question = user.api(
            "POST",
            "/api/v1/questions",
            {"title": title, "body": body, "consent": True, "concept_id": live_app.concept_id},
        )
        ids.append(question["id"])
    open_and_check(moderator, "/questions/pending", [f"{MARKER} 0: {script_tag}"])
    for question_id in ids:
        moderator.api("POST", f"/api/v1/questions/{question_id}/approve")
    user.api("POST", f"/api/v1/questions/{ids[0]}/answers", {"body": body})

    page = open_and_check(user, f"/questions/{ids[0]}", ["{{7*7}}", script_tag], None)
    # "{{7*7}}" evaluated would show 49; the page's own timestamps ("15:49 UTC") may too, so
    # they are taken out first (this test failed whenever it ran at minute 49).
    shown = re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "", page.locator("main").inner_text())
    assert "49" not in shown
    page.screenshot(path=str(shots / "20-xss-question.png"), full_page=False)
    open_and_check(roles["visitor"], "/questions", [f"{MARKER} {TEMPLATE}: {{{{7*7}}}}"])
    open_and_check(roles["visitor"], f"/concept/{live_app.concept_id}", [script_tag])

    # A concept edited once per payload: the page shows the last, the history all of them.
    from dxatlas.store import Store

    with Store.open(live_app.app.state.settings.database_url) as store:
        concept_id = store.add_concept("XSS target concept", author="test").concept.id
    for number, payload in enumerate(PAYLOADS):
        editor.api(
            "PATCH",
            f"/api/v1/concepts/{concept_id}",
            {
                "name": f"XSS {number} {payload}",
                "synonyms": [f"xss synonym {number} {payload}"],
                "description": payload,
            },
        )
    last = " ".join(PAYLOADS[-1].split())
    open_and_check(editor, f"/concept/{concept_id}", [f"XSS {len(PAYLOADS) - 1} {last}"])
    history = open_and_check(
        editor, f"/concept/{concept_id}/history", [f"+ XSS {TEMPLATE} {{{{7*7}}}}"]
    )
    history.screenshot(path=str(shots / "21-xss-history.png"), full_page=False)
    open_and_check(editor, f"/concept/{concept_id}/edit", [])

    # A ticket holding every payload.
    ticket = user.api("POST", "/api/v1/tickets", {"concept_id": concept_id, "text": body})
    open_and_check(user, f"/tickets/{ticket['id']}", ["{{7*7}}", script_tag])
    open_and_check(editor, "/tickets", [])

    # The question wording editor and the ingest job page show stored text too.
    editor.api("PUT", "/api/v1/question-wording/HP:0001250", {"text": PAYLOADS[1]})
    open_and_check(editor, "/editor/questions", [PAYLOADS[1]])
    open_and_check(editor, "/editor/questions/HP:0001250", [PAYLOADS[1]])
    editor.api("PUT", "/api/v1/question-wording/HP:0001250", {"text": None})


def test_searched_payloads_are_shown_as_text_and_run_nothing(
    roles: dict[str, Role], shots: Path
) -> None:
    visitor = roles["visitor"]
    page = visitor.page
    for number, payload in enumerate(PAYLOADS):
        if number < 3:  # typed into the search box, as a person would
            page.goto(visitor.base + "/search")
            box = page.get_by_label("Search findings, diseases and concepts")
            box.fill(payload)
            box.press("Enter")
        else:  # the rest straight in the URL, as a crafted link would carry them
            page.goto(visitor.base + "/search?" + urlencode({"q": payload}))
        expect(page.locator("main")).to_contain_text(" ".join(payload.split())[:40])
        assert_inert(visitor, page, f"search {payload!r}")
    # The autocomplete suggestions (drawn by script) show stored names as text.
    page = visitor.goto("/search")
    page.get_by_label("Search findings, diseases and concepts").press_sequentially("XSS 1")
    expect(page.locator(".combo-option").first).to_be_visible()
    page.screenshot(path=str(shots / "22-xss-autocomplete.png"), full_page=False)
    assert_inert(visitor, page, "autocomplete")


def test_the_probes_notice_a_payload_that_runs(browser: object) -> None:
    """The checks above can fail: on a page that does render the HTML, the flag and the dialog
    show (a fresh context of the same browser)."""
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.dismiss())
        page.set_content(f"<main>{PAYLOADS[1]}</main>")
        page.wait_for_function("window.__xss === 1")
        with page.expect_event("dialog") as caught:
            page.set_content('<main><img src="x" onerror="alert(1)"></main>')
        assert caught.value.message == "1"
    finally:
        context.close()
