from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

# Not lazy: argparse needs real strings, and commands load after the apps are ready.
from django.utils.translation import gettext as _

from rathaus.payments.camt import CamtError
from rathaus.payments.services import statement_import


class Command(BaseCommand):
    help = _(
        "Import camt.053 bank statements: booked credits pay fees by their payment reference, "
        "everything else goes to the clarification list. Each file is imported whole or not "
        "at all; importing a file again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help=_("camt.053 XML files"))

    def handle(self, *args, **options) -> None:
        refused = 0
        for name in options["files"]:
            path = Path(name)
            try:
                data = path.read_bytes()
            except OSError as exc:
                self.stderr.write(
                    _("%(file)s: cannot be read (%(error)s).")
                    % {"file": name, "error": exc.strerror}
                )
                refused += 1
                continue
            try:
                report = statement_import(data=data, file_name=path.name, actor=None)
            except CamtError as exc:
                self.stderr.write(
                    _("%(file)s: not imported: %(problem)s")
                    % {"file": name, "problem": exc.message}
                )
                refused += 1
                continue
            if report.nothing_changed:
                self.stdout.write(
                    _("%(file)s: imported before; nothing has changed.") % {"file": name}
                )
                continue
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "%(file)s: %(entries)d new entries, %(paid)d fees paid, "
                        "%(clarify)d payments to clarify, %(known)d entries imported before, "
                        "%(debits)d debits and %(pending)d entries not yet booked left out."
                    )
                    % {
                        "file": name,
                        "entries": report.new_entries,
                        "paid": report.outcomes.get("paid", 0),
                        "clarify": report.clarifications,
                        "known": report.known_entries,
                        "debits": report.skipped_debits,
                        "pending": report.skipped_pending,
                    }
                )
            )
        if refused:
            raise CommandError(
                _("%(count)d of %(total)d files were not imported.")
                % {"count": refused, "total": len(options["files"])}
            )
