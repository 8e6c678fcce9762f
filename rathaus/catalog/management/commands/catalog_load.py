from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rathaus.catalog.loader import CatalogError
from rathaus.catalog.services import catalog_load, catalog_root


class Command(BaseCommand):
    help = "Load the service definitions (catalog/<slug>/service.yaml) into the database."

    def add_arguments(self, parser):
        parser.add_argument("--root", type=Path, help="folder of service folders")

    def handle(self, *args, root: Path | None = None, **options) -> None:
        try:
            report = catalog_load(root=root or catalog_root())
        except CatalogError as exc:
            raise CommandError("Service definitions refused:\n" + str(exc)) from None
        for label, slugs in [
            ("new", report.created),
            ("new version", report.updated),
            ("unchanged", report.unchanged),
            ("deactivated", report.deactivated),
        ]:
            for slug in slugs:
                self.stdout.write(f"{slug}: {label}")
