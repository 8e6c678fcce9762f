"""Helpers for browser tests: axe-core checks, keyboard navigation and logging in."""

from pathlib import Path

from django.conf import settings

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """Run axe-core with the WCAG 2.1 A and AA rules on the current page."""
    page.wait_for_load_state()  # never inject into a document that is still being replaced
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url="/__axe__.js")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def tab_to(page, selector: str, *, limit: int = 40) -> None:
    """Press Tab until the element matching `selector` has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if is_focused(page, selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the viewport (0 on a well-behaved page)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth"
        " - document.documentElement.clientWidth)"
    )


def assert_page_fine(page) -> None:
    """axe-core finds nothing, nothing is wider than the screen, no Content Security Policy
    error (collected by the `page` fixture in rathaus/conftest.py)."""
    assert axe_violations(page) == []
    assert horizontal_overflow(page) == 0
    assert page.csp_errors == []


def press_enter(page) -> None:
    """Press Enter and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def is_focused(page, selector: str) -> bool:
    """Whether the element matching `selector` has the keyboard focus."""
    return page.evaluate("(s) => document.activeElement.matches(s)", selector)


def submit_with_errors(
    page, button: str = "main form button[type=submit]", *, limit: int = 40
) -> None:
    """Send a form by keyboard that must come back with errors, and check that page too."""
    tab_to(page, button, limit=limit)
    press_enter(page)
    assert page.title().startswith("Fehler:")
    assert_page_fine(page)


def login_as(page, live_server, user, *, assurance: int | None = None) -> None:
    """Let the browser continue as `user` (logged in without the login form), optionally with a
    level of assurance as an eID login would give."""
    from django.test import Client

    from rathaus.accounts.selectors import SESSION_ASSURANCE_KEY

    client = Client()
    client.force_login(user)
    if assurance is not None:
        session = client.session
        session[SESSION_ASSURANCE_KEY] = int(assurance)
        session.save()
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
