from django.core.management.base import BaseCommand, CommandError

# Not lazy: argparse needs real strings, and commands load after the apps are ready.
from django.utils.translation import gettext as _

from rathaus.accounts.models import Department
from rathaus.budget.management.files import pabulib_file_read
from rathaus.budget.pabulib import PabulibError
from rathaus.budget.results import election_import
from rathaus.budget.rules import RuleError


class Command(BaseCommand):
    help = _(
        "Import a Pabulib file (.pb) as an imported citizens' budget with one unit, counted by "
        "every rule, to compare the rules on a past election. See docs/budget.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="FILE.pb", help=_("the election in Pabulib format"))
        parser.add_argument(
            "--department",
            required=True,
            metavar="CODE",
            help=_("code of the department the imported election belongs to"),
        )

    def handle(self, *args, **options) -> None:
        department = Department.objects.filter(code=options["department"]).first()
        if department is None:
            raise CommandError(
                _("There is no department with the code %(code)s.")
                % {"code": options["department"]}
            )
        data = pabulib_file_read(options["file"])
        try:
            process = election_import(data=data, department=department, actor=None)
        except (PabulibError, RuleError) as exc:
            raise CommandError(
                _("%(file)s: %(problem)s") % {"file": options["file"], "problem": exc}
            ) from None
        for result in process.units.get().results.order_by("rule"):
            self.stdout.write(f"{result.rule}: {', '.join(w['id'] for w in result.winners)}")
        self.stdout.write(_("Imported as %(slug)s.") % {"slug": process.slug})
