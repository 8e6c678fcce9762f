from django.core.management.base import BaseCommand, CommandError

# Not lazy: argparse needs real strings, and commands load after the apps are ready.
from django.utils.translation import gettext as _

from rathaus.demo.people import DEMO_PASSWORD
from rathaus.demo.selectors import demo_logins
from rathaus.demo.services import DemoCityRefusedError, demo_city_load


class Command(BaseCommand):
    help = _(
        "Load the demo city: departments, staff with TOTP, citizens and a small resident "
        "register. Safe to run again. Only with DEBUG on, or with --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--logins", action="store_true", help=_("print the demo logins and their password")
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("run without DEBUG (never on a production database: the password is public)"),
        )

    def handle(self, *args, **options) -> None:
        try:
            report = demo_city_load(force=options["force"])
        except DemoCityRefusedError as exc:
            raise CommandError(str(exc)) from exc
        register = report.register
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo city ready: %(departments)d departments, %(users)d new users, "
                    "register with %(residents)d residents and %(vehicles)d vehicles "
                    "(%(new)d new)."
                )
                % {
                    "departments": report.departments,
                    "users": report.users_created,
                    "residents": register.residents.total,
                    "vehicles": register.vehicles.total,
                    "new": register.residents.created + register.vehicles.created,
                }
            )
        )
        if options["logins"]:
            self._print_logins()

    def _print_logins(self) -> None:
        rows = [(str(_("E-mail")), str(_("Role")), str(_("Department")))]
        rows += [(login.email, str(login.role), login.department or "–") for login in demo_logins()]
        widths = [max(len(row[column]) for row in rows) for column in range(2)]
        self.stdout.write("")
        for index, (email, role, department) in enumerate(rows):
            self.stdout.write(f"{email:<{widths[0]}}  {role:<{widths[1]}}  {department}".rstrip())
            if index == 0:
                self.stdout.write(f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * len(department)}")
        self.stdout.write("")
        self.stdout.write(
            _("Password for every demo login: %(password)s") % {"password": DEMO_PASSWORD}
        )
        self.stdout.write(
            _(
                "Staff log in with a TOTP code as second factor; print the current one with:\n"
                "  .venv/bin/python manage.py demo_totp EMAIL"
            )
        )
