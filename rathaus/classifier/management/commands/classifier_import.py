from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Not lazy: argparse needs real strings, and commands load after the apps are ready.
from django.utils.translation import gettext as _

from rathaus.classifier.manifest import manifest_read
from rathaus.classifier.models import ExampleSource, TrainingExample
from rathaus.classifier.services import (
    ClassifierError,
    evaluation_set_freeze,
    training_example_add,
)

MAX_PROBLEMS_SHOWN = 20


class Command(BaseCommand):
    help = _(
        "Import labelled letters from a manifest (one JSON object a line with “label” and the "
        "text) as training examples or as the frozen evaluation set of a classifier. A file is "
        "imported whole or not at all."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help=_("name of the classifier, e.g. intake"))
        parser.add_argument("manifest", help=_("manifest.jsonl file"))
        parser.add_argument(
            "--as",
            dest="kind",
            choices=["training", "evaluation"],
            required=True,
            help=_("training examples, or the frozen evaluation set"),
        )
        parser.add_argument(
            "--text-field",
            dest="text_fields",
            action="append",
            metavar="FIELD",
            help=_(
                "field holding the text; give it more than once for a preference order, e.g. "
                "--text-field ocr_text --text-field text (default: text)"
            ),
        )
        parser.add_argument(
            "--source",
            choices=[ExampleSource.IMPORT, ExampleSource.GENERATED],
            default=ExampleSource.IMPORT,
            help=_(
                "generated: made-up letters, kept; import (default): may hold personal data, "
                "deleted after the retention period"
            ),
        )

    def handle(self, *args, **options) -> None:
        name = options["name"]
        path = Path(options["manifest"])
        text_fields = tuple(options["text_fields"] or ["text"])
        try:
            items, problems = manifest_read(path, text_fields=text_fields)
        except OSError as exc:
            raise CommandError(
                _("%(file)s cannot be read (%(error)s).")
                % {"file": path, "error": exc.strerror or exc}
            ) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(_("%(file)s is not UTF-8 text.") % {"file": path}) from exc
        if problems:
            messages = {
                "json": _("not a JSON object"),
                "label": _("no label"),
                "text": _("no text in %(fields)s") % {"fields": ", ".join(text_fields)},
            }
            for problem in problems[:MAX_PROBLEMS_SHOWN]:
                self.stderr.write(
                    _("%(file)s, line %(line)d: %(problem)s")
                    % {"file": path, "line": problem.line, "problem": messages[problem.code]}
                )
            raise CommandError(
                _("%(count)d lines of %(file)s are not usable: nothing was imported.")
                % {"count": len(problems), "file": path}
            )
        if not items:
            raise CommandError(_("%(file)s holds no letters.") % {"file": path})
        if options["kind"] == "evaluation":
            self._evaluation(name, items)
        else:
            self._training(name, items, source=options["source"])

    def _evaluation(self, name, items) -> None:
        try:
            frozen = evaluation_set_freeze(
                name=name, examples=[(item.text, item.label) for item in items]
            )
        except ClassifierError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _("Evaluation set of “%(name)s”: %(size)d letters (%(hash)s), frozen.")
            % {"name": name, "size": frozen.size, "hash": frozen.content_hash[:12]}
        )

    def _training(self, name, items, *, source: str) -> None:
        before = TrainingExample.objects.filter(name=name).count()
        with transaction.atomic():
            for item in items:
                try:
                    training_example_add(name=name, text=item.text, label=item.label, source=source)
                except ClassifierError as exc:
                    raise CommandError(
                        _("line %(line)d: %(problem)s Nothing was imported.")
                        % {"line": item.line, "problem": exc.message}
                    ) from exc
        added = TrainingExample.objects.filter(name=name).count() - before
        self.stdout.write(
            _(
                "“%(name)s”: %(added)d new training examples, %(known)d known before "
                "(%(total)d in the file)."
            )
            % {"name": name, "added": added, "known": len(items) - added, "total": len(items)}
        )
