"""The local resident register: the minimum a city service needs about who lives where.

Filled from the city's register export by `registry_import`; read only through a
`ResidentRegister` backend (see backends/), never directly by other apps.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .matching import address_lookup_key

POSTCODE_PATTERN = r"^[0-9]{5}$"
postcode_validator = RegexValidator(POSTCODE_PATTERN, _("A postcode has exactly five digits."))


class Address(models.Model):
    street = models.CharField(_("street"), max_length=200)
    house_number = models.CharField(
        _("house number"), max_length=20, help_text=_("As written, for example 12a.")
    )
    postcode = models.CharField(_("postcode"), max_length=5, validators=[postcode_validator])
    town = models.CharField(_("town"), max_length=100, default="Wuppertal")
    district = models.CharField(
        _("district"), max_length=100, blank=True, help_text=_("For example Elberfeld.")
    )
    # Derived from street, house number and postcode so that lookups and the import can find an
    # address however "Straße" or "12 A" is spelled; unique, so a lookup finds at most one.
    lookup_key = models.CharField(_("lookup key"), max_length=240, unique=True, editable=False)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["postcode", "street", "house_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "house_number", "postcode"], name="address_unique_street_number"
            ),
            models.CheckConstraint(
                condition=models.Q(postcode__regex=POSTCODE_PATTERN),
                name="address_postcode_five_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.town}"

    def save(self, *args, **kwargs) -> None:
        self.lookup_key = address_lookup_key(
            street=self.street, house_number=self.house_number, postcode=self.postcode
        )
        super().save(*args, **kwargs)


class Resident(models.Model):
    register_id = models.CharField(
        _("register ID"),
        max_length=50,
        unique=True,
        help_text=_("The person's key in the city's resident register."),
    )
    family_name = models.CharField(_("family name"), max_length=150)
    given_names = models.CharField(_("given names"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"), db_index=True)
    address = models.ForeignKey(
        Address,
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("main address"),
    )
    secondary_address = models.ForeignKey(
        Address,
        on_delete=models.PROTECT,
        related_name="secondary_residents",
        null=True,
        blank=True,
        verbose_name=_("secondary address"),
    )
    moved_in = models.DateField(_("moved in"), help_text=_("Date of moving into the main address."))

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["family_name", "given_names", "register_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(secondary_address__isnull=True)
                | ~models.Q(secondary_address=models.F("address")),
                name="resident_secondary_address_differs",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_name}, {self.given_names} ({self.register_id})"


class Vehicle(models.Model):
    plate = models.CharField(
        _("licence plate"), max_length=15, unique=True, help_text=_("Written like W-AB 123.")
    )
    holder = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="vehicles", verbose_name=_("holder")
    )
    make = models.CharField(_("make"), max_length=100)
    registered_since = models.DateField(_("registered since"))

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["plate"]

    def __str__(self) -> str:
        return self.plate
