import datetime
import threading
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from rathaus.core.models import ScheduledRun
from rathaus.core.schedule import daily_jobs, schedule_enqueue_due, scheduled_runs_purge_expired

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
JOBS = {
    "audit.verify",
    "cases.deadlines",
    "core.purge_expired",
    "intake.reconcile",
    "workshops.reminders",
}


def _at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


def test_the_daily_jobs_are_known():
    assert {job.name for job in daily_jobs()} == JOBS


def test_each_job_is_enqueued_once_a_day_after_the_daily_time():
    assert schedule_enqueue_due(now=_at(20, 2, 59)) == []
    assert set(schedule_enqueue_due(now=_at(20, 3, 0))) == JOBS
    assert schedule_enqueue_due(now=_at(20, 23, 59)) == []
    assert set(schedule_enqueue_due(now=_at(21, 4))) == JOBS
    assert ScheduledRun.objects.count() == 2 * len(JOBS)


@override_settings(RATHAUS_DAILY_JOBS_AT="22:30")
def test_the_daily_time_is_configurable():
    assert schedule_enqueue_due(now=_at(20, 22, 29)) == []
    assert set(schedule_enqueue_due(now=_at(20, 22, 30))) == JOBS


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
)
def test_the_jobs_go_into_the_database_queue_with_their_claim():
    schedule_enqueue_due(now=_at(20, 5))
    queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == {
        "rathaus.audit.tasks.audit_verify_task",
        "rathaus.cases.tasks.cases_deadline_task",
        "rathaus.core.tasks.purge_expired_task",
        "rathaus.intake.tasks.intake_reconcile_task",
        "rathaus.workshops.tasks.event_reminders_task",
    }


def test_the_scheduler_command_checks_once(capsys):
    call_command("scheduler", "--once")
    out = capsys.readouterr().out
    assert "Daily jobs after 03:00" in out
    # Whether the jobs are enqueued depends on the time of day the test runs at.
    assert ScheduledRun.objects.count() in (0, len(JOBS))


def test_old_run_records_are_purged():
    old = ScheduledRun.objects.create(name="cases.deadlines", day=datetime.date(2020, 1, 1))
    recent = ScheduledRun.objects.create(name="cases.deadlines", day=datetime.date.today())
    assert scheduled_runs_purge_expired() == 1
    assert list(ScheduledRun.objects.all()) == [recent]
    assert not ScheduledRun.objects.filter(pk=old.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_schedulers_at_once_enqueue_each_job_once():
    count = 10
    barrier = threading.Barrier(count)

    def run(_: int) -> list[str]:
        barrier.wait()
        try:
            return schedule_enqueue_due(now=_at(20, 3, 1))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        results = list(pool.map(run, range(count)))

    enqueued = [name for names in results for name in names]
    assert sorted(enqueued) == sorted(JOBS)
    assert ScheduledRun.objects.count() == len(JOBS)
