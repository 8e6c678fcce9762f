import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import Department, Membership, Role, User
from rathaus.audit.services import audit_record

from .events import case_decided, case_submitted
from .models import (
    Case,
    CaseEvent,
    CaseNote,
    CaseStatus,
    Decision,
    InformationRequest,
    Outcome,
    ReferenceCounter,
)
from .states import TRANSITIONS, Action


class CaseActionError(Exception):
    """An action that is not allowed on the case as it is; the message is shown to staff."""

    def __init__(self, message, *, code: str = "not_allowed"):
        super().__init__(message)
        self.message = message
        self.code = code


EVENT_OF_ACTION = {
    Action.START_REVIEW: CaseEvent.Kind.IN_REVIEW,
    Action.REQUEST_INFORMATION: CaseEvent.Kind.INFORMATION_REQUESTED,
    Action.CITIZEN_ANSWERED: CaseEvent.Kind.CITIZEN_ANSWERED,
    Action.DECIDE: CaseEvent.Kind.DECIDED,
    Action.DECIDE_AUTOMATICALLY: CaseEvent.Kind.DECIDED,
    Action.CLOSE: CaseEvent.Kind.CLOSED,
    Action.WITHDRAW: CaseEvent.Kind.WITHDRAWN,
}


def _search_text(application) -> str:
    """Every answer as words, with the applicant's name, for the inbox search."""

    def words(value) -> list[str]:
        if isinstance(value, dict):
            return [w for v in value.values() for w in words(v)]
        if isinstance(value, list):
            return [w for v in value for w in words(v)]
        return [] if value is None or isinstance(value, bool) else [str(value)]

    applicant = application.applicant
    parts = [applicant.first_name, applicant.last_name, *words(application.answers)]
    return " ".join(p for p in parts if p)[:20000]


def reference_next(*, department: Department, year: int) -> str:
    """The next file reference of a department in a year; gap-free under concurrency.

    Must run inside the transaction that creates the case: the counter row stays locked until
    it commits, and a rollback gives the number back.
    """
    counter, _ = ReferenceCounter.objects.get_or_create(department=department, year=year)
    counter = ReferenceCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    prefix = settings.RATHAUS_REFERENCE_PREFIX
    return f"{prefix}-{department.code}-{year}-{counter.last:05d}"


@transaction.atomic
def case_open(
    *,
    application,
    idempotency_key: str,
    department: Department,
    processing_days: int,
    retention_days: int,
    fee: Decimal | None,
    assurance: int = 1,
) -> Case:
    """Open the case of a submitted application with its file reference and first timeline entry."""
    now = timezone.now()
    today = timezone.localdate(now)
    case = Case.objects.create(
        reference=reference_next(department=department, year=today.year),
        application=application,
        idempotency_key=idempotency_key,
        department=department,
        applicant=application.applicant,
        status=CaseStatus.SUBMITTED,
        submitted_at=now,
        due_date=today + datetime.timedelta(days=processing_days),
        fee=fee,
        assurance=assurance,
        delete_after=today + datetime.timedelta(days=retention_days),
        search_text=_search_text(application),
    )
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.SUBMITTED)
    audit_record(
        actor=application.applicant,
        action="case.submitted",
        object_type="cases.case",
        object_id=str(case.pk),
        data={"reference": case.reference, "status": case.status, "assurance": assurance},
    )
    case_submitted.send(sender=Case, case=case)
    from .tasks import case_automate_task

    # Enqueued in the same transaction: the database queue makes it an outbox.
    case_automate_task.enqueue(case_id=case.pk)
    return case


