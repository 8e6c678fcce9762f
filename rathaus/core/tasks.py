from django_tasks import task

from .retention import purgers
from .schedule import daily


@daily(name="core.purge_expired")
@task()
def purge_expired_task() -> dict[str, int]:
    """Delete every record whose retention period has passed."""
    return {purger.name: purger.purge() for purger in purgers()}
