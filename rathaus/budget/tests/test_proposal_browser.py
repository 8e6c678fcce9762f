"""The proposal pages in a browser at 360 px: axe-core on every page, the form by keyboard alone.

The map's tiles cannot load here (no network): the map stays grey and everything else works.
"""

import pytest
from django.utils import timezone

from rathaus.budget.models import Phase, Proposal, ProposalStatus
from rathaus.core.testing import assert_page_fine, login_as, press_enter, submit_with_errors, tab_to

from .proposal_fixtures import process_make, proposal_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_propose_with_the_keyboard_alone(page, live_server, process, citizen):
    login_as(page, live_server, citizen)
    page.goto("/buergerbudget/")
    assert_page_fine(page)
    tab_to(page, f"main a[href$='/buergerbudget/{process.slug}/']")
    press_enter(page)
    assert_page_fine(page)
    tab_to(page, "main a[href$='/vorschlagen/']")
    press_enter(page)
    assert_page_fine(page)
    assert page.locator("[data-map-point]").is_visible()  # JavaScript showed the map

    # Sent empty first: the errors are announced and the page stays accessible.
    submit_with_errors(page, limit=80)

    tab_to(page, "#id_title")
    page.keyboard.type("Trinkbrunnen am Platz")
    tab_to(page, "#id_description")
    page.keyboard.type("Ein Trinkbrunnen für heiße Tage.")
    tab_to(page, "#id_unit")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_estimated_cost")
    page.keyboard.type("8000")
    tab_to(page, "#id_latitude", limit=60)
    page.keyboard.type("51.2562")
    tab_to(page, "#id_longitude")
    page.keyboard.type("7.1408")
    tab_to(page, "main form button[type=submit]", limit=80)
    press_enter(page)
    proposal = Proposal.objects.get()
    assert page.url.endswith(proposal.get_absolute_url())
    assert str(proposal.longitude) == "7.140800"
    assert_page_fine(page)


def test_clicking_the_map_fills_the_inputs(page, live_server, process, citizen):
    login_as(page, live_server, citizen)
    page.goto(f"/buergerbudget/{process.slug}/vorschlagen/")
    page.locator(".site-map__canvas").click(position={"x": 60, "y": 60})
    assert page.input_value("#id_latitude") != ""
    assert page.input_value("#id_longitude") != ""


def test_list_detail_and_staff_pages_have_no_axe_violations(page, live_server, department, clerk):
    process = process_make(phase=Phase.REVIEW, department=department)
    unit = process.units.first()
    shown = proposal_make(unit, latitude="51.25", longitude="7.15", address="Neumarkt")
    proposal_make(unit, status=ProposalStatus.NOT_FEASIBLE, review_reason="Privatgrund")
    hidden = proposal_make(unit, hidden_at=timezone.now(), hidden_reason="Spam")
    for url in (
        f"/buergerbudget/{process.slug}/",
        f"/buergerbudget/{process.slug}/vorschlaege/",
        shown.get_absolute_url(),
        hidden.get_absolute_url(),
    ):
        page.goto(url)
        assert_page_fine(page)
    login_as(page, live_server, clerk)
    for url in (
        "/amt/buergerbudget/",
        f"/amt/buergerbudget/{process.slug}/",
        f"/amt/buergerbudget/{process.slug}/vorschlaege/{shown.pk}/",
        f"/amt/buergerbudget/{process.slug}/vorschlaege/{hidden.pk}/",
    ):
        page.goto(url)
        assert_page_fine(page)
    # A decision with a missing cost: the error page is accessible too.
    page.goto(f"/amt/buergerbudget/{process.slug}/vorschlaege/{shown.pk}/")
    page.check("#id_decide-feasible_0")
    page.fill("#id_decide-city_cost", "")
    with page.expect_navigation():
        page.click("form[action$='/entscheidung/'] button")
    assert page.title().startswith("Fehler:")
    assert_page_fine(page)
