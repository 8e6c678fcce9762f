"""Proposals of the citizens' budget: submitting them, reading them, and purging them.

Anyone with an account may propose (as in CONSUL and Decidim): eligibility matters where the
money is decided, at the vote; the feasibility review filters what reaches the ballot.
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.core.retention import register_purger

from .images import CleanImage
from .models import BudgetProcess, BudgetUnit, Phase, Proposal, ProposalImage, ProposalStatus

MAX_IMAGES = 3


@dataclass(frozen=True)
class ImageUpload:
    image: CleanImage
    alt_text: str


def ballot_proposals(*, unit: BudgetUnit) -> QuerySet[Proposal]:
    """The proposals on the unit's ballot: feasible and not hidden, by number."""
    return Proposal.objects.filter(
        unit=unit, status=ProposalStatus.FEASIBLE, hidden_at__isnull=True
    ).order_by("number")


def public_proposals(
    *, process: BudgetProcess, unit: BudgetUnit | None = None, status: str | None = None
) -> QuerySet[Proposal]:
    """A process's proposals for the public list, hidden ones included (shown as hidden)."""
    proposals = Proposal.objects.filter(unit__process=process).select_related("unit")
    if unit is not None:
        proposals = proposals.filter(unit=unit)
    if status:
        proposals = proposals.filter(status=status)
    return proposals.order_by("unit__district", "number")


def proposal_get(*, process: BudgetProcess, pk: int) -> Proposal:
    """One proposal of the process; raises Proposal.DoesNotExist."""
    return Proposal.objects.select_related("unit__process", "review_department").get(
        unit__process=process, pk=pk
    )


def _check_location(latitude: Decimal | None, longitude: Decimal | None) -> None:
    if (latitude is None) != (longitude is None):
        raise ValidationError(
            _("Give both latitude and longitude, or neither."), code="half_location"
        )
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationError(_("The location is not a place on Earth."), code="bad_location")


@transaction.atomic
def proposal_submit(
    *,
    unit: BudgetUnit,
    author: User,
    title: str,
    description: str,
    estimated_cost: int,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    images: list[ImageUpload] = (),
    at: datetime.datetime | None = None,
) -> Proposal:
    """File a proposal during the proposals phase, numbered next in its unit, with its photos.

    The photo files are written last, after every check passed, and removed again if the
    transaction fails: a refused proposal leaves nothing behind.
    """
    process = unit.process
    if process.imported or process.phase(at) != Phase.PROPOSALS:
        raise ValidationError(_("Proposals can only be made while the proposals phase runs."))
    if not author.is_authenticated or not author.is_active:
        raise ValidationError(_("Please log in to make a proposal."))
    title, description = title.strip(), description.strip()
    if not title or not description:
        raise ValidationError(_("A proposal needs a title and a description."))
    if estimated_cost is None or estimated_cost <= 0:
        raise ValidationError(_("The estimated cost must be a positive amount of euros."))
    if estimated_cost > unit.budget:
        raise ValidationError(
            _("The estimated cost is more than the budget of %(unit)s (%(budget)s euros).")
            % {"unit": unit.name, "budget": unit.budget}
        )
    _check_location(latitude, longitude)
    images = list(images)
    if len(images) > MAX_IMAGES:
        raise ValidationError(_("At most %(count)s pictures.") % {"count": MAX_IMAGES})
    if any(not upload.alt_text.strip() for upload in images):
        raise ValidationError(_("Describe every picture for people who cannot see it."))

    # The unit's row lock serialises numbering; the unique constraint backs it up.
    BudgetUnit.objects.select_for_update().get(pk=unit.pk)
    number = (Proposal.objects.filter(unit=unit).aggregate(n=Max("number"))["n"] or 0) + 1
    proposal = Proposal(
        unit=unit,
        number=number,
        title=title,
        description=description,
        address=address.strip(),
        latitude=latitude,
        longitude=longitude,
        estimated_cost=estimated_cost,
        author=author,
    )
    proposal.full_clean(exclude=["author"])
    proposal.save()
    # Files last, after every check and row passed; removed again if anything still fails.
    # (The view calls this outermost, so the commit follows right after.)
    written: list[str] = []
    try:
        for upload in images:
            name = default_storage.save(
                f"budget/images/{uuid.uuid4().hex}.{upload.image.extension}",
                ContentFile(upload.image.content),
            )
            written.append(name)
            ProposalImage.objects.create(
                proposal=proposal,
                file=name,
                alt_text=upload.alt_text.strip()[:300],
                width=upload.image.width,
                height=upload.image.height,
            )
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return proposal


@register_purger(
    name="budget.proposals",
    description="photos and authors of proposals, and hidden proposals, after the results",
)
def proposals_purge_expired() -> int:
    """Once a process's results are old, keep the proposals only as the public record.

    Photos (and their files) and the link to the author go; hidden proposals that no ballot
    names go entirely. Titles, descriptions and costs stay with the published result.
    """
    cutoff = timezone.now() - datetime.timedelta(
        days=settings.RATHAUS_BUDGET_PROPOSAL_RETENTION_DAYS
    )
    old = Proposal.objects.filter(unit__process__results_published_at__lt=cutoff)
    count = 0
    for image in ProposalImage.objects.filter(proposal__in=old):
        name = image.file.name
        image.delete()
        default_storage.delete(name)
        count += 1
    count += old.filter(author__isnull=False).update(author=None)
    deleted, _ = old.filter(hidden_at__isnull=False, ballots__isnull=True).delete()
    return count + deleted
