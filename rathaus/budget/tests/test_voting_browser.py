"""The voting flow by keyboard alone on a 360 px screen, and axe-core on every voting page."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from rathaus.accounts.models import LevelOfAssurance
from rathaus.accounts.tests.factories import PASSWORD, UserFactory
from rathaus.budget.models import Ballot, PaperBallotEntry
from rathaus.budget.paper import paper_entry_add, paper_person_find
from rathaus.budget.results import election_import, results_count, results_publish
from rathaus.budget.voting import receipt_check
from rathaus.core.testing import assert_page_fine, login_as, press_enter, submit_with_errors, tab_to

from .voting_fixtures import LENA, LENA_ON_PAPER, ids

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAMPLES = Path(__file__).parent / "samples"


def test_a_resident_logs_in_chooses_casts_and_sees_the_receipt_by_keyboard(page, voting):
    voting.assurance = LevelOfAssurance.BASIC  # a password login is enough for this process
    voting.save()
    UserFactory(email="lena@example.org", register_id=LENA)
    page.goto(f"/buergerbudget/{voting.slug}/abstimmen/")
    page.wait_for_url("**/accounts/login/**")
    tab_to(page, "#id_login")
    page.keyboard.type("lena@example.org")
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    press_enter(page)
    assert page.url.endswith(f"/buergerbudget/{voting.slug}/abstimmen/")
    assert_page_fine(page)

    unit = voting.units.get(district="")
    tab_to(page, f"main a[href$='/abstimmen/{unit.pk}/']")
    press_enter(page)
    assert_page_fine(page)
    # Too many projects first (over the budget): the error is announced, nothing counts.
    for index in (0, 1, 3):
        tab_to(page, f"#id_proposals_{index}")
        page.keyboard.press("Space")
    assert "120.000" in page.locator("[data-ballot-total]").inner_text()
    submit_with_errors(page)
    assert not Ballot.objects.exists()
    # Untick the expensive one and cast.
    tab_to(page, "#id_proposals_3")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    press_enter(page)
    assert "/danke/" in page.url
    code = page.locator("[data-receipt-code]").inner_text()
    assert receipt_check(process=voting, code=code) == Ballot.objects.get()
    assert {p.title for p in Ballot.objects.get().proposals.all()} == {
        "Spielplatz Nordpark",
        "Trinkbrunnen",
    }
    assert_page_fine(page)

    tab_to(page, "main a[href$='/quittung/']")
    press_enter(page)
    tab_to(page, "#id_code")
    page.keyboard.type(code)
    press_enter(page)
    assert page.locator(".kern-alert--success").is_visible()
    assert_page_fine(page)


def test_staff_voting_pages_and_public_results_have_no_axe_violations(
    page, live_server, voting, clerks
):
    anna, ben, lead = clerks
    unit = voting.units.get(district="")
    person = paper_person_find(**dict(LENA_ON_PAPER, date_of_birth=datetime.date(1990, 3, 14)))
    for actor, titles in ((anna, ("Trinkbrunnen",)), (ben, ("Radbügel",))):
        paper_entry_add(
            unit=unit,
            actor=actor,
            sheet_number="S-1",
            person=person,
            proposal_ids=ids(unit, *titles),
        )
    login_as(page, live_server, lead)
    page.goto(f"/amt/buergerbudget/{voting.slug}/papier/")
    assert_page_fine(page)
    page.goto(f"/amt/buergerbudget/{voting.slug}/papier/{unit.pk}/S-1/")
    assert_page_fine(page)
    # An empty choice: the error is shown accessibly.
    submit_with_errors(page, "main button[type=submit]", limit=80)
    first = PaperBallotEntry.objects.get(entered_by=anna)
    page.check(f"input[name=entry][value='{first.pk}']")
    with page.expect_navigation():
        page.click("form:has(input[value=choose]) button[type=submit]")

    voting.voting_closes = timezone.now() - datetime.timedelta(minutes=1)
    voting.save()
    page.goto(f"/amt/buergerbudget/{voting.slug}/ergebnis/")
    assert_page_fine(page)
    results_count(process=voting, actor=lead)
    page.goto(f"/amt/buergerbudget/{voting.slug}/ergebnis/")
    assert_page_fine(page)
    results_publish(process=voting, actor=lead)
    page.goto(f"/buergerbudget/{voting.slug}/ergebnis/")
    assert_page_fine(page)
    page.goto(f"/buergerbudget/{voting.slug}/quittung/?code=AAAA-BBBB")
    assert_page_fine(page)

    page.goto("/amt/buergerbudget/import/")
    assert_page_fine(page)
    imported = election_import(
        data=(SAMPLES / "approval.pb").read_bytes(), department=voting.department, actor=lead
    )
    page.goto(f"/amt/buergerbudget/import/{imported.slug}/")
    assert_page_fine(page)
