"""The back office of the citizens' budget: feasibility review and moderation of proposals.

The process's department runs the review and moderates; it may hand a proposal to another
department for its review (the road department knows what a crossing costs), whose members then
decide that proposal. Decisions are possible until the review phase ends: once voting opens,
the ballot is fixed.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import Department, User
from rathaus.audit.services import audit_record

from .models import BudgetProcess, Proposal, ProposalStatus
from .processes import process_staff_member

REASON_MAX_LENGTH = 500


def proposal_reviewer(*, user: User, proposal: Proposal) -> bool:
    """Members of the process's department, or of the department reviewing this proposal."""
    if process_staff_member(user=user, process=proposal.unit.process):
        return True
    return (
        user.is_authenticated
        and user.is_active
        and proposal.review_department_id is not None
        and user.memberships.filter(department_id=proposal.review_department_id).exists()
    )


def review_proposals(
    *,
    user: User,
    process: BudgetProcess,
    status: str | None = None,
    unit_id: int | None = None,
) -> QuerySet[Proposal]:
    """The proposals of a process the user may review, open ones first."""
    proposals = Proposal.objects.filter(unit__process=process).select_related(
        "unit", "review_department"
    )
    if not process_staff_member(user=user, process=process):
        proposals = proposals.filter(
            review_department__in=Department.objects.filter(memberships__user=user)
        )
    if status:
        proposals = proposals.filter(status=status)
    if unit_id:
        proposals = proposals.filter(unit_id=unit_id)
    open_first = Case(When(status=ProposalStatus.SUBMITTED, then=0), default=1)
    return proposals.order_by(open_first, "unit__district", "number")


def review_open(*, process: BudgetProcess, at: datetime.datetime | None = None) -> bool:
    return (at or timezone.now()) < process.review_close


def _require_review_open(process: BudgetProcess, at: datetime.datetime | None) -> None:
    if not review_open(process=process, at=at):
        raise ValidationError(
            _("The feasibility review has ended: the ballot is fixed."), code="review_closed"
        )


def _require_ballot_open(proposal: Proposal, at: datetime.datetime | None) -> None:
    """Hiding or restoring a feasible proposal would change a fixed ballot."""
    if proposal.status == ProposalStatus.FEASIBLE and not review_open(
        process=proposal.unit.process, at=at
    ):
        raise ValidationError(
            _(
                "The proposal is feasible and the ballot is fixed: it can no longer be hidden or "
                "restored."
            ),
            code="ballot_fixed",
        )


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("unit__process").get(pk=proposal.pk)


@transaction.atomic
def proposal_review_assign(
    *, proposal: Proposal, department: Department | None, actor: User, at=None
) -> Proposal:
    """Hand the proposal to a department for its review (None: back to the process's own)."""
    proposal = _locked(proposal)
    process = proposal.unit.process
    if not process_staff_member(user=actor, process=process):
        raise PermissionDenied
    _require_review_open(process, at)
    proposal.review_department = department
    proposal.save(update_fields=["review_department"])
    audit_record(
        actor=actor,
        action="budget.proposal_review_assigned",
        object_type="budget.proposal",
        object_id=str(proposal.pk),
        data={"department": department.code if department else None},
    )
    return proposal


@transaction.atomic
def proposal_decide(
    *,
    proposal: Proposal,
    feasible: bool,
    reason: str,
    city_cost: int | None,
    actor: User,
    at: datetime.datetime | None = None,
) -> Proposal:
    """Decide feasibility: feasible needs the city's cost estimate, not feasible a public reason."""
    proposal = _locked(proposal)
    process = proposal.unit.process
    if not proposal_reviewer(user=actor, proposal=proposal):
        raise PermissionDenied
    _require_review_open(process, at)
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise ValidationError(_("The proposal was withdrawn."), code="withdrawn")
    reason = reason.strip()
    if feasible:
        if city_cost is None or city_cost <= 0:
            raise ValidationError(
                _("A feasible proposal needs the city's cost estimate."), code="cost_required"
            )
        if city_cost > proposal.unit.budget:
            raise ValidationError(
                _("The city's cost estimate is more than the unit's budget."), code="over_budget"
            )
    elif not reason:
        raise ValidationError(
            _("Give the public reason why the proposal is not feasible."), code="reason_required"
        )
    proposal.status = ProposalStatus.FEASIBLE if feasible else ProposalStatus.NOT_FEASIBLE
    proposal.city_cost = city_cost if feasible else None
    proposal.review_reason = reason
    proposal.reviewed_by = actor
    proposal.reviewed_at = at or timezone.now()
    proposal.save(
        update_fields=["status", "city_cost", "review_reason", "reviewed_by", "reviewed_at"]
    )
    audit_record(
        actor=actor,
        action="budget.proposal_reviewed",
        object_type="budget.proposal",
        object_id=str(proposal.pk),
        data={"status": proposal.status, "city_cost": proposal.city_cost},
    )
    return proposal


@transaction.atomic
def proposal_hide(
    *, proposal: Proposal, reason: str, actor: User, at: datetime.datetime | None = None
) -> Proposal:
    """Hide a proposal from the public with a reason staff see.

    Once the review has ended, a feasible proposal can neither be hidden nor restored: the
    ballot is fixed, and changing it would change what votes mean (docs/budget.md,
    "Moderation").
    """
    proposal = _locked(proposal)
    process = proposal.unit.process
    if not process_staff_member(user=actor, process=process):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for hiding the proposal."), code="reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("The reason may have at most %(count)s characters.") % {"count": REASON_MAX_LENGTH},
            code="reason_too_long",
        )
    if proposal.hidden_at is not None:
        raise ValidationError(_("The proposal is already hidden."), code="already_hidden")
    _require_ballot_open(proposal, at)
    proposal.hidden_at = at or timezone.now()
    proposal.hidden_reason = reason
    proposal.save(update_fields=["hidden_at", "hidden_reason"])
    audit_record(
        actor=actor,
        action="budget.proposal_hidden",
        object_type="budget.proposal",
        object_id=str(proposal.pk),
        data={"reason": reason},
    )
    return proposal


@transaction.atomic
def proposal_restore(
    *, proposal: Proposal, actor: User, at: datetime.datetime | None = None
) -> Proposal:
    """Show a hidden proposal to the public again."""
    proposal = _locked(proposal)
    if not process_staff_member(user=actor, process=proposal.unit.process):
        raise PermissionDenied
    if proposal.hidden_at is None:
        raise ValidationError(_("The proposal is not hidden."), code="not_hidden")
    _require_ballot_open(proposal, at)
    proposal.hidden_at = None
    proposal.hidden_reason = ""
    proposal.save(update_fields=["hidden_at", "hidden_reason"])
    audit_record(
        actor=actor,
        action="budget.proposal_restored",
        object_type="budget.proposal",
        object_id=str(proposal.pk),
    )
    return proposal
