from django.core.management.base import BaseCommand, CommandError

# Not lazy: argparse needs real strings, and commands load after the apps are ready.
from django.utils.translation import gettext as _

from rathaus.classifier.services import ClassifierError, classifier_model_activate


class Command(BaseCommand):
    help = _(
        "Make an earlier model version of a text classifier active again (a rollback), once "
        "its file matches its checksum."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help=_("name of the classifier, e.g. intake"))
        parser.add_argument("version", type=int, help=_("the model version to activate"))

    def handle(self, *args, **options) -> None:
        try:
            model = classifier_model_activate(name=options["name"], version=options["version"])
        except ClassifierError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _("Version %(version)d of “%(name)s” is active.")
            % {"version": model.version, "name": model.name}
        )
