"""Why an item cannot be processed: reasons for the dead-letter list, in plain language."""

from django.utils.translation import gettext_lazy as _

REASONS = {
    "empty": _("The file is empty."),
    "not_a_document": _(
        "The file is not a document we can read (PDF, TIFF, JPEG or PNG); it looks like: %(kind)s."
    ),
    "encrypted": _("The PDF is protected by a password or encrypted and cannot be read."),
    "broken": _("The file is damaged and cannot be opened."),
    "no_pages": _("The PDF has no pages."),
    "too_many_pages": _(
        "The document has %(pages)s pages; at most %(limit)s are accepted in one file. "
        "Please split it with separator sheets."
    ),
    "too_many_pixels": _("A page is too large as an image (more than %(limit)s megapixels)."),
    "active_content": _(
        "The PDF contains scripts or attached files; a scanned letter never does, so it is "
        "not processed."
    ),
    "blank": _("Every page is blank."),
    "only_separators": _("The file holds only separator sheets and blank pages."),
    "ocr_failed": _("Text recognition failed: %(error)s."),
    "routing_table": _("The routing table is not usable: %(error)s"),
    "failed": _("The step “%(step)s” failed %(attempts)s times (%(error)s)."),
}


class DeadLetter(Exception):
    """The item cannot be processed as it is; `reason` is a key of REASONS."""

    def __init__(self, reason: str, **params):
        if reason not in REASONS:
            raise ValueError(f"unknown dead-letter reason {reason!r}")
        super().__init__(reason)
        self.reason = reason
        self.params = params


def reason_text(reason: str, params: dict) -> str:
    """The reason in the active language, with its details filled in."""
    from ..models import Step

    message = REASONS.get(reason)
    if message is None:
        return reason
    if params.get("step") in Step.values:
        params = {**params, "step": Step(params["step"]).label}
    try:
        return str(message) % params if params else str(message)
    except (KeyError, TypeError, ValueError):
        return str(message)
