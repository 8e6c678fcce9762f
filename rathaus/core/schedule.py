"""Daily jobs: background tasks that run once a day, on one machine of many.

An app declares a daily job by decorating a django-tasks task in its `tasks.py` with
`@daily(name=...)`. `manage.py scheduler` (started by `make run`; run one or more per
installation) enqueues every job once per calendar day after `RATHAUS_DAILY_JOBS_AT`. A row per
job and day, unique in the database, is the claim: however many schedulers run, a job is
enqueued once a day, and a scheduler that was down catches up when it starts again.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .retention import register_purger

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DailyJob:
    name: str
    task: object  # a django_tasks Task; enqueued without arguments


_jobs: dict[str, DailyJob] = {}


def daily(*, name: str) -> Callable:
    """Register a task (taking no arguments) to be enqueued once a day."""

    def decorator(task):
        _jobs[name] = DailyJob(name=name, task=task)
        return task

    return decorator


def daily_jobs() -> list[DailyJob]:
    autodiscover_modules("tasks")
    return sorted(_jobs.values(), key=lambda job: job.name)


def daily_jobs_time() -> datetime.time:
    return datetime.time.fromisoformat(settings.RATHAUS_DAILY_JOBS_AT)


def schedule_enqueue_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every daily job not yet enqueued today, once the daily time has passed.

    Returns the names of the jobs this call enqueued.
    """
    from .models import ScheduledRun

    now = timezone.localtime(now)
    if now.time() < daily_jobs_time():
        return []
    enqueued = []
    for job in daily_jobs():
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=job.name, day=now.date())
                job.task.enqueue()
        except IntegrityError:
            continue  # another scheduler claimed it
        logger.info("daily job %s enqueued", job.name)
        enqueued.append(job.name)
    return enqueued


@register_purger(name="core.scheduled_runs", description="records of daily job runs (90 days)")
def scheduled_runs_purge_expired() -> int:
    from .models import ScheduledRun

    cutoff = timezone.localdate() - datetime.timedelta(days=90)
    deleted, _ = ScheduledRun.objects.filter(day__lt=cutoff).delete()
    return deleted
