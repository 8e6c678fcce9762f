import datetime

import pytest
from django.utils import timezone

from rathaus.accounts.models import Role
from rathaus.audit.selectors import audit_entries_for, audit_verify
from rathaus.cases.models import CaseEvent, Outcome
from rathaus.cases.services import (
    CaseActionError,
    case_assign,
    case_decide,
    case_transition,
    case_withdraw,
    information_answer,
    information_request,
)
from rathaus.cases.states import NATIONAL_STATUS, TRANSITIONS, Action, CaseStatus

from .conftest import staff

pytestmark = pytest.mark.django_db


def test_every_state_maps_to_a_national_submission_state():
    assert set(NATIONAL_STATUS) == set(CaseStatus)
    assert set(NATIONAL_STATUS.values()) <= {
        "submitted",
        "received",
        "processing",
        "action_required",
        "completed",
    }


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", list(CaseStatus))
def test_only_the_transitions_in_the_table_are_allowed(make_case, action, status):
    case = make_case()
    case.status = status
    case.save(update_fields=["status"])
    sources, target = TRANSITIONS[action]
    if status in sources:
        assert case_transition(case=case, action=action, actor=None).status == target
    else:
        with pytest.raises(CaseActionError):
            case_transition(case=case, action=action, actor=None)
        case.refresh_from_db()
        assert case.status == status


def test_assigning_starts_the_review_and_is_audited(department, make_case):
    case = make_case()
    worker = staff(department)
    case_assign(case=case, assignee=worker, actor=worker)
    case.refresh_from_db()
    assert case.assignee == worker
    assert case.status == CaseStatus.IN_REVIEW
    actions = [
        e.action for e in audit_entries_for(object_type="cases.case", object_id=str(case.pk))
    ]
    assert actions == ["case.submitted", "case.assigned", "case.start_review"]
    assert audit_verify().ok


def test_only_the_lead_reassigns_a_case_someone_else_holds(department, make_case):
    case = make_case()
    first, second = staff(department), staff(department)
    lead = staff(department, role=Role.LEAD)
    case_assign(case=case, assignee=first, actor=first)
    with pytest.raises(CaseActionError):
        case_assign(case=case, assignee=second, actor=second)
    case_assign(case=case, assignee=second, actor=lead)
    case.refresh_from_db()
    assert case.assignee == second


def test_staff_of_another_department_cannot_assign(department, make_case):
    from rathaus.accounts.tests.factories import DepartmentFactory

    case = make_case()
    outsider = staff(DepartmentFactory(code="999"))
    with pytest.raises(CaseActionError):
        case_assign(case=case, assignee=outsider, actor=outsider)


def test_a_deactivated_colleague_cannot_be_given_a_case(department, make_case):
    case = make_case()
    lead = staff(department, role=Role.LEAD)
    gone = staff(department)
    gone.is_active = False
    gone.save()
    with pytest.raises(CaseActionError):
        case_assign(case=case, assignee=gone, actor=lead)
    case.refresh_from_db()
    assert case.assignee is None


def test_the_deadline_pauses_while_waiting_for_the_citizen(department, make_case):
    case = make_case()
    worker = staff(department)
    case_assign(case=case, assignee=worker, actor=worker)
    due = case.due_date
    information_request(case=case, actor=worker, message="Bitte Nachweis", documents=["Nachweis"])
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_CITIZEN
    assert case.paused_since == timezone.localdate()
    # Five days later the citizen answers: the deadline moves by five days.
    type(case).objects.filter(pk=case.pk).update(
        paused_since=timezone.localdate() - datetime.timedelta(days=5)
    )
    case.refresh_from_db()
    information_answer(case=case, applicant=case.applicant, answer="Anbei")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW
    assert case.due_date == due + datetime.timedelta(days=5)
    assert case.paused_since is None
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[-2:] == [CaseEvent.Kind.INFORMATION_REQUESTED, CaseEvent.Kind.CITIZEN_ANSWERED]


def test_only_the_applicant_answers_and_only_an_open_question(department, make_case):
    case = make_case()
    with pytest.raises(CaseActionError):
        information_answer(case=case, applicant=case.applicant, answer="nichts gefragt")


def test_a_caseworker_decides_with_reason_and_legal_basis(department, make_case):
    case = make_case()
    worker = staff(department)
    case_assign(case=case, assignee=worker, actor=worker)
    decision = case_decide(
        case=case,
        actor=worker,
        outcome=Outcome.REJECTED,
        reason="Nicht in der Zone",
        legal_basis="§ 45 Abs. 1b StVO",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert (decision.decided_by, decision.automated) == (worker, False)


def test_an_automated_decision_can_only_approve(department, make_case):
    case = make_case()
    with pytest.raises(CaseActionError):
        case_decide(
            case=case,
            actor=None,
            outcome=Outcome.REJECTED,
            reason="x",
            legal_basis="y",
            automated=True,
        )
    decision = case_decide(
        case=case,
        actor=None,
        outcome=Outcome.APPROVED,
        reason="Regel",
        legal_basis="§ 35a VwVfG",
        automated=True,
        explanation={"rules": []},
    )
    assert decision.automated
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED


def test_the_applicant_withdraws_before_a_decision_only(department, make_case):
    case = make_case()
    case_withdraw(case=case, applicant=case.applicant)
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    with pytest.raises(CaseActionError):
        case_withdraw(case=case, applicant=case.applicant)
