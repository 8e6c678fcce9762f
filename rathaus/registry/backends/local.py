"""The default register: the local tables a city fills with `manage.py registry_import`."""

import datetime

from ..matching import address_lookup_key, name_key
from ..models import Address, Resident, Vehicle
from .base import AddressRecord, ResidentRecord, ResidentRegister, VehicleRecord


def _address_record(address: Address) -> AddressRecord:
    return AddressRecord(
        street=address.street,
        house_number=address.house_number,
        postcode=address.postcode,
        town=address.town,
        district=address.district,
    )


def _resident_record(resident: Resident) -> ResidentRecord:
    secondary = resident.secondary_address
    return ResidentRecord(
        register_id=resident.register_id,
        family_name=resident.family_name,
        given_names=resident.given_names,
        date_of_birth=resident.date_of_birth,
        address=_address_record(resident.address),
        secondary_address=_address_record(secondary) if secondary is not None else None,
        moved_in=resident.moved_in,
    )


class LocalRegistry(ResidentRegister):
    def _residents(self):
        return Resident.objects.select_related("address", "secondary_address")

    def person_by_identity(
        self, *, family_name: str, given_names: str, date_of_birth: datetime.date
    ) -> ResidentRecord | None:
        # The birth date narrows a city to a handful of people; names are compared as keys in
        # Python because SQLite cannot fold case beyond ASCII.
        family_key, given_key = name_key(family_name), name_key(given_names)
        matches = [
            resident
            for resident in self._residents().filter(date_of_birth=date_of_birth)
            if name_key(resident.family_name) == family_key
            and name_key(resident.given_names) == given_key
        ]
        return _resident_record(matches[0]) if len(matches) == 1 else None

    def person_by_id(self, *, register_id: str) -> ResidentRecord | None:
        resident = self._residents().filter(register_id=register_id.strip()).first()
        return _resident_record(resident) if resident is not None else None

    def address_lookup(
        self, *, street: str, house_number: str, postcode: str
    ) -> AddressRecord | None:
        key = address_lookup_key(street=street, house_number=house_number, postcode=postcode)
        address = Address.objects.filter(lookup_key=key).first()
        return _address_record(address) if address is not None else None

    def vehicles_of_person(self, *, register_id: str) -> list[VehicleRecord]:
        vehicles = Vehicle.objects.filter(holder__register_id=register_id.strip()).order_by("plate")
        return [
            VehicleRecord(
                plate=vehicle.plate,
                make=vehicle.make,
                registered_since=vehicle.registered_since,
                holder_register_id=register_id.strip(),
            )
            for vehicle in vehicles
        ]
