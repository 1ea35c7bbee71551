"""The community HTML pages: forms with CSRF tokens, sign-in by form, asking with every refusal
shown on the page, escaping, the moderation queue, tickets, and the concept page include."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.requests import Request

from dxatlas.web.auth import SESSION_COOKIE
from dxatlas.web.community import questions_for_concept
from tests.web.community.conftest import PASSWORD, form_token, token, unique_name

Signed = Callable[..., TestClient]
XSS = "<script>alert('x')</script>"


def _ask(browser: TestClient, **fields: str):  # type: ignore[no-untyped-def]
    if "csrf_token" not in fields:
        fields["csrf_token"] = form_token(browser)
    form = {
        "title": "What does the rash look like?",
        "body": "# Rash\nRed **spots** on the _arms_.",
        "consent": "yes",
    } | fields
    return browser.post("/questions", data=form, follow_redirects=False)


def _approve(app: FastAPI, question_id: int) -> None:
    community = app.state.community
    moderator = community.accounts.find("pagemod") or community.accounts.add(
        "pagemod", PASSWORD, role="moderator"
    )
    community.questions.approve(question_id, moderator)


def test_register_sign_out_and_sign_in_by_form(anonymous: TestClient) -> None:
    page = anonymous.get("/register?next=/questions")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    assert "dxatlas_csrf=" in page.headers["set-cookie"]  # the token's secret, HttpOnly
    name = unique_name("form")
    form = {
        "csrf_token": form_token(anonymous, "/register"),
        "name": name,
        "password": PASSWORD,
        "password_again": PASSWORD,
        "next": "/questions",
    }
    answer = anonymous.post("/register", data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/questions"
    assert SESSION_COOKIE in anonymous.cookies
    home = anonymous.get("/").text
    assert f'<a href="/account">{name}</a>' in home and 'action="/logout"' in home

    out = anonymous.post(
        "/logout", data={"csrf_token": form_token(anonymous)}, follow_redirects=False
    )
    assert out.status_code == 303 and SESSION_COOKIE not in anonymous.cookies
    assert '<a href="/login">Sign in</a>' in anonymous.get("/").text

    wrong = anonymous.post(
        "/login",
        data={"csrf_token": form_token(anonymous, "/login"), "name": name, "password": "nope nope"},
    )
    assert wrong.status_code == 401 and "the user name or the password is wrong" in wrong.text
    assert f'value="{name}"' in wrong.text  # the form is shown again, filled in
    back = anonymous.post(
        "/login",
        data={
            "csrf_token": form_token(anonymous, "/login"),
            "name": name,
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert back.status_code == 303 and back.headers["location"] == "/"  # never off-site


def test_register_form_refusals_keep_the_form(anonymous: TestClient) -> None:
    form = {"csrf_token": form_token(anonymous, "/register"), "name": unique_name("refused")}
    differ = anonymous.post(
        "/register", data=form | {"password": PASSWORD, "password_again": "other one!"}
    )
    assert differ.status_code == 422 and "the two passwords differ" in differ.text
    short = anonymous.post(
        "/register", data=form | {"password": "short", "password_again": "short"}
    )
    assert short.status_code == 422 and "too short" in short.text


def test_a_form_without_its_token_is_403(signed_in: Signed, anonymous: TestClient) -> None:
    browser = signed_in("user")
    answer = _ask(browser, csrf_token="")
    assert answer.status_code == 403 and "<html" in answer.text and "CSRF" in answer.text
    login = anonymous.post("/login", data={"name": "x", "password": "y"})
    assert login.status_code == 403


def test_asking_by_form_then_moderation_by_form(signed_in: Signed, app: FastAPI) -> None:
    asker, moderator = signed_in("user"), signed_in("moderator")
    asked = _ask(asker)
    assert asked.status_code == 303
    location = asked.headers["location"]
    page = asker.get(location).text
    assert "waits for a moderator" in page
    assert "<h3>Rash</h3>" in page and "<strong>spots</strong>" in page and "<em>arms</em>" in page

    queue = moderator.get("/questions/pending")
    assert queue.status_code == 200 and "What does the rash look like?" in queue.text
    assert asker.get("/questions/pending").status_code == 403
    number = int(location.rsplit("/", 1)[1])
    approved = moderator.post(
        f"/questions/{number}/approve",
        data={"csrf_token": form_token(moderator)},
        follow_redirects=False,
    )
    assert approved.status_code == 303
    assert "What does the rash look like?" in TestClient(app).get("/questions").text

    answered = asker.post(
        f"/questions/{number}/answers",
        data={"csrf_token": form_token(asker), "body": "It _faded_ later."},
        follow_redirects=False,
    )
    assert answered.status_code == 303 and "#answer-" in answered.headers["location"]
    assert "It <em>faded</em> later." in asker.get(f"/questions/{number}").text

    deleted = moderator.post(
        f"/questions/{number}/delete",
        data={"csrf_token": form_token(moderator)},
        follow_redirects=False,
    )
    assert deleted.status_code == 303 and deleted.headers["location"] == "/questions"
    assert asker.get(f"/questions/{number}").status_code == 404


def test_refused_questions_are_shown_again_with_the_reason(signed_in: Signed) -> None:
    browser = signed_in("user")
    too_long = _ask(browser, body="n" * 5001)
    assert too_long.status_code == 413
    assert "the question is 5,001 characters long; at most 5,000 are allowed" in too_long.text
    assert "n" * 5001 in too_long.text  # nothing typed is lost
    assert "-1 characters left" in too_long.text
    email = _ask(browser, body="Write to ana@example.org")
    assert email.status_code == 422 and "contains an e-mail address" in email.text
    phone = _ask(browser, body="Ring me on 0171 234 5678")
    assert phone.status_code == 422 and "contains a phone number" in phone.text
    no_consent = _ask(browser, consent="")
    assert no_consent.status_code == 422 and "consent" in no_consent.text
    visitor = TestClient(browser.app)  # type: ignore[arg-type]
    assert _ask(visitor, csrf_token=form_token(visitor, "/login")).status_code == 401


def test_user_text_is_escaped_everywhere(signed_in: Signed, app: FastAPI, concept_id: str) -> None:
    asker = signed_in("user")
    asked = _ask(
        asker, title=f"Title {XSS}", body=f"Body {XSS} **<b>bold</b>**", concept_id=concept_id
    )
    number = int(asked.headers["location"].rsplit("/", 1)[1])
    _approve(app, number)
    for path in (f"/questions/{number}", "/questions", f"/questions?concept={concept_id}"):
        html = TestClient(app).get(path).text
        assert XSS not in html and "<b>bold</b>" not in html, path
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html, path
    assert (
        "<strong>&lt;b&gt;bold&lt;/b&gt;</strong>"
        in TestClient(app).get(f"/questions/{number}").text
    )


def test_the_ask_form_has_its_guidance_counter_and_consent(signed_in: Signed) -> None:
    html = signed_in("user").get("/questions").text
    assert 'maxlength="5000"' in html and 'data-limit="5000"' in html
    assert "5,000 characters left" in html and "/static/community.js" in html
    assert 'type="checkbox" name="consent"' in html
    assert "Never post full names" in html and "emergency" in html
    assert "inappropriate questions are removed" in html
    assert "Sign in</a> or <a" in TestClient(signed_in("user").app).get("/questions").text  # type: ignore[arg-type]


def test_the_counter_script_is_served(anonymous: TestClient) -> None:
    script = anonymous.get("/static/community.js")
    assert script.status_code == 200 and "characters left" in script.text


def test_pages_that_need_an_account_send_visitors_to_sign_in(
    anonymous: TestClient, concept_id: str
) -> None:
    for path in ("/account", "/tickets", f"/tickets/new?concept={concept_id}"):
        answer = anonymous.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")


def test_tickets_by_form(signed_in: Signed, app: FastAPI, concept_id: str) -> None:
    reader, editor = signed_in("user"), signed_in("editor")
    form = reader.get(f"/tickets/new?concept={concept_id}")
    assert form.status_code == 200 and "Toy syndrome" in form.text and "What is wrong?" in form.text
    created = reader.post(
        "/tickets",
        data={"csrf_token": form_token(reader), "concept_id": concept_id, "text": f"Wrong {XSS}"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    location = created.headers["location"]
    page = reader.get(location).text
    assert XSS not in page and "Wrong &lt;script&gt;" in page
    assert 'action="/tickets/' in page and "/status" not in page  # no status form for users
    listed = editor.get("/tickets").text
    assert f'href="{location}"' in listed and "open</a> (1)" in listed
    number = location.rsplit("/", 1)[1]
    moved = editor.post(
        f"/tickets/{number}/status",
        data={"csrf_token": form_token(editor), "status": "closed", "comment": "Fixed."},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    assert "set the status to <strong>closed</strong>" in editor.get(location).text
    refused = reader.post(
        f"/tickets/{number}/status",
        data={"csrf_token": form_token(reader), "status": "open"},
    )
    assert refused.status_code == 403
    assert signed_in("user").get(location).status_code == 403
    empty = reader.post(
        "/tickets",
        data={"csrf_token": form_token(reader), "concept_id": concept_id, "text": ""},
    )
    assert empty.status_code == 422 and "the ticket text is empty" in empty.text


def test_the_concept_page_include_lists_questions_and_the_ask_form(
    signed_in: Signed, app: FastAPI, concept_id: str
) -> None:
    asker = signed_in("user")
    number = int(
        _ask(asker, concept_id=concept_id, title="Is it inherited at all?")
        .headers["location"]
        .rsplit("/", 1)[1]
    )
    assert number not in [q["id"] for q in questions_for_concept(app.state.community, concept_id)]
    _approve(app, number)
    listed = questions_for_concept(app.state.community, concept_id)
    assert number in [q["id"] for q in listed] and listed[0]["answers"] == []

    def render(cookies: dict[str, str]) -> str:
        scope = {
            "type": "http",
            "app": app,
            "method": "GET",
            "path": f"/concept/{concept_id}",
            "query_string": b"",
            "headers": [(b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode())],
            "scheme": "http",
            "server": ("testserver", 80),
            "router": app.router,
        }
        template = app.state.templates.get_template("_questions.html")
        return template.render(request=Request(scope), page={"concept": {"id": concept_id}})

    visitor = render({})
    assert 'id="questions"' in visitor and "Is it inherited at all?" in visitor
    assert "Sign in</a> to ask a question" in visitor and 'action="/questions"' not in visitor
    member = render({SESSION_COOKIE: asker.cookies.get(SESSION_COOKIE) or ""})
    assert 'action="/questions"' in member
    assert f'name="concept_id" value="{concept_id}"' in member
    assert 'name="csrf_token"' in member


def test_api_and_page_agree_on_the_token(signed_in: Signed) -> None:
    browser = signed_in("user")
    assert form_token(browser) == token(browser)["X-CSRF-Token"]


def test_the_concept_page_offers_tickets_and_questions(
    signed_in: Signed, anonymous: TestClient, concept_id: str
) -> None:
    member = signed_in("user").get(f"/concept/{concept_id}")
    assert member.status_code == 200
    link = f'href="/tickets/new?concept={concept_id.replace(":", "%3A")}"'
    assert link in member.text and "Create issue ticket" in member.text
    visitor = anonymous.get(f"/concept/{concept_id}").text
    assert "Create issue ticket" not in visitor
    assert 'id="questions"' in visitor  # concept.html includes _questions.html
