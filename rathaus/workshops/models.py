"""Events anyone can sign up for (workshops, the Digitaltag) and the sign-ups themselves."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import Department


class Event(models.Model):
    """A dated event with a limited number of seats and, if wanted, a waiting list.

    Titles and descriptions are German with an optional English version, shown to visitors who
    read the site in English.
    """

    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        help_text=_("The last part of the event's web address, for example digitaltag-2027."),
    )
    title = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (German)"), max_length=5000)
    description_en = models.TextField(_("description (English)"), max_length=5000, blank=True)
    series = models.CharField(
        _("series"),
        max_length=100,
        blank=True,
        help_text=_("Optional: the series the event belongs to, for example smart.wuppertal."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.TextField(
        _("place"),
        max_length=500,
        blank=True,
        help_text=_("Name and address of the venue; leave empty for an online event."),
    )
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("The link to join an online event; sent to confirmed participants."),
    )
    capacity = models.PositiveIntegerField(_("seats"))
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When all seats are taken, further sign-ups go on a waiting list."),
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"),
        null=True,
        blank=True,
        help_text=_("Empty: as soon as the event is published."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty: when the event starts."),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("department"),
    )
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_has_a_seat"),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""), name="event_has_a_place_or_link"
            ),
        ]
        indexes = [models.Index(fields=["published", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the visitor's language (German when there is no English one)."""
        if translation.get_language() == "en" and self.title_en:
            return self.title_en
        return self.title

    @property
    def display_description(self) -> str:
        if translation.get_language() == "en" and self.description_en:
            return self.description_en
        return self.description


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    WAITING = "waiting", _("on the waiting list")


class Registration(models.Model):
    """One person's sign-up: a seat or a place on the waiting list.

    Only what the event needs: a name to greet, an address to write to, and optionally what
    support the person needs. A cancelled registration is deleted at once.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    accessibility_needs = models.TextField(_("support needed"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices)
    # The language of the sign-up: later e-mails (promotion, reminder) are written in it.
    language = models.CharField(_("language"), max_length=8, default="de")
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("seat since"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        # The waiting list's order is the order of arrival (keys are given out under a lock).
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                "event", Lower("email"), name="one_registration_per_email_and_event"
            )
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.pk} {self.get_status_display()}"
