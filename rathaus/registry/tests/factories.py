import datetime

import factory

from rathaus.registry.models import Address, Resident, Vehicle


class AddressFactory(factory.django.DjangoModelFactory):
    street = factory.Sequence(lambda n: f"Teststraße {n}")
    house_number = factory.Sequence(lambda n: str(n + 1))
    postcode = "42103"
    town = "Wuppertal"
    district = "Elberfeld"

    class Meta:
        model = Address


class ResidentFactory(factory.django.DjangoModelFactory):
    register_id = factory.Sequence(lambda n: f"T{n:06d}")
    family_name = factory.Faker("last_name", locale="de_DE")
    given_names = factory.Faker("first_name", locale="de_DE")
    date_of_birth = factory.Faker(
        "date_between", start_date=datetime.date(1940, 1, 1), end_date=datetime.date(2005, 12, 31)
    )
    address = factory.SubFactory(AddressFactory)
    moved_in = factory.LazyAttribute(lambda o: o.date_of_birth + datetime.timedelta(days=6000))

    class Meta:
        model = Resident


class VehicleFactory(factory.django.DjangoModelFactory):
    plate = factory.Sequence(lambda n: f"W-TT {n + 1}")
    holder = factory.SubFactory(ResidentFactory)
    make = "Volkswagen"
    registered_since = datetime.date(2021, 3, 1)

    class Meta:
        model = Vehicle
