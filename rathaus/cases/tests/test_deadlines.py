import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rathaus.accounts.models import Role
from rathaus.cases.models import Case, Outcome
from rathaus.cases.services import case_assign, case_decide, cases_deadline_run
from rathaus.cases.states import CaseStatus
from rathaus.catalog.models import Service
from rathaus.catalog.services import catalog_load
from rathaus.catalog.tests.conftest import SMALL_SERVICE, write_service

from .conftest import staff

pytestmark = pytest.mark.django_db


def _overdue(case) -> None:
    Case.objects.filter(pk=case.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )


def test_an_overdue_case_is_escalated_to_the_lead_once(department, make_case):
    lead = staff(department, role=Role.LEAD)
    former_lead = staff(department, role=Role.LEAD)
    former_lead.is_active = False
    former_lead.save()
    staff(department)
    case = make_case()
    _overdue(case)
    assert cases_deadline_run() == {"deemed_approvals": 0, "escalated": 1}
    assert [m.to for m in mail.outbox] == [[lead.email]]
    assert case.reference in mail.outbox[0].body
    # Names and answers stay out of the e-mail.
    assert case.applicant.email not in mail.outbox[0].body
    assert cases_deadline_run() == {"deemed_approvals": 0, "escalated": 0}


def test_a_case_waiting_for_the_citizen_is_not_overdue(department, make_case):
    from rathaus.cases.services import information_request

    worker = staff(department)
    case = make_case()
    case_assign(case=case, assignee=worker, actor=worker)
    information_request(case=case, actor=worker, message="?", documents=[])
    _overdue(case)
    assert cases_deadline_run()["escalated"] == 0


def test_a_service_with_deemed_approval_is_approved_by_law_when_the_deadline_passes(
    department, make_case, tmp_path
):
    write_service(
        tmp_path,
        SMALL_SERVICE.replace(
            "processing_days: 14\n",
            "processing_days: 14\n"
            "deemed_approval: {legal_basis: '§ 42a VwVfG i. V. m. § 6a GewO'}\n",
        ),
    )
    catalog_load(root=tmp_path)
    case = make_case()
    _overdue(case)
    assert cases_deadline_run()["deemed_approvals"] == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert case.decision.outcome == Outcome.APPROVED
    assert "42a" in case.decision.legal_basis


def test_the_dashboard_counts_and_times_per_service(department, make_case):
    worker = staff(department)
    decided, _open = make_case(), make_case()
    case_assign(case=decided, assignee=worker, actor=worker)
    case_decide(case=decided, actor=worker, outcome=Outcome.APPROVED, reason="ok", legal_basis="x")
    client = Client()
    client.force_login(worker)
    url = reverse("cases:dashboard", args=[department.code])
    figures = client.get(url, {"format": "json"}).json()
    [row] = figures["services"]
    assert (row["received"], row["open"], row["decided"], row["automatic"]) == (2, 1, 1, 0)
    assert row["median_days"] is not None
    assert figures["total"]["straight_through_rate"] == 0.0
    assert client.get(url).status_code == 200
    assert Service.objects.count() == 1


def test_the_dashboard_of_another_department_is_not_found(department):
    from rathaus.accounts.tests.factories import DepartmentFactory

    outsider = staff(DepartmentFactory(code="999"))
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("cases:dashboard", args=[department.code])).status_code == 404
