"""Every consultation page is axe-core clean at 360 px; the questionnaire works by keyboard."""

import pytest

from rathaus.consultations import services
from rathaus.consultations.models import Answer, Response
from rathaus.core.testing import (
    assert_page_fine,
    is_focused,
    login_as,
    press_enter,
    submit_with_errors,
    tab_to,
)

from .conftest import close, valid_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_questionnaire_by_keyboard(page, live_server, project, questions, resident):
    single, multiple, scale, text = questions
    page.goto("/")
    tab_to(page, "header a[href$='/beteiligung/']")
    press_enter(page)
    assert_page_fine(page)
    page.goto(project.get_absolute_url())
    assert_page_fine(page)  # anonymous: login links

    login_as(page, live_server, resident)
    page.goto(project.get_absolute_url())
    assert_page_fine(page)
    # Send without the required answers first: the error summary takes the focus.
    submit_with_errors(page, "#questionnaire button[type=submit]", limit=80)
    assert is_focused(page, "[data-error-summary]")
    assert Response.objects.count() == 0

    tab_to(page, f"#id_q{single.pk}_0", limit=80)
    page.keyboard.press("Space")
    tab_to(page, f"#id_q{multiple.pk}_1")
    page.keyboard.press("Space")
    tab_to(page, f"#id_q{scale.pk}_0")
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # radio groups move with the arrow keys
    tab_to(page, f"#id_q{text.pk}")
    page.keyboard.type("Bitte mehr Schatten.")
    tab_to(page, "#questionnaire button[type=submit]")
    press_enter(page)
    response = Response.objects.get()
    assert sorted(
        (a.question_id, a.option_id, a.value, a.text) for a in response.answers.all()
    ) == sorted(
        [
            (single.pk, single.options.first().pk, None, ""),
            (multiple.pk, multiple.options.all()[1].pk, None, ""),
            (scale.pk, None, 4, ""),
            (text.pk, None, None, "Bitte mehr Schatten."),
        ]
    )
    assert_page_fine(page)


def test_staff_and_closed_pages(page, live_server, project, questions, resident, planner):
    services.response_submit(
        consultation=project.consultation, user=resident, answers=valid_answers(questions)
    )
    login_as(page, live_server, planner)
    page.goto("/amt/beteiligung/")
    assert_page_fine(page)
    page.goto(f"/amt/beteiligung/{project.slug}/")
    assert_page_fine(page)
    close(project.consultation)
    page.goto(f"/amt/beteiligung/{project.slug}/")
    tab_to(page, "#id_summary", limit=80)
    page.keyboard.type("Danke für 1 Antwort. Wir bauen Entwurf A.")
    tab_to(page, "button[name=publish]")
    press_enter(page)
    assert_page_fine(page)
    page.context.clear_cookies()
    page.goto(project.get_absolute_url())
    assert "Wir bauen Entwurf A." in page.inner_text("main")
    assert Answer.objects.exists()
    assert_page_fine(page)
