from django.core.management.base import BaseCommand, CommandError

# Not lazy: argparse needs real strings, and commands load after the apps are ready.
from django.utils.translation import gettext as _

from rathaus.demo.selectors import DemoTotpError, demo_totp_code


class Command(BaseCommand):
    help = _("Print the current TOTP code of a demo staff account (made by demo_city).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help=_("e-mail address of the demo staff account"))

    def handle(self, *args, **options) -> None:
        try:
            totp = demo_totp_code(email=options["email"])
        except DemoTotpError as exc:
            raise CommandError(str(exc)) from exc
        # The code alone on stdout, so that scripts can use it; the hint goes to stderr.
        self.stdout.write(totp.code)
        self.stderr.write(
            _("valid for %(seconds)d more seconds") % {"seconds": totp.valid_for_seconds}
        )
