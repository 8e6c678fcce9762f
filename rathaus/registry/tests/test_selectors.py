import dataclasses
import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from rathaus.core.backends import backend_cache_clear
from rathaus.registry.backends.base import AddressRecord, ResidentRecord, ResidentRegister
from rathaus.registry.backends.local import LocalRegistry
from rathaus.registry.selectors import registry

from .factories import AddressFactory, ResidentFactory, VehicleFactory

pytestmark = pytest.mark.django_db

BORN = datetime.date(1984, 5, 17)


@pytest.fixture
def juergen():
    address = AddressFactory(
        street="Friedrich-Ebert-Straße", house_number="12a", postcode="42103", district="Elberfeld"
    )
    return ResidentFactory(
        register_id="100001",
        family_name="Weiß",
        given_names="Jürgen",
        date_of_birth=BORN,
        address=address,
    )


def test_registry_selector_returns_the_configured_local_backend():
    assert isinstance(registry(), LocalRegistry)


def test_registry_selector_refuses_a_backend_without_the_interface(settings):
    settings.RATHAUS_REGISTRY_BACKEND = "rathaus.registry.models.Address"
    backend_cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured):
            registry()
    finally:
        backend_cache_clear()


def test_person_is_found_by_identity_as_a_frozen_record(juergen):
    person = registry().person_by_identity(
        family_name="Weiß", given_names="Jürgen", date_of_birth=BORN
    )
    assert isinstance(person, ResidentRecord)
    assert person.register_id == "100001"
    assert person.address == AddressRecord(
        street="Friedrich-Ebert-Straße",
        house_number="12a",
        postcode="42103",
        town="Wuppertal",
        district="Elberfeld",
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        person.family_name = "Anders"


@pytest.mark.parametrize(
    ("family_name", "given_names"),
    [("weiss", "juergen"), ("  WEISS ", " Jürgen"), ("Weiss", "Juergen"), ("weiß", "JÜRGEN")],
)
def test_person_identity_matching_tolerates_case_spaces_and_umlaut_spelling(
    juergen, family_name, given_names
):
    person = registry().person_by_identity(
        family_name=family_name, given_names=given_names, date_of_birth=BORN
    )
    assert person is not None
    assert person.register_id == juergen.register_id


def test_person_with_other_birth_date_is_not_found(juergen):
    assert (
        registry().person_by_identity(
            family_name="Weiß", given_names="Jürgen", date_of_birth=datetime.date(1984, 5, 18)
        )
        is None
    )


def test_person_with_other_name_is_not_found(juergen):
    assert (
        registry().person_by_identity(family_name="Weiß", given_names="Jörg", date_of_birth=BORN)
        is None
    )


def test_two_namesakes_born_the_same_day_are_not_told_apart_so_neither_is_returned(juergen):
    ResidentFactory(family_name="Weiss", given_names="Jürgen", date_of_birth=BORN)
    assert (
        registry().person_by_identity(family_name="Weiß", given_names="Jürgen", date_of_birth=BORN)
        is None
    )


def test_person_by_id_returns_main_and_secondary_address(juergen):
    juergen.secondary_address = AddressFactory(street="Werth", house_number="5", postcode="42275")
    juergen.save()
    person = registry().person_by_id(register_id=" 100001 ")
    assert person.address.street == "Friedrich-Ebert-Straße"
    assert person.secondary_address.street == "Werth"


def test_person_by_unknown_id_is_none(juergen):
    assert registry().person_by_id(register_id="999999") is None


@pytest.mark.parametrize(
    ("street", "house_number"),
    [
        ("Friedrich-Ebert-Straße", "12a"),
        ("Friedrich-Ebert-Str.", "12a"),
        ("friedrich-ebert-strasse", "12 A"),
        ("FRIEDRICH-EBERT-STR", "12A"),
    ],
)
def test_address_lookup_tolerates_street_abbreviation_and_case(juergen, street, house_number):
    address = registry().address_lookup(street=street, house_number=house_number, postcode="42103")
    assert address is not None
    assert address.street == "Friedrich-Ebert-Straße"
    assert address.district == "Elberfeld"


def test_address_lookup_in_another_postcode_finds_nothing(juergen):
    assert (
        registry().address_lookup(
            street="Friedrich-Ebert-Straße", house_number="12a", postcode="42105"
        )
        is None
    )


def test_vehicles_of_person_lists_only_their_vehicles_by_plate(juergen):
    VehicleFactory(plate="W-JW 200", holder=juergen, make="Opel")
    VehicleFactory(plate="W-JW 100", holder=juergen, make="Ford")
    VehicleFactory(plate="W-XX 1")
    vehicles = registry().vehicles_of_person(register_id="100001")
    assert [vehicle.plate for vehicle in vehicles] == ["W-JW 100", "W-JW 200"]
    assert vehicles[0].make == "Ford"
    assert vehicles[0].holder_register_id == "100001"


def test_vehicles_of_unknown_person_is_empty():
    assert registry().vehicles_of_person(register_id="nobody") == []


def test_every_interface_method_is_abstract():
    assert ResidentRegister.__abstractmethods__ == {
        "person_by_identity",
        "person_by_id",
        "address_lookup",
        "vehicles_of_person",
    }
