from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

# Not lazy: argparse needs real strings, and commands load after the apps are ready.
from django.utils.translation import gettext as _

from rathaus.documents.errors import DocumentError
from rathaus.documents.examples import example_notice_context
from rathaus.documents.services import document_render_sealed


class Command(BaseCommand):
    help = _(
        "Write the example decision notice, rendered and sealed with the configured seal, to a "
        "file: a quick check of the seal configuration (verify it with pdfsig)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("output", type=Path, help=_("the PDF file to write"))

    def handle(self, *args, **options) -> None:
        output: Path = options["output"]
        try:
            pdf = document_render_sealed(
                template="documents/example_notice.html", context=example_notice_context()
            )
        except (ImproperlyConfigured, DocumentError) as exc:
            raise CommandError(str(exc)) from exc
        partial = output.with_name(f".{output.name}.partial")
        try:
            partial.write_bytes(pdf)
            partial.replace(output)  # never leave half a file under the real name
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(_("Sealed example letter written to %(path)s.") % {"path": output})
        )
