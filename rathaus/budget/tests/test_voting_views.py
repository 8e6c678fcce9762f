"""The voting pages: thin views over the services, with clear messages and no 500s."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rathaus.accounts.models import LevelOfAssurance
from rathaus.accounts.selectors import SESSION_ASSURANCE_KEY
from rathaus.budget.models import Ballot, BudgetProcess, PaperBallotEntry
from rathaus.budget.results import results_count

from .voting_fixtures import LENA_ON_PAPER, ids

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


def client_for(user, level=LevelOfAssurance.SUBSTANTIAL) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_ASSURANCE_KEY] = int(level)
    session.save()
    return client


def _ballot_url(process):
    unit = process.units.get(district="")
    return reverse("budget:ballot_unit", args=[process.slug, unit.pk]), unit


def test_vote_see_the_receipt_once_and_check_it(voting, lena):
    client = client_for(lena)
    assert client.get(reverse("budget:ballot", args=[voting.slug])).status_code == 200
    url, unit = _ballot_url(voting)
    page = client.get(url)
    assert "Trinkbrunnen" in page.text and "30.000" in page.text
    response = client.post(url, {"proposals": ids(unit, "Trinkbrunnen")})
    assert response.status_code == 302
    done = client.get(response.url)
    code = done.context["code"]
    assert code and code in done.text
    assert client.get(response.url).context["code"] is None  # shown once
    check = Client().get(reverse("budget:receipt", args=[voting.slug]), {"code": code})
    assert check.context["found"] == Ballot.objects.get()


def test_a_refused_ballot_shows_the_reason_and_counts_nothing(voting, lena):
    url, _unit = _ballot_url(voting)
    response = client_for(lena).post(url, {"proposals": []})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "<title>Fehler:" in response.text
    response = client_for(lena).post(url, {"proposals": ["999999"]})
    assert response.status_code == 200
    assert not Ballot.objects.exists()


def test_a_weak_login_is_told_to_log_in_better(voting, lena):
    url, _unit = _ballot_url(voting)
    response = client_for(lena, LevelOfAssurance.BASIC).get(url)
    assert response.status_code == 403
    assert not Ballot.objects.exists()


def test_someone_outside_the_register_is_told_why(voting, stranger):
    response = client_for(stranger).get(reverse("budget:ballot", args=[voting.slug]))
    assert response.context["problem"]


def test_results_are_public_only_when_published(voting, clerks):
    voting.voting_closes = timezone.now() - datetime.timedelta(minutes=1)
    voting.save()
    results_count(process=voting, actor=clerks[0])
    url = reverse("budget:results", args=[voting.slug])
    assert Client().get(url).status_code == 404
    row = voting.units.get(district="").results.get()
    file_url = reverse("budget:result_file", args=[voting.slug, row.pk])
    assert Client().get(file_url).status_code == 404
    staff = client_for(clerks[0])
    assert staff.get(file_url).status_code == 200
    assert (
        staff.post(reverse("budget_staff:results_publish", args=[voting.slug])).status_code == 302
    )
    page = Client().get(url)
    assert page.status_code == 200 and row.pb_sha256 in page.text
    assert "budget_results" in page.text
    download = Client().get(file_url)
    assert download.content == bytes(row.pb_data)


def test_paper_entry_pages(voting, clerks):
    anna, ben, lead = clerks
    url = reverse("budget_staff:paper", args=[voting.slug])
    unit = voting.units.get(district="")
    sheet = dict(LENA_ON_PAPER, sheet_number="P-1", proposals=ids(unit, "Trinkbrunnen"))
    assert client_for(anna).post(f"{url}?unit={unit.pk}", sheet).status_code == 302
    wrong = dict(sheet, proposals=ids(unit, "Radbügel"))
    assert client_for(ben).post(f"{url}?unit={unit.pk}", wrong).status_code == 302
    page = client_for(lead).get(url)
    assert "P-1" in page.text
    sheet_url = reverse("budget_staff:paper_sheet", args=[voting.slug, unit.pk, "P-1"])
    assert client_for(anna).get(sheet_url).status_code == 403
    resolve = client_for(lead).get(sheet_url)
    assert resolve.status_code == 200
    first = PaperBallotEntry.objects.get(entered_by=anna)
    response = client_for(lead).post(sheet_url, {"action": "choose", "entry": first.pk})
    assert response.status_code == 302
    assert Ballot.objects.get().channel == "paper"
    # Someone not on the register: a clear message, nothing stored.
    nobody = dict(sheet, sheet_number="P-2", family_name="Niemand")
    response = client_for(anna).post(f"{url}?unit={unit.pk}", nobody)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert PaperBallotEntry.objects.count() == 2


def test_staff_of_other_departments_see_no_paper_page(voting, stranger):
    url = reverse("budget_staff:paper", args=[voting.slug])
    assert client_for(stranger).get(url).status_code == 403


def test_import_page_shows_results_by_each_rule_and_bad_files_errors(voting, clerks):
    client = client_for(clerks[0])
    url = reverse("budget_staff:import")
    bad = SimpleUploadedFile("x.pb", b"META\nkey;value\nbudget;x\n")
    response = client.post(url, {"file": bad, "department": voting.department.pk})
    assert response.status_code == 200
    assert "Zeile 3" in response.text
    assert not BudgetProcess.objects.filter(imported=True).exists()
    good = SimpleUploadedFile("a.pb", (SAMPLES / "approval.pb").read_bytes())
    response = client.post(url, {"file": good, "department": voting.department.pk})
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200 and len(page.context["rows"]) == 2
