from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rathaus.demo.services import DemoCityRefusedError, demo_cases_load


class Command(BaseCommand):
    help = _(
        "Load example cases of the demo city: decided ones with their sealed documents, a fee "
        "notice and a print batch, and one waiting in an inbox. Runs once; DEBUG or --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help=_("run without DEBUG (never in production)")
        )

    def handle(self, *args, **options) -> None:
        try:
            report = demo_cases_load(force=options["force"])
        except DemoCityRefusedError as exc:
            raise CommandError(str(exc)) from exc
        if not report.cases:
            self.stdout.write(_("The demo cases are there already."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("%(cases)d demo cases with %(documents)d documents, %(batches)d print batch.")
                % {
                    "cases": report.cases,
                    "documents": report.documents,
                    "batches": report.print_batches,
                }
            )
        )
