import datetime
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

# Not lazy: argparse needs real strings, and commands load after the apps are ready.
from django.utils.translation import gettext as _

from rathaus.payments.camt import VERSIONS
from rathaus.payments.camt_fixtures import camt053_scenario
from rathaus.payments.girocode import payee
from rathaus.payments.models import PAYABLE_STATES
from rathaus.payments.selectors import fees


class Command(BaseCommand):
    help = _(
        "Write a made-up camt.053 bank statement that pays the open fees of the demo city in "
        "every way people pay (exactly, too little, too much, with an unknown or no reference), "
        "to try the import of the city treasury. Only with DEBUG on, or with --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            default=str(settings.VAR_DIR / "demo-kontoauszug.xml"),
            help=_("where to write the file (default: var/demo-kontoauszug.xml)"),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help=_("seed of the made-up data (default: from the clock, so each file is new)"),
        )
        parser.add_argument(
            "--format", choices=VERSIONS, default=VERSIONS[-1], help=_("camt.053 version")
        )
        parser.add_argument(
            "--force", action="store_true", help=_("run without DEBUG (never in production)")
        )

    def handle(self, *args, **options) -> None:
        if not (settings.DEBUG or options["force"]):
            raise CommandError(
                _("The demo statement is for the local demo: run with RATHAUS_DEBUG=1 or --force.")
            )
        open_fees = [
            (fee.payment_reference, fee.amount_cents)
            for fee in fees().filter(status__in=PAYABLE_STATES).order_by("created_at")[:20]
        ]
        scenario = camt053_scenario(
            fees=open_fees,
            seed=options["seed"] if options["seed"] is not None else int(time.time()) % 10_000,
            account_iban=payee().iban,
            day=timezone.localdate() - datetime.timedelta(days=1),
            version=options["format"],
            owner=settings.RATHAUS_CITY_NAME,
        )
        output = Path(options["output"])
        output.write_bytes(scenario.data)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(file)s: statement %(id)s paying %(fees)d open fees.")
                % {"file": output, "id": scenario.statement_id, "fees": len(open_fees)}
            )
        )
