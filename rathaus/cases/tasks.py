from django_tasks import task

from rathaus.core.schedule import daily

from . import services


@task()
def case_automate_task(*, case_id: int) -> str:
    """Run the automated-decision rules of a newly submitted case."""
    return services.case_automate(case_id=case_id).status


@daily(name="cases.deadlines")
@task()
def cases_deadline_task() -> dict[str, int]:
    """Deemed approvals (§ 42a VwVfG) and escalation of overdue cases to the leads."""
    return services.cases_deadline_run()
