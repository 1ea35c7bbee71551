"""Browser tests: the app served by uvicorn on 127.0.0.1 (a free port, a thread of this process)
over the toy knowledge base and a temporary SQLite store the tests seed, driven by Debian's
headless Chromium through Playwright (one browser per session; one context per signed-in role).

The fixtures live as long as this package's tests, not the session: Playwright's sync API keeps
an event loop running in the main thread while it is open, which would break later tests that
call `asyncio.run`.

Chromium is `/usr/bin/chromium` (`make test` installs it when it can); without it, or without
Playwright, every browser test skips and says why. Screenshots go to `test-artifacts/browser/`.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from dxatlas.settings import Settings, get_settings
from tests.web.site import toy_site_environment

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "a long enough password"
ROLES = ("user", "moderator", "editor")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
PAYLOADS = Path(__file__).with_name("xss_payloads.txt")


def payloads() -> list[str]:
    """The XSS payloads of `xss_payloads.txt` (lines starting with `## ` are comments)."""
    lines = PAYLOADS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("## ")]


@dataclass
class LiveApp:
    """The running app: its URL, its FastAPI object (for its state) and the seeded data."""

    url: str
    app: Any
    concept_id: str
    users: dict[str, str] = field(default_factory=dict)  # role -> user name


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture(scope="package")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """uvicorn serving the app on a free port of 127.0.0.1, in a thread, for the browser tests."""
    import uvicorn

    from dxatlas.store.community import Community
    from dxatlas.web import create_app

    root = tmp_path_factory.mktemp("browser")
    database = f"sqlite:///{root / 'store.db'}"
    with toy_site_environment(root, database) as concept_id:
        users = {role: f"{role}-ana" for role in ROLES}
        with Community.open(database) as community:
            for role, name in users.items():
                community.accounts.add(name, PASSWORD, role=role)
        app = create_app(Settings(rate_limit_sign_ins=10_000, rate_limit_writes=10_000))
        sock = _free_socket()
        port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 120
        while not server.started:  # polled: uvicorn offers no event to wait on
            if not thread.is_alive() or time.monotonic() > deadline:
                pytest.fail("the app did not start under uvicorn")
            time.sleep(0.02)
        try:
            yield LiveApp(f"http://127.0.0.1:{port}", app, concept_id, users)
        finally:
            server.should_exit = True
            thread.join(timeout=20)
            sock.close()
    get_settings.cache_clear()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium, once for the browser tests."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: Debian's chromium package runs the browser tests "
            "(`make test` installs it as root: apt-get install chromium)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')"
    )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


class Role:
    """A signed-in browser of one role: its context, its page, and the dialogs it saw."""

    def __init__(self, context: BrowserContext, base: str) -> None:
        self.context = context
        self.base = base
        self.page: Page = context.new_page()
        self.dialogs: list[str] = []
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def goto(self, path: str) -> Page:
        self.page.goto(self.base + path)
        return self.page

    def api(self, method: str, path: str, body: dict | None = None) -> Any:
        """A JSON call with the browser's cookies and its CSRF token; the answer's JSON."""
        request = self.context.request
        csrf = request.get(self.base + "/api/v1/auth/me").json()["csrf_token"]
        answer = request.fetch(
            self.base + path,
            method=method,
            data=body,
            headers={"X-CSRF-Token": csrf},
        )
        assert answer.ok, f"{method} {path}: {answer.status} {answer.text()}"
        return answer.json() if answer.status != 204 else None


def sign_in(context: BrowserContext, base: str, name: str) -> None:
    """Sign a browser context in through the JSON API (the cookies are the context's)."""
    request = context.request
    csrf = request.get(base + "/api/v1/auth/me").json()["csrf_token"]
    answer = request.post(
        base + "/api/v1/auth/login",
        data={"name": name, "password": PASSWORD},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.ok, answer.text()


@pytest.fixture(scope="package")
def roles(browser: Browser, live_app: LiveApp) -> Iterator[dict[str, Role]]:
    """A signed-in browser per role, and "visitor", signed out (contexts share no cookies)."""
    found: dict[str, Role] = {}
    for role in ("visitor", *ROLES):
        context = browser.new_context(viewport={"width": 1100, "height": 800})
        context.set_default_timeout(15_000)
        context.add_init_script("window.__xss = undefined;")
        if role != "visitor":
            sign_in(context, live_app.url, live_app.users[role])
        found[role] = Role(context, live_app.url)
    yield found
    for role in found.values():
        role.context.close()


@pytest.fixture(scope="package")
def shots() -> Path:
    """The screenshot folder (emptied of earlier runs' PNGs)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    return ARTIFACTS
