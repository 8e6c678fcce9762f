import pytest
from django.db import DataError, IntegrityError

from .factories import AddressFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("postcode", ["4210", "421033", "4210a"])
def test_database_refuses_a_postcode_that_is_not_five_digits(postcode):
    # PostgreSQL refuses an over-long value by its column length (DataError), SQLite by the check.
    with pytest.raises((IntegrityError, DataError)):
        AddressFactory(postcode=postcode)


def test_database_refuses_the_same_address_spelled_differently():
    AddressFactory(street="Uellendahler Straße", house_number="48", postcode="42107")
    with pytest.raises(IntegrityError):
        AddressFactory(street="Uellendahler Str.", house_number="48", postcode="42107")


def test_database_refuses_a_secondary_address_equal_to_the_main_address():
    resident = ResidentFactory()
    resident.secondary_address = resident.address
    with pytest.raises(IntegrityError):
        resident.save()


def test_database_refuses_a_second_resident_with_the_same_register_id():
    ResidentFactory(register_id="100001")
    with pytest.raises(IntegrityError):
        ResidentFactory(register_id="100001")
