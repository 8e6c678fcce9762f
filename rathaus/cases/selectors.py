from django.db.models import QuerySet

from .models import Case


def case_by_idempotency_key(*, key: str) -> Case | None:
    return Case.objects.filter(idempotency_key=key).first()


def cases_of_applicant(*, user) -> QuerySet[Case]:
    return Case.objects.filter(applicant=user).prefetch_related("events")
