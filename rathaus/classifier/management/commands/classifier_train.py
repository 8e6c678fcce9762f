from django.core.management.base import BaseCommand, CommandError

# Not lazy: argparse needs real strings, and commands load after the apps are ready.
from django.utils.translation import gettext as _

from rathaus.classifier import training
from rathaus.classifier.models import Classifier, ClassifierModel
from rathaus.classifier.services import ACTIVATE_CHOICES, ClassifierError, classifier_train


def metrics_report(model: ClassifierModel) -> str:
    """The evaluation figures of a model as a table, with its threshold and activation."""
    evaluation = model.metrics["evaluation"]
    holdout = model.metrics["holdout"]
    table = training.metrics_table(
        evaluation,
        headings={
            "label": _("label"),
            "precision": _("precision"),
            "recall": _("recall"),
            "f1": _("F1"),
            "support": _("letters"),
            "macro_f1": _("macro-F1"),
            "routed": _("routed (not abstained)"),
            "coverage": _("coverage"),
        },
    )
    lines = [
        _("Evaluation set: %(size)d letters (%(hash)s).")
        % {"size": evaluation["size"], "hash": model.evaluation_set.content_hash[:12]},
        table,
        _(
            "Abstention threshold %(threshold).3f, chosen on %(size)d held-out training letters "
            "(coverage %(coverage).3f, precision %(precision).3f)."
        )
        % {
            "threshold": model.threshold,
            "size": holdout["size"],
            "coverage": holdout["coverage"],
            "precision": holdout["precision"],
        },
    ]
    if not holdout["reached"]:
        lines.append(
            _("No threshold reached the precision of %(target).2f: the model abstains on all.")
            % {"target": holdout["target_precision"]}
        )
    left_out = model.metrics["training"].get("left_out_labels") or {}
    if left_out:
        lines.append(
            _("Left out, too few examples (%(needed)d needed): %(labels)s.")
            % {
                "needed": training.MIN_EXAMPLES_PER_LABEL,
                "labels": ", ".join(f"{label} ({n})" for label, n in sorted(left_out.items())),
            }
        )
    lines.append(model.activation_reason())
    return "\n".join(lines)


class Command(BaseCommand):
    help = _(
        "Train a new version of a text classifier on all its examples, measure it on its frozen "
        "evaluation set and print the figures. By default the new version is activated only if "
        "it is not worse than the active one."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help=_("name of the classifier, e.g. intake"))
        parser.add_argument(
            "--activate",
            choices=ACTIVATE_CHOICES,
            default="if_not_worse",
            help=_("when to activate the new version (default: if_not_worse)"),
        )

    def handle(self, *args, **options) -> None:
        name = options["name"]
        before = Classifier.objects.filter(name=name).values_list("last_version", flat=True)
        before = before.first() or 0
        try:
            model = classifier_train(name=name, activate=options["activate"])
        except ClassifierError as exc:
            raise CommandError(exc.message) from exc
        if model.version <= before:
            self.stdout.write(
                _("The examples have not changed since version %(version)d: no new version.")
                % {"version": model.version}
            )
        training_figures = model.metrics["training"]
        self.stdout.write(
            _(
                "Classifier “%(name)s”, version %(version)d: trained on %(size)d examples in "
                "%(seconds).1f s (%(excluded)d evaluation letters left out)."
            )
            % {
                "name": name,
                "version": model.version,
                "size": model.training_size,
                "seconds": training_figures["seconds"],
                "excluded": training_figures["excluded_evaluation_letters"],
            }
        )
        self.stdout.write(metrics_report(model))
