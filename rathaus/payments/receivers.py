"""Reactions to other apps' events: each receiver only enqueues a task."""

from django.dispatch import receiver

from rathaus.cases.events import case_decided

from .tasks import fee_issue_task


@receiver(case_decided, dispatch_uid="payments.fee_issue_on_decision")
def fee_issue_on_decision(sender, case, **kwargs) -> None:
    """A decided case with a fee gets its fee (enqueued in the decision's transaction)."""
    if case.fee:
        fee_issue_task.enqueue(case_id=case.pk)
