from django.core.management.base import BaseCommand, CommandError

from rathaus.intake.models import Scanner
from rathaus.intake.services import IntakeActionError, scanner_create, scanner_deactivate


class Command(BaseCommand):
    help = "Scanners posting to /api/intake/: add one (prints its token once), list, switch off."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("add", help="Add a scanner and print its token").add_argument("name")
        sub.add_parser("list", help="List the scanners")
        sub.add_parser("deactivate", help="Switch a scanner's token off").add_argument("name")

    def handle(self, *args, **options):
        try:
            if options["action"] == "add":
                scanner, token = scanner_create(name=options["name"])
                self.stdout.write(f"Scanner {scanner.name!r} added. Its token (shown only now):")
                self.stdout.write(token)
            elif options["action"] == "deactivate":
                scanner_deactivate(name=options["name"])
                self.stdout.write(f"Scanner {options['name']!r} switched off.")
            else:
                for scanner in Scanner.objects.all():
                    state = "active" if scanner.active else "off"
                    used = scanner.last_used_at.isoformat() if scanner.last_used_at else "never"
                    self.stdout.write(
                        f"{scanner.name}\t{scanner.token_hint}…\t{state}\tlast used {used}"
                    )
        except IntakeActionError as exc:
            raise CommandError(str(exc.message)) from exc
