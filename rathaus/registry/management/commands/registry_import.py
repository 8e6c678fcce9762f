from contextlib import ExitStack
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

# Not lazy: argparse needs real strings, and commands load after the apps are ready.
from django.utils.translation import gettext as _

from rathaus.registry.services import ImportCounts, RegistryImportError, registry_import

KINDS = ("addresses", "residents", "vehicles")


class Command(BaseCommand):
    help = _(
        "Import the resident register from CSV files (see docs/registry.md). All or nothing: "
        "any bad row stores nothing and lists every problem."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--addresses", type=Path, help=_("CSV file of addresses"))
        parser.add_argument("--residents", type=Path, help=_("CSV file of residents"))
        parser.add_argument("--vehicles", type=Path, help=_("CSV file of vehicles"))

    def handle(self, *args, **options) -> None:
        paths = {kind: options[kind] for kind in KINDS if options[kind]}
        if not paths:
            raise CommandError(_("Give at least one of --addresses, --residents, --vehicles."))
        with ExitStack() as stack:
            streams = {}
            for kind, path in paths.items():
                try:
                    # utf-8-sig: spreadsheet programs like to start UTF-8 files with a BOM.
                    streams[kind] = stack.enter_context(
                        Path(path).open(encoding="utf-8-sig", newline="")
                    )
                except OSError as exc:
                    raise CommandError(
                        _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc.strerror}
                    ) from exc
            try:
                report = registry_import(
                    addresses=streams.get("addresses"),
                    residents=streams.get("residents"),
                    vehicles=streams.get("vehicles"),
                )
            except RegistryImportError as exc:
                summary = _("Nothing was imported; %(count)d problems:") % {
                    "count": len(exc.problems)
                }
                raise CommandError("\n".join([summary, *map(str, exc.problems)])) from exc
        for label, counts in (
            (_("Addresses"), report.addresses),
            (_("Residents"), report.residents),
            (_("Vehicles"), report.vehicles),
        ):
            self.stdout.write(f"{label}: {self._counts(counts)}")
        self.stdout.write(self.style.SUCCESS(_("Register import complete.")))

    @staticmethod
    def _counts(counts: ImportCounts) -> str:
        return _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
        }
