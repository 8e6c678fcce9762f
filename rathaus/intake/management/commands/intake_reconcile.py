import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rathaus.intake.reconciliation import reconciliation_report_make
from rathaus.intake.services import intake_recover


class Command(BaseCommand):
    help = (
        "Queue stuck pipeline steps again, then reconcile a day: files received = stored + "
        "duplicates + dead letters. Run it every few minutes (cron) and daily (scheduler)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--quiet", action="store_true", help="Print nothing unless unbalanced.")

    def handle(self, *args, **options):
        try:
            day = datetime.date.fromisoformat(options["day"]) if options["day"] else None
        except ValueError as exc:
            raise CommandError("--day must be a date like 2026-11-03") from exc
        recovered = intake_recover()
        report = reconciliation_report_make(day=day or timezone.localdate())
        figures = {**report.figures, "recovered": recovered}
        if not options["quiet"]:
            rows = [
                ("day", figures["day"]),
                ("files received", figures["inputs"]),
                ("stored", figures["stored"]),
                ("duplicates", figures["duplicates"]),
                ("dead letters", figures["dead_letters"]),
                ("letters separated from batches", figures["letters_separated"]),
                ("steps queued again now", recovered),
                ("original files missing", figures["missing_originals"]),
                ("balanced", "yes" if figures["balanced"] else "NO"),
            ]
            for label, value in rows:
                self.stdout.write(f"{label:<34}{value}")
            self.stdout.write(json.dumps(figures, sort_keys=True))
        if not report.balanced:
            raise CommandError(f"The intake of {figures['day']} does not balance.")
