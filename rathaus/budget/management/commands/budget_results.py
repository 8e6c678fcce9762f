import json
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.management.base import BaseCommand, CommandError

# Not lazy: argparse needs real strings, and commands load after the apps are ready.
from django.utils.translation import gettext as _

from rathaus.budget.management.files import pabulib_file_read
from rathaus.budget.pabulib import PabulibError, election_parse
from rathaus.budget.rules import GREEDY_VARIANTS, RULES, RuleError, rule_apply


class Command(BaseCommand):
    help = _(
        "Compute the result of a participatory budget from a Pabulib file (.pb) and print the "
        "winning project ids as one JSON list, in the order the rule selected them (not "
        "sorted). equal-shares is the Method of Equal Shares with cost utilities and the add1 "
        "completion; greedy funds projects by number of votes. See docs/budget-rules.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="FILE.pb", help=_("the election in Pabulib format"))
        parser.add_argument("--rule", required=True, choices=RULES, help=_("the counting rule"))
        parser.add_argument(
            "--variant",
            choices=GREEDY_VARIANTS,
            help=_(
                "greedy only: skip a project that does not fit and go on (skip, the default), "
                "or end at the first one that does not fit (stop)"
            ),
        )
        parser.add_argument(
            "--min-votes",
            metavar="N",
            help=_(
                "greedy only: fund only projects with at least N votes, or with votes from at "
                "least N percent of the voters when written as N%%"
            ),
        )
        parser.add_argument(
            "--no-add1",
            action="store_true",
            help=_("equal-shares only: plain Method of Equal Shares, without the add1 completion"),
        )

    def handle(self, *args, **options) -> None:
        parameters = {}
        if options["rule"] == "greedy":
            parameters["variant"] = options["variant"] or "skip"
            if options["min_votes"] is not None:
                parameters.update(_threshold(options["min_votes"]))
        elif options["variant"] is not None or options["min_votes"] is not None:
            raise CommandError(_("--variant and --min-votes apply to the greedy rule only."))
        if options["no_add1"]:
            if options["rule"] != "equal-shares":
                raise CommandError(_("--no-add1 applies to the equal-shares rule only."))
            parameters["add1"] = False
        data = pabulib_file_read(options["file"])
        try:
            election = election_parse(data=data)
            result = rule_apply(election=election, rule=options["rule"], **parameters)
        except (PabulibError, RuleError) as exc:
            raise CommandError(
                _("%(file)s: %(problem)s") % {"file": options["file"], "problem": exc}
            ) from None
        self.stdout.write(json.dumps(list(result.winners), ensure_ascii=False))


def _threshold(text: str) -> dict:
    """`--min-votes 300` (votes) or `--min-votes 5%` (share of the voters), exactly."""
    percent = text.endswith("%")
    try:
        value = Decimal(text.removesuffix("%").strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0 or (percent and value > 100):
        raise CommandError(
            _("--min-votes must be a number of votes or a percentage such as 5%%, not %(value)s.")
            % {"value": text}
        )
    if percent:
        return {"min_share": Fraction(value) / 100}
    if value != value.to_integral_value():
        raise CommandError(
            _("--min-votes must be a whole number of votes, not %(value)s.") % {"value": text}
        )
    return {"min_votes": int(value)}
