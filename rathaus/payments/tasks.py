from django_tasks import task

from . import services


@task()
def fee_issue_task(*, case_id: int) -> str | None:
    """Issue the fee of a decided case; idempotent, so running it twice issues one fee."""
    fee = services.fee_issue_for_decision(case_id=case_id)
    return fee.payment_reference if fee else None
