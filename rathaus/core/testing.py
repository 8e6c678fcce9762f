"""Helpers for browser tests: axe-core checks and keyboard navigation."""

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
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the viewport (0 on a well-behaved page)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth"
        " - document.documentElement.clientWidth)"
    )


def login_as(page, live_server, user) -> None:
    """Let the browser continue as `user` (logged in without the login form)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