def case_delete(*, case: Case) -> None:
    """Delete a case with its timeline once its retention period is over."""
    case.events.all().delete()
    case.delete()


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def case_transition(
    *, case: Case, action: Action, actor: User | None, data: dict | None = None
) -> Case:
    """Change a case's state along the table in `states.py`; anything else is refused.

    Writes the citizen's timeline entry and the audit entry in the same transaction, and pauses
    or resumes the processing deadline while the case waits for the citizen.
    """
    sources, target = TRANSITIONS[action]
    if case.status not in sources:
        raise CaseActionError(
            _("This is not possible while the case is “%(status)s”.")
            % {"status": case.get_status_display()},
        )
    before = case.status
    today = timezone.localdate()
    if target == CaseStatus.WAITING_FOR_CITIZEN:
        case.paused_since = today
    elif case.paused_since is not None:
        case.due_date += today - case.paused_since
        case.paused_since = None
    case.status = target
    case.save(update_fields=["status", "paused_since", "due_date"])
    CaseEvent.objects.create(case=case, kind=EVENT_OF_ACTION[action])
    audit_record(
        actor=actor,
        action=f"case.{action.value}",
        object_type="cases.case",
        object_id=str(case.pk),
        data={"before": before, "after": target, **(data or {})},
    )
    if target == CaseStatus.DECIDED:
        case_decided.send(sender=Case, case=case)
    return case


def case_event_record(*, case: Case, kind: str) -> CaseEvent:
    """Add an entry to the citizen's timeline that is not a change of state (a letter posted)."""
    return CaseEvent.objects.create(case=case, kind=CaseEvent.Kind(kind))


def _staff_role(user: User, case: Case) -> str | None:
    membership = Membership.objects.filter(user=user, department_id=case.department_id).first()
    return membership.role if membership else None


@transaction.atomic
def case_assign(*, case: Case, assignee: User | None, actor: User) -> Case:
    """Assign to oneself, or (department lead, or a free case) to a colleague of the department."""
    case = _locked(case)
    role = _staff_role(actor, case)
    if role is None:
        raise CaseActionError(_("You do not work in this case's department."), code="forbidden")
    if assignee is not None and (not assignee.is_active or _staff_role(assignee, case) is None):
        raise CaseActionError(_("The colleague does not work in this department."))
    # A free case (or one's own) may go to anyone in the department; a case someone else
    # holds is reassigned only by the department lead.
    if case.assignee_id not in (None, actor.pk) and role != Role.LEAD:
        raise CaseActionError(
            _("Only the department lead can reassign a case that someone else has."),
            code="forbidden",
        )
    before = case.assignee_id
    case.assignee = assignee
    case.save(update_fields=["assignee"])
    audit_record(
        actor=actor,
        action="case.assigned",
        object_type="cases.case",
        object_id=str(case.pk),
        data={"before": before, "after": assignee.pk if assignee else None},
    )
    if case.status == CaseStatus.SUBMITTED and assignee is not None:
        case_transition(case=case, action=Action.START_REVIEW, actor=actor)
    return case


@transaction.atomic
def case_note_add(*, case: Case, author: User, text: str) -> CaseNote:
    note = CaseNote.objects.create(case=case, author=author, text=text.strip())
    audit_record(
        actor=author,
        action="case.note_added",
        object_type="cases.case",
        object_id=str(case.pk),
        data={"note": note.pk},
    )
    return note


@transaction.atomic
def information_request(
    *, case: Case, actor: User, message: str, documents: list[str]
) -> InformationRequest:
    """Ask the applicant for information or documents; the deadline pauses until they answer."""
    case = _locked(case)
    request = InformationRequest.objects.create(
        case=case,
        message=message.strip(),
        documents=[d.strip() for d in documents if d.strip()],
        requested_by=actor,
    )
    case_transition(
        case=case, action=Action.REQUEST_INFORMATION, actor=actor, data={"request": request.pk}
    )
    return request


def information_open(*, case: Case) -> InformationRequest | None:
    return case.requests.filter(answered_at__isnull=True).last()


@transaction.atomic
def information_answer(*, case: Case, applicant: User, answer: str) -> InformationRequest:
    """The applicant's answer: the case returns to the caseworker's inbox, the deadline resumes."""
    case = _locked(case)
    request = information_open(case=case)
    if request is None or case.applicant_id != applicant.pk:
        raise CaseActionError(_("There is no open question on this application."))
    request.answer = answer.strip()
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_at"])
    case_transition(
        case=case, action=Action.CITIZEN_ANSWERED, actor=applicant, data={"request": request.pk}
    )
    return request


