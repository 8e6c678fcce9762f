"""Reactions to other apps' events: each receiver only enqueues a task."""

from django.dispatch import receiver

from rathaus.cases.events import case_decided, case_submitted

from .tasks import documents_issue_task


@receiver(case_submitted, dispatch_uid="documents.receipt_on_submission")
def receipt_on_submission(sender, case, **kwargs) -> None:
    documents_issue_task.enqueue(case_id=case.pk, trigger="submitted")


@receiver(case_decided, dispatch_uid="documents.documents_on_decision")
def documents_on_decision(sender, case, **kwargs) -> None:
    documents_issue_task.enqueue(case_id=case.pk, trigger="decided")
