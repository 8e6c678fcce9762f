from rathaus.core.retention import register_purger

from .errors import DocumentError
from .pdfa import pdfa_problems
from .rendering import pdf_render
from .seal import pdf_seal


def document_render_sealed(*, template: str, context: dict) -> bytes:
    """Render `template` to PDF/A and seal it with the city's electronic seal.

    Refuses (DocumentError) to seal a rendering that is not PDF/A: a letter that cannot be
    archived must not go out. Raises ImproperlyConfigured when no seal is configured.
    """
    pdf = pdf_render(template=template, context=context)
    problems = pdfa_problems(pdf)
    if problems:
        raise DocumentError(" ".join(problems), code="not_pdfa")
    return pdf_seal(pdf=pdf)


def document_mark_read(*, document) -> None:
    """The citizen opened the document: the first time counts as receipt."""
    from django.utils import timezone

    from .models import Document

    if document.read_at is None:
        Document.objects.filter(pk=document.pk, read_at__isnull=True).update(read_at=timezone.now())


@register_purger(name="documents.orphans", description="document files without a document")
def documents_orphans_purge() -> int:
    """Documents go with their case when its retention period ends; this removes their files."""
    from rathaus.core.storage import storage_sweep_orphans

    from .models import Document

    known = set(Document.objects.values_list("file", flat=True))
    return storage_sweep_orphans(folder="documents", known=known)
