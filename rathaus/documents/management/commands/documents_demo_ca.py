from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

# Not lazy: argparse needs real strings, and commands load after the apps are ready.
from django.utils.translation import gettext as _

from rathaus.documents.seal import seal_demo_directory, seal_demo_ensure


class Command(BaseCommand):
    help = _(
        "Create the demo certificate authority and the city's demo seal certificate under "
        "var/seal/. Does nothing when they exist. The demo seal is used only with DEBUG on."
    )

    def handle(self, *args, **options) -> None:
        try:
            created = seal_demo_ensure()
        except (ImproperlyConfigured, OSError) as exc:
            raise CommandError(str(exc)) from exc
        directory = seal_demo_directory()
        if created is None:
            self.stdout.write(
                _("The demo seal in %(directory)s exists.") % {"directory": directory}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Demo certificate authority and seal created in %(directory)s.")
                    % {"directory": directory}
                )
            )
        if not settings.DEBUG:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "DEBUG is off: letters are sealed only with the seal configured in "
                        "RATHAUS_SEAL_KEY_FILE, never with the demo seal."
                    )
                )
            )
