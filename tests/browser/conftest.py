"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

The live server runs in a transactional test, so the database starts flushed (no migration data);
``seed_demo`` puts back what the pages need. A failing test leaves a full-page screenshot in
``var/artifacts/`` (CI keeps that directory).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command

from devsky.demo import demo_password
from tests.conftest import CHROMIUM, PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "var" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-gpu",
]
TIMEOUT_MS = 20_000


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def _live_server_pool_closed(django_db_setup, live_server):
    """The live server's thread returns its connections to the psycopg pool, which keeps them open; close the
    pool before the test database is dropped."""
    yield
    from django.db import connections

    live_server.stop()  # its thread closes its connections (back into the pool) as it ends
    for connection in connections.all(initialized_only=True):
        if hasattr(connection, "close_pool"):
            connection.close_pool()


@pytest.fixture
def site(_live_server_pool_closed, live_server) -> str:
    """The live server with the demo data; its base URL."""
    call_command("seed_demo", stdout=StringIO())
    return live_server.url


@pytest.fixture
def page(site, request, monkeypatch) -> Iterator:
    """A fresh Chromium page. Playwright's sync API keeps an event loop on this thread while it runs, which
    Django takes for async code: the test's own ORM calls are allowed explicitly, and the browser is
    closed before the live server's database is flushed."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(TIMEOUT_MS)
        browser_page = context.new_page()
        yield browser_page
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
            browser_page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        browser.close()


def query(read):
    """Run an ORM read from a test body while the browser runs, then close its connection: under Playwright's
    loop Django keeps that connection apart from the thread's own, and nothing else would ever close it."""
    from django.db import connections

    try:
        return read()
    finally:
        connections.close_all()


@pytest.fixture
def log_in(page, site):
    """``log_in("content_manager")``: signs in through the admin's login form as that demo user."""

    def sign_in(username: str) -> None:
        page.goto(f"{site}/admin/login/?next=/admin/")
        page.fill("#id_username", username)
        page.fill("#id_password", demo_password())
        page.click("input[type=submit]")
        page.wait_for_url(f"{site}/admin/")

    return sign_in
