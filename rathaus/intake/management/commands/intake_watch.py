import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rathaus.intake.dropfolder import DropFolder
from rathaus.intake.services import intake_recover

RECOVER_EVERY = 60  # seconds: stuck pipeline steps are queued again this often


class Command(BaseCommand):
    help = (
        "Store what the scan street writes to the drop folder (RATHAUS_INTAKE_DROP_DIR) and "
        "queue it for processing; also queues stuck steps again every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Poll once and stop.")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds between polls (default 5)."
        )
        parser.add_argument(
            "--settle",
            type=float,
            default=5.0,
            help="Seconds a file must be unchanged before it is taken (default 5).",
        )
        parser.add_argument("--folder", help="The drop folder (default RATHAUS_INTAKE_DROP_DIR).")

    def handle(self, *args, **options):
        root = options["folder"] or settings.RATHAUS_INTAKE_DROP_DIR
        if not root:
            raise CommandError("Set RATHAUS_INTAKE_DROP_DIR (or --folder) to the drop folder.")
        folder = DropFolder(root, settle_seconds=options["settle"])
        running = True

        def stop(signum, frame):
            nonlocal running
            running = False  # finish the file in hand, then stop

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        last_recovery = 0.0
        while running:
            report = folder.poll()
            if report:
                self.stdout.write(
                    f"stored {report.stored}, duplicates {report.duplicates}, "
                    f"rejected {report.rejected}"
                )
            if time.monotonic() - last_recovery > RECOVER_EVERY:
                intake_recover()
                folder.clean_processed(keep_days=settings.RATHAUS_INTAKE_DROP_KEEP_DAYS)
                last_recovery = time.monotonic()
            if options["once"]:
                break
            time.sleep(options["interval"])
