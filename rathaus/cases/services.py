import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rathaus.accounts.models import Department

from .models import Case, CaseEvent, CaseStatus, ReferenceCounter


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
    waiting_list: bool = False,
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
        status=CaseStatus.WAITING_LIST if waiting_list else CaseStatus.SUBMITTED,
        submitted_at=now,
        due_date=today + datetime.timedelta(days=processing_days),
        fee=fee,
        delete_after=today + datetime.timedelta(days=retention_days),
    )
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.SUBMITTED)
    if waiting_list:
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.WAITING_LIST)
    return case


def case_delete(*, case: Case) -> None:
    """Delete a case with its timeline once its retention period is over."""
    case.events.all().delete()
    case.delete()
