import time

from django.core.management.base import BaseCommand

from rathaus.core.schedule import daily_jobs, daily_jobs_time, schedule_enqueue_due


class Command(BaseCommand):
    help = "Enqueue the daily jobs once a day (run beside the db_worker processes)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument("--interval", type=float, default=60, help="Seconds between checks.")

    def handle(self, *args, once: bool, interval: float, **options) -> None:
        names = ", ".join(job.name for job in daily_jobs())
        self.stdout.write(f"Daily jobs after {daily_jobs_time():%H:%M}: {names}")
        while True:
            for name in schedule_enqueue_due():
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(interval)
