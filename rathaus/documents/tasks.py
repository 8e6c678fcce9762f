from django_tasks import task

from .issuing import documents_issue


@task()
def documents_issue_task(*, case_id: int, trigger: str) -> list[str]:
    """Make, seal and deliver the documents due; idempotent, so a retry makes no duplicates."""
    return [document.kind for document in documents_issue(case_id=case_id, trigger=trigger)]
