"""The interface every resident register backend implements, and the records it returns.

City services ask the register through this interface only (via `selectors.registry()`), so a
city can swap the local tables for its real register (an OSCI/XMeld gateway, say) without
touching them. Records are plain frozen dataclasses: no model instance leaves a backend.
"""

import abc
import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class AddressRecord:
    street: str
    house_number: str
    postcode: str
    town: str
    district: str


@dataclass(frozen=True)
class ResidentRecord:
    register_id: str
    family_name: str
    given_names: str
    date_of_birth: datetime.date
    address: AddressRecord
    secondary_address: AddressRecord | None
    moved_in: datetime.date


@dataclass(frozen=True)
class VehicleRecord:
    plate: str
    make: str
    registered_since: datetime.date
    holder_register_id: str


class ResidentRegister(abc.ABC):
    """Read access to who lives where and which vehicles they hold."""

    @abc.abstractmethod
    def person_by_identity(
        self, *, family_name: str, given_names: str, date_of_birth: datetime.date
    ) -> ResidentRecord | None:
        """The one person with these names and birth date, or None if there is none or several.

        Names match regardless of case, surrounding spaces and ä/ae, ö/oe, ü/ue, ß/ss spelling.
        Several matches give None: handing out one of two namesakes would disclose a stranger.
        """

    @abc.abstractmethod
    def person_by_id(self, *, register_id: str) -> ResidentRecord | None:
        """The person with this register ID, or None."""

    @abc.abstractmethod
    def address_lookup(
        self, *, street: str, house_number: str, postcode: str
    ) -> AddressRecord | None:
        """The registered address, whether the street is written "Str.", "Straße" or "Strasse"."""

    @abc.abstractmethod
    def vehicles_of_person(self, *, register_id: str) -> list[VehicleRecord]:
        """The vehicles registered to this person, ordered by plate; empty if none or unknown."""
