from django.conf import settings
from django.db.models import Count, QuerySet, Sum

from .models import Letter, LetterStatus, PrintBatch


def is_print_staff(*, user) -> bool:
    """Members of the department that runs the central print shop."""
    return (
        user.is_authenticated
        and user.memberships.filter(department__code=settings.RATHAUS_PRINT_DEPARTMENT).exists()
    )


def letters_waiting() -> dict:
    return Letter.objects.filter(status=LetterStatus.QUEUED).aggregate(
        letters=Count("pk"), pages=Sum("pages")
    )


def print_batches() -> QuerySet[PrintBatch]:
    return PrintBatch.objects.all()