@transaction.atomic
def case_decide(
    *,
    case: Case,
    actor: User | None,
    outcome: Outcome,
    reason: str,
    legal_basis: str,
    automated: bool = False,
    explanation: dict | None = None,
) -> Decision:
    """Record the decision as structured data. Rules may approve; a rejection needs a person."""
    case = _locked(case)
    if automated and outcome != Outcome.APPROVED:
        raise CaseActionError(_("Only a person can reject or partly approve."))
    if not automated and actor is None:
        raise CaseActionError(_("A decision needs the person who takes it."))
    if Decision.objects.filter(case=case).exists():
        raise CaseActionError(_("A decision has already been proposed or taken."))
    action = Action.DECIDE_AUTOMATICALLY if automated else Action.DECIDE
    four_eyes = not automated and case.application.service_version.definition.get("four_eyes")
    if four_eyes and case.status not in TRANSITIONS[action][0]:
        raise CaseActionError(
            _("This is not possible while the case is “%(status)s”.")
            % {"status": case.get_status_display()},
        )
    decision = Decision.objects.create(
        case=case,
        outcome=outcome,
        reason=reason.strip(),
        legal_basis=legal_basis.strip(),
        decided_by=actor,
        automated=automated,
    )
    if explanation is not None:
        case.automation = explanation
        case.save(update_fields=["automation"])
    if four_eyes:
        # The case stays in review until a second person confirms the decision.
        audit_record(
            actor=actor,
            action="case.decision_proposed",
            object_type="cases.case",
            object_id=str(case.pk),
            data={"outcome": outcome},
        )
        return decision
    case_transition(case=case, action=action, actor=actor, data={"outcome": outcome})
    return decision


@transaction.atomic
def decision_confirm(*, case: Case, actor: User) -> Decision:
    """The second person confirms a proposed decision (four-eyes principle)."""
    case = _locked(case)
    decision = Decision.objects.filter(case=case, confirmed_at__isnull=True).first()
    if decision is None or case.status != CaseStatus.IN_REVIEW:
        raise CaseActionError(_("There is no decision waiting for confirmation."))
    if decision.decided_by_id == actor.pk:
        raise CaseActionError(_("A second person must confirm the decision."), code="four_eyes")
    if _staff_role(actor, case) is None:
        raise CaseActionError(_("You do not work in this case's department."), code="forbidden")
    decision.confirmed_by = actor
    decision.confirmed_at = timezone.now()
    decision.save(update_fields=["confirmed_by", "confirmed_at"])
    case_transition(
        case=case, action=Action.DECIDE, actor=actor, data={"outcome": decision.outcome}
    )
    return decision


@transaction.atomic
def decision_send_back(*, case: Case, actor: User) -> None:
    """The second person does not confirm: the proposal is withdrawn for a new decision."""
    case = _locked(case)
    decision = Decision.objects.filter(case=case, confirmed_at__isnull=True).first()
    if decision is None or decision.decided_by_id == actor.pk or _staff_role(actor, case) is None:
        raise CaseActionError(_("There is no decision you can send back."), code="forbidden")
    audit_record(
        actor=actor,
        action="case.decision_sent_back",
        object_type="cases.case",
        object_id=str(case.pk),
        data={"outcome": decision.outcome},
    )
    decision.delete()


@transaction.atomic
def case_withdraw(*, case: Case, applicant: User) -> Case:
    """The applicant withdraws the application before a decision."""
    case = _locked(case)
    if case.applicant_id != applicant.pk:
        raise CaseActionError(
            _("Only the applicant can withdraw an application."), code="forbidden"
        )
    return case_transition(case=case, action=Action.WITHDRAW, actor=applicant)


