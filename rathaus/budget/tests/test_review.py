"""Feasibility review and moderation: who may, until when, what must be given, the audit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rathaus.audit.models import AuditEntry
from rathaus.budget.models import Phase, ProposalStatus
from rathaus.budget.review import (
    proposal_decide,
    proposal_hide,
    proposal_restore,
    proposal_review_assign,
    review_proposals,
)

from .proposal_fixtures import process_make, proposal_make


@pytest.fixture
def review_process(department):
    return process_make(phase=Phase.REVIEW, department=department)


@pytest.fixture
def proposal(review_process):
    return proposal_make(review_process.units.get(district=""))


def test_feasible_needs_the_city_cost_and_is_audited(english, proposal, clerk):
    with pytest.raises(ValidationError, match="cost estimate"):
        proposal_decide(proposal=proposal, feasible=True, reason="", city_cost=None, actor=clerk)
    decided = proposal_decide(
        proposal=proposal, feasible=True, reason="", city_cost=6000, actor=clerk
    )
    assert decided.status == ProposalStatus.FEASIBLE
    assert decided.cost == 6000 and decided.reviewed_by == clerk
    assert AuditEntry.objects.filter(action="budget.proposal_reviewed").count() == 1


def test_not_feasible_needs_a_public_reason(english, proposal, clerk):
    with pytest.raises(ValidationError, match="public reason"):
        proposal_decide(proposal=proposal, feasible=False, reason=" ", city_cost=None, actor=clerk)
    decided = proposal_decide(
        proposal=proposal, feasible=False, reason="Privatgrund", city_cost=9, actor=clerk
    )
    assert decided.status == ProposalStatus.NOT_FEASIBLE and decided.city_cost is None


def test_city_cost_over_the_unit_budget_is_refused(proposal, clerk):
    with pytest.raises(ValidationError, match="budget"):
        proposal_decide(proposal=proposal, feasible=True, reason="", city_cost=100_001, actor=clerk)


def test_other_departments_and_citizens_may_not_review(proposal, outsider_clerk, citizen):
    for user in (outsider_clerk, citizen):
        with pytest.raises(PermissionDenied):
            proposal_decide(proposal=proposal, feasible=True, reason="", city_cost=10, actor=user)
    assert list(review_proposals(user=outsider_clerk, process=proposal.unit.process)) == []


def test_an_assigned_department_reviews_but_does_not_moderate(
    proposal, clerk, outsider_clerk, other_department
):
    proposal_review_assign(proposal=proposal, department=other_department, actor=clerk)
    assert list(review_proposals(user=outsider_clerk, process=proposal.unit.process)) == [proposal]
    proposal_decide(proposal=proposal, feasible=True, reason="", city_cost=10, actor=outsider_clerk)
    with pytest.raises(PermissionDenied):
        proposal_hide(proposal=proposal, reason="Spam", actor=outsider_clerk)
    with pytest.raises(PermissionDenied):
        proposal_review_assign(proposal=proposal, department=None, actor=outsider_clerk)
    assert AuditEntry.objects.filter(action="budget.proposal_review_assigned").exists()


@pytest.mark.parametrize("phase", [Phase.VOTING, Phase.COUNTING])
def test_no_decisions_once_the_review_has_ended(english, db, department, clerk, phase):
    process = process_make(phase=phase, department=department)
    proposal = proposal_make(process.units.first())
    with pytest.raises(ValidationError, match="review has ended"):
        proposal_decide(proposal=proposal, feasible=True, reason="", city_cost=10, actor=clerk)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_staff_hide_with_a_reason_and_restore(english, proposal, clerk):
    with pytest.raises(ValidationError, match="reason"):
        proposal_hide(proposal=proposal, reason="", actor=clerk)
    hidden = proposal_hide(proposal=proposal, reason="Beleidigend", actor=clerk)
    assert hidden.hidden_at is not None and hidden.hidden_reason == "Beleidigend"
    with pytest.raises(ValidationError, match="already hidden"):
        proposal_hide(proposal=proposal, reason="Nochmal", actor=clerk)
    restored = proposal_restore(proposal=proposal, actor=clerk)
    assert restored.hidden_at is None and restored.hidden_reason == ""
    actions = list(AuditEntry.objects.values_list("action", flat=True).order_by("sequence"))
    assert actions == ["budget.proposal_hidden", "budget.proposal_restored"]


def test_citizens_may_not_moderate(proposal, citizen):
    with pytest.raises(PermissionDenied):
        proposal_hide(proposal=proposal, reason="Spam", actor=citizen)


def test_a_proposal_on_a_fixed_ballot_cannot_be_hidden(english, db, department, clerk):
    process = process_make(phase=Phase.VOTING, department=department)
    on_ballot = proposal_make(process.units.first(), status=ProposalStatus.FEASIBLE, city_cost=100)
    with pytest.raises(ValidationError, match="ballot is fixed"):
        proposal_hide(proposal=on_ballot, reason="Spam", actor=clerk)
    # A proposal not on the ballot can still be hidden.
    other = proposal_make(process.units.first(), status=ProposalStatus.NOT_FEASIBLE)
    assert proposal_hide(proposal=other, reason="Spam", actor=clerk).hidden_at
