"""What the budget commands share."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from rathaus.budget.pabulib import MAX_BYTES


def pabulib_file_read(name: str) -> bytes:
    """The file's bytes, one more than the parser takes so that it refuses a larger file;
    CommandError when it cannot be read."""
    try:
        with Path(name).open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CommandError(
            _("%(file)s cannot be read (%(error)s).") % {"file": name, "error": exc.strerror}
        ) from None