def case_automate(*, case_id: int) -> Case:
    """Evaluate the service's automation rules once; approve or leave the reasons for staff.

    Idempotent: a case that left "submitted" or was evaluated before is left alone. Rules only
    ever approve (§ 35a VwVfG); anything they cannot decide goes to a caseworker with the reasons.
    """
    from django.utils import translation

    from .automation import automation_evaluate

    with transaction.atomic():
        case = (
            Case.objects.select_for_update()
            .select_related("application__service_version", "applicant")
            .get(pk=case_id)
        )
        spec = case.application.service_version.spec
        if (
            case.status != CaseStatus.SUBMITTED
            or case.automation
            or not spec.data.get("automation")
        ):
            return case
        outcome = automation_evaluate(
            definition=spec,
            answers=case.application.answers,
            register_id=case.applicant.register_id,
            assurance=case.assurance,
        )
        # The explanation is kept in both languages: staff read it in German, the citizen in
        # the language they use.
        record = {}
        for language in ("de", "en"):
            with translation.override(language):
                record[language] = outcome.as_json()
        if not outcome.approve:
            case.automation = record
            case.save(update_fields=["automation"])
            audit_record(
                actor=None,
                action="case.automation_routed",
                object_type="cases.case",
                object_id=str(case.pk),
                data={"reasons": len(outcome.reasons_for_caseworker())},
            )
            return case
        rule = next(r for r in spec.data["automation"] if r["id"] == outcome.rule.rule_id)
        case_decide(
            case=case,
            actor=None,
            outcome=Outcome.APPROVED,
            reason=rule["explanation"]["de"],
            legal_basis=rule["legal_basis"],
            automated=True,
            explanation=record,
        )
        case.refresh_from_db()
        return case


def cases_deadline_run(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily deadline job: deemed approvals (§ 42a VwVfG) and escalation of overdue cases.

    A case whose service declares a deemed approval is approved by law when its deadline has
    passed without a decision. Every other overdue open case is escalated once to the leads of
    its department by e-mail (the e-mail names only the file reference).
    """
    from .states import OPEN_STATES

    today = today or timezone.localdate()
    deemed = escalated = 0
    overdue = Case.objects.filter(status__in=OPEN_STATES, due_date__lt=today).select_related(
        "application__service_version", "department"
    )
    for case in overdue:
        rule = case.application.service_version.definition.get("deemed_approval")
        if rule:
            with transaction.atomic():
                locked = _locked(case)
                if locked.status not in OPEN_STATES:
                    continue
                if locked.status == CaseStatus.SUBMITTED:
                    case_transition(case=locked, action=Action.START_REVIEW, actor=None)
                Decision.objects.create(
                    case=locked,
                    outcome=Outcome.APPROVED,
                    reason=str(_("The processing deadline passed without a decision.")),
                    legal_basis=rule["legal_basis"],
                    automated=True,
                )
                case_transition(
                    case=locked, action=Action.DECIDE, actor=None, data={"deemed_approval": True}
                )
            deemed += 1
        elif case.escalated_on is None:
            _escalate(case=case, today=today)
            escalated += 1
    return {"deemed_approvals": deemed, "escalated": escalated}


def _escalate(*, case: Case, today: datetime.date) -> None:
    from django.core.mail import EmailMessage
    from django.urls import reverse

    from rathaus.outbox.services import email_queue

    with transaction.atomic():
        leads = User.objects.filter(
            memberships__department=case.department, memberships__role=Role.LEAD, is_active=True
        )
        for lead in leads:
            message = EmailMessage(
                subject=str(_("Overdue case %(reference)s") % {"reference": case.reference}),
                body=str(
                    _(
                        "The processing deadline of case %(reference)s has passed. "
                        "Please look at it: %(url)s"
                    )
                    % {
                        "reference": case.reference,
                        "url": settings.RATHAUS_SITE_URL
                        + reverse("cases:detail", args=[case.reference]),
                    }
                ),
                to=[lead.email],
            )
            email_queue(message=message)
        Case.objects.filter(pk=case.pk).update(escalated_on=today)
        audit_record(
            actor=None,
            action="case.escalated",
            object_type="cases.case",
            object_id=str(case.pk),
            data={"leads": leads.count()},
        )
