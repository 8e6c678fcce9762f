"""A thread on a page: axe-core clean for the public, citizens and moderators; posting works
by keyboard alone on a 360 px screen, and an error keeps the typed text."""

import pytest

from rathaus.comments import services
from rathaus.comments.models import Comment
from rathaus.core.testing import assert_page_fine, is_focused, login_as, press_enter, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("rathaus.comments.tests.urls"),
]


def test_comment_by_keyboard_and_moderate(page, live_server, thread, citizen, moderator):
    url = thread.target.get_absolute_url()
    page.goto(url)
    assert_page_fine(page)  # anonymous: the login link instead of the form

    login_as(page, live_server, citizen)
    page.goto(url)
    assert_page_fine(page)
    tab_to(page, "#id_comment-body")
    page.keyboard.type("  ")
    tab_to(page, "#comment-form button")
    press_enter(page)
    assert page.locator("#comment-form [role=alert]").count() == 1
    assert is_focused(page, "[data-error-summary]")
    assert_page_fine(page)

    tab_to(page, "#id_comment-body")
    page.keyboard.type("Bitte mehr Fahrradbügel am Platz.")
    tab_to(page, "#comment-form button")
    press_enter(page)
    comment = Comment.objects.get()
    assert page.url.endswith(f"#comment-{comment.pk}")
    assert page.locator(f"#comment-{comment.pk}").inner_text().count("Fahrradbügel") == 1
    assert_page_fine(page)

    services.comment_post(target=thread.target, author=citizen, body="Werbung für XY")
    login_as(page, live_server, moderator)
    page.goto(url)
    assert_page_fine(page)
    spam = Comment.objects.get(body="Werbung für XY")
    tab_to(page, f"#id_hide-{spam.pk}-reason", limit=80)
    page.keyboard.type("Werbung")
    page.keyboard.press("Tab")
    press_enter(page)
    spam.refresh_from_db()
    assert spam.is_hidden
    assert_page_fine(page)

    page.context.clear_cookies()
    page.goto(url)
    assert "Werbung für XY" not in page.inner_text("main")
    assert_page_fine(page)
