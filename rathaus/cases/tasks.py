from django_tasks import task

from . import services


@task()
def case_automate_task(*, case_id: int) -> str:
    """Run the automated-decision rules of a newly submitted case."""
    return services.case_automate(case_id=case_id).status
