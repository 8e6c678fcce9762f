import datetime

from django.utils import timezone
from django_tasks import task

from rathaus.core.schedule import daily


@task()
def intake_step_task(*, item_id: int, step: str) -> str:
    """Run one pipeline step of one incoming letter (idempotent)."""
    from .pipeline.runner import step_run

    return step_run(item_id=item_id, step=step)


@daily(name="intake.reconcile")
@task()
def intake_reconcile_task() -> dict:
    """Queue stuck steps again and reconcile yesterday's arrivals."""
    from .reconciliation import reconciliation_report_make
    from .services import intake_recover

    recovered = intake_recover()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    report = reconciliation_report_make(day=yesterday)
    return {"recovered": recovered, "balanced": report.balanced}
