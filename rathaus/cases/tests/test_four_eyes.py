import pytest
from django.test import Client
from django.urls import reverse

from rathaus.cases.models import Decision, Outcome
from rathaus.cases.services import CaseActionError, case_assign, case_decide, decision_confirm
from rathaus.cases.states import CaseStatus
from rathaus.catalog.services import catalog_load
from rathaus.catalog.tests.conftest import SMALL_SERVICE, write_service

from .conftest import staff

pytestmark = pytest.mark.django_db

TEMPLATES = """\
four_eyes: true
decision_templates:
  - id: zone
    outcome: rejected
    title: {de: Außerhalb der Zone, en: Outside the zone}
    reason: {de: Die Anschrift liegt nicht in der Zone., en: The address is outside the zone.}
    legal_basis: § 45 StVO
"""


@pytest.fixture
def four_eyes_service(department, tmp_path):
    write_service(
        tmp_path,
        SMALL_SERVICE.replace("processing_days: 14\n", "processing_days: 14\n" + TEMPLATES),
    )
    catalog_load(root=tmp_path)


def test_a_decision_needs_a_second_person_to_confirm(department, make_case, four_eyes_service):
    case = make_case()
    first, second = staff(department), staff(department)
    case_assign(case=case, assignee=first, actor=first)
    case_decide(case=case, actor=first, outcome=Outcome.REJECTED, reason="x", legal_basis="y")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW
    assert case.decision.awaiting_confirmation
    with pytest.raises(CaseActionError):
        decision_confirm(case=case, actor=first)
    decision_confirm(case=case, actor=second)
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert case.decision.confirmed_by == second


def test_the_second_person_can_send_a_proposal_back(department, make_case, four_eyes_service):
    case = make_case()
    first, second = staff(department), staff(department)
    client = Client()
    client.force_login(first)
    client.post(reverse("cases:take", args=[case.reference]))
    client.post(
        reverse("cases:decide", args=[case.reference]),
        {"outcome": "approved", "reason": "ok", "legal_basis": "x"},
    )
    # The proposer cannot confirm their own decision.
    assert client.post(reverse("cases:confirm", args=[case.reference])).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW
    colleague = Client()
    colleague.force_login(second)
    html = colleague.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert reverse("cases:confirm", args=[case.reference]) in html
    colleague.post(reverse("cases:send_back", args=[case.reference]))
    assert not Decision.objects.exists()
    assert colleague.get(reverse("cases:detail", args=[case.reference])).status_code == 200


def test_a_decision_template_fills_the_decision_form(department, make_case, four_eyes_service):
    case = make_case()
    worker = staff(department)
    client = Client()
    client.force_login(worker)
    client.post(reverse("cases:take", args=[case.reference]))
    url = reverse("cases:detail", args=[case.reference])
    html = client.get(url).content.decode()
    assert "?template=zone" in html
    form = client.get(url, {"template": "zone"}).context["decision_form"]
    assert form.initial == {
        "outcome": "rejected",
        "reason": "Die Anschrift liegt nicht in der Zone.",
        "legal_basis": "§ 45 StVO",
    }
