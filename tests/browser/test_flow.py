"""One visit through the app in Chromium, as people use it: search, a concept page, the checker
with two follow-up questions answered, a question asked and approved, an editor's edit and
revert, a ticket, hidden evidence, a question's wording, and an ingest job followed live.
Each step leaves a screenshot in test-artifacts/browser/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveApp, Role

pytestmark = pytest.mark.browser


def shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_the_whole_visit(live_app: LiveApp, roles: dict[str, Role], shots: Path) -> None:
    user, moderator, editor = roles["user"], roles["moderator"], roles["editor"]
    concept = live_app.concept_id

    # 1. Search, from the home page.
    page = user.goto("/")
    page.get_by_label("Search findings, diseases and concepts").fill("toy syndrome")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(f"{live_app.url}/search?q=toy+syndrome")
    link = page.get_by_role("link", name="Toy syndrome")
    expect(link).to_be_visible()
    shot(page, shots, "01-search")

    # 2. The concept page.
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toy syndrome")
    expect(
        page.get_by_text("Seizures were the first sign of this toy syndrome.").first
    ).to_be_visible()
    shot(page, shots, "02-concept")

    # 3. The checker: one finding typed, then two follow-up questions answered.
    page = user.goto("/check")
    page.locator("#findings").fill("low number of red blood cells")
    page.get_by_test_id("rank").click()
    first = page.locator(".question-text")
    expect(first).to_be_visible()
    asked_first = first.inner_text()
    shot(page, shots, "03-check-first-question")
    page.get_by_test_id("answer-yes").click()
    expect(page.locator(".question-text")).not_to_have_text(asked_first)
    asked_second = page.locator(".question-text").inner_text()
    page.get_by_test_id("answer-no").click()
    expect(page.locator(".question-text")).not_to_have_text(asked_second)
    expect(page.locator("li.chip")).to_have_count(3)
    expect(page.locator("li.chip-absent")).to_have_count(1)
    expect(page.locator("ol.differential > li").first).to_be_visible()
    shot(page, shots, "04-check-two-answers")

    # 4. A question about the concept, asked from its page: it waits for a moderator.
    page = user.goto(f"/concept/{concept}")
    page.locator("details.ask > summary").click()
    page.locator("#ask-title").fill("Does toy syndrome run in families?")
    page.locator("#ask-body").fill("My **cousin** has it. Is it _inherited_?")
    page.get_by_label("I agree to the terms of use and the privacy policy.").check()
    page.get_by_role("button", name="Ask question").click()
    expect(page.get_by_role("heading", name="Does toy syndrome run in families?")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("waits for a moderator")
    question_url = page.url
    shot(page, shots, "05-question-pending")

    # 5. A moderator approves it; everyone sees it on the concept page.
    page = moderator.goto("/questions/pending")
    item = page.locator("li.question", has_text="Does toy syndrome run in families?")
    shot(page, shots, "06-moderation-queue")
    item.get_by_role("button", name="Approve").click()
    expect(
        page.locator("li.question", has_text="Does toy syndrome run in families?")
    ).to_have_count(0)
    page = roles["visitor"].goto(f"/concept/{concept}")
    expect(page.get_by_text("Does toy syndrome run in families?")).to_be_visible()
    assert roles["visitor"].page.goto(question_url).ok

    # 6. An editor edits the concept, then reverts the edit from the history.
    page = editor.goto(f"/concept/{concept}")
    page.get_by_role("link", name="Edit concept").click()
    page.get_by_label("Name").fill("Toy syndrome type 1")
    page.get_by_label("Description").fill("A syndrome made up for the tests. It has one type.")
    shot(page, shots, "07-edit-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of Toy syndrome type 1")
    revision = page.locator("#revision-2")
    expect(revision.locator(".diff-del").first).to_have_text("- Toy syndrome")
    expect(revision.locator(".diff-add").first).to_have_text("+ Toy syndrome type 1")
    shot(page, shots, "08-history-after-edit")
    page.locator("#revision-1").get_by_role("button", name="Revert to this").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of Toy syndrome")
    expect(page.locator("#revision-3")).to_contain_text("revert to revision 1")
    expect(page.locator("#revision-3")).to_contain_text(live_app.users["editor"])
    shot(page, shots, "09-history-after-revert")

    # 7. The user opens a ticket about the page.
    page = user.goto(f"/concept/{concept}")
    page.get_by_role("link", name="Create issue ticket").click()
    page.get_by_label("What is wrong?").fill("The first sentence should cite a case report.")
    page.get_by_role("button", name="Create ticket").click()
    expect(page.get_by_text("The first sentence should cite a case report.")).to_be_visible()
    expect(page.get_by_text("open").first).to_be_visible()
    shot(page, shots, "10-ticket")


def test_editor_tools_in_the_browser(
    live_app: LiveApp, roles: dict[str, Role], shots: Path, tmp_path: Path
) -> None:
    editor = roles["editor"]
    concept = live_app.concept_id
    sentence = "Seizures were the first sign of this toy syndrome."

    # Hide an evidence sentence from the concept page, then see it in the editors' section.
    page = editor.goto(f"/concept/{concept}")
    item = page.locator("li.evidence", has_text=sentence).first
    item.locator("summary", has_text="Hide").click()
    item.get_by_placeholder("Why hide it?").fill("Duplicate of the case report")
    shot(page, shots, "11-hide-evidence")
    item.get_by_role("button", name="Hide sentence").click()
    hidden = page.get_by_test_id("hidden-evidence")
    expect(hidden).to_contain_text(sentence)
    expect(hidden).to_contain_text("Duplicate of the case report")
    expect(roles["visitor"].goto(f"/concept/{concept}").get_by_text(sentence)).to_have_count(0)
    hidden.get_by_role("button", name="Restore").click()
    expect(page.locator("section#presentation").get_by_text(sentence).first).to_be_visible()

    # Word a follow-up question; the checker asks it so.
    page = editor.goto("/editor/questions?q=neutropenia")
    page.get_by_role("link", name="Edit wording").first.click()
    page.get_by_label("Wording").fill("Has a blood test shown few white cells?")
    page.get_by_role("button", name="Save wording").click()
    expect(page.get_by_test_id("current-question")).to_contain_text(
        "Has a blood test shown few white cells?"
    )
    shot(page, shots, "12-question-wording")
    # Anemia without seizures: the question that tells the anemia diseases apart is neutropenia.
    check = roles["visitor"].goto("/check?present=HP:0001903&absent=HP:0001250")
    expect(check.locator("main")).to_contain_text("Has a blood test shown few white cells?")

    # Ingest an uploaded report and follow the job until it is done.
    report = tmp_path / "toy report.txt"
    report.write_text(
        "A girl with toy syndrome. She had seizures at 3 years of age. "
        "Toy syndrome is treated with rest and long naps.",
        encoding="utf-8",
    )
    page = editor.goto(f"/ingest?concept={concept}")
    page.get_by_label("Documents").set_input_files(str(report))
    page.get_by_role("button", name="Start ingest").click()
    expect(page.locator('[data-field="status"]')).to_have_text("done", timeout=60_000)
    expect(page.locator("tr.result-read")).to_contain_text("toy report.txt")
    shot(page, shots, "13-ingest-job")
    page = editor.goto(f"/concept/{concept}")
    expect(page.get_by_text("long naps", exact=False).first).to_be_visible()
