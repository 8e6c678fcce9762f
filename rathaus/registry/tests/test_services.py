import datetime
import io
import textwrap

import pytest

from rathaus.registry.models import Address, Resident, Vehicle
from rathaus.registry.services import RegistryImportError, registry_import

pytestmark = pytest.mark.django_db

ADDRESSES = """\
street;house_number;postcode;town;district
Friedrich-Ebert-Straße;12a;42103;Wuppertal;Elberfeld
Werth;5;42275;Wuppertal;Barmen
Kaiserstraße;80;42329;;Vohwinkel
"""
RESIDENTS = """\
register_id;family_name;given_names;date_of_birth;street;house_number;postcode;moved_in;secondary_street;secondary_house_number;secondary_postcode
100001;Weiß;Jürgen;1984-05-17;Friedrich-Ebert-Straße;12a;42103;2015-04-01;Werth;5;42275
100002;Schäfer;Lena;03.11.1990;Werth;5;42275;01.02.2019;;;
"""
VEHICLES = """\
plate;holder_register_id;make;registered_since
w ab 123;100001;Volkswagen;2020-06-15
W-LS 42;100002;Renault;2022-01-10
"""


def csv_file(text: str, name: str) -> io.StringIO:
    stream = io.StringIO(textwrap.dedent(text))
    stream.name = name
    return stream


def import_texts(addresses=ADDRESSES, residents=RESIDENTS, vehicles=VEHICLES):
    return registry_import(
        addresses=csv_file(addresses, "addresses.csv") if addresses is not None else None,
        residents=csv_file(residents, "residents.csv") if residents is not None else None,
        vehicles=csv_file(vehicles, "vehicles.csv") if vehicles is not None else None,
    )


def stored_counts() -> tuple[int, int, int]:
    return Address.objects.count(), Resident.objects.count(), Vehicle.objects.count()


def problems_of(**files) -> list[str]:
    with pytest.raises(RegistryImportError) as excinfo:
        import_texts(**files)
    return [str(problem) for problem in excinfo.value.problems]


def test_good_files_are_stored_with_their_references():
    report = import_texts()

    assert report.addresses.created == 3
    assert report.residents.created == 2
    assert report.vehicles.created == 2
    juergen = Resident.objects.get(register_id="100001")
    assert juergen.family_name == "Weiß"
    assert juergen.date_of_birth == datetime.date(1984, 5, 17)
    assert juergen.address.street == "Friedrich-Ebert-Straße"
    assert juergen.secondary_address.street == "Werth"
    assert juergen.vehicles.get().plate == "W-AB 123"
    lena = Resident.objects.get(register_id="100002")
    assert lena.date_of_birth == datetime.date(1990, 11, 3)
    assert lena.secondary_address is None


def test_empty_town_defaults_to_wuppertal():
    import_texts()
    assert Address.objects.get(street="Kaiserstraße").town == "Wuppertal"


def test_comma_separated_files_with_byte_order_mark_are_read():
    addresses = "\ufeff" + ADDRESSES.replace(";", ",")
    report = import_texts(addresses=addresses, residents=None, vehicles=None)
    assert report.addresses.created == 3


def test_quoted_values_may_contain_the_delimiter():
    addresses = 'street,house_number,postcode,district\n"Am Werth, Hinterhaus",5,42275,Barmen\n'
    import_texts(addresses=addresses, residents=None, vehicles=None)
    assert Address.objects.get().street == "Am Werth, Hinterhaus"


def test_importing_the_same_files_again_changes_nothing():
    import_texts()
    before = list(Resident.objects.values().order_by("pk"))

    report = import_texts()

    assert report.addresses.created == report.addresses.updated == 0
    assert report.residents.created == report.residents.updated == 0
    assert report.vehicles.created == report.vehicles.updated == 0
    assert report.residents.unchanged == 2
    assert stored_counts() == (3, 2, 2)
    assert list(Resident.objects.values().order_by("pk")) == before


def test_reimport_updates_changed_rows_by_their_key():
    import_texts()
    moved = RESIDENTS.replace(
        "100002;Schäfer;Lena;03.11.1990;Werth;5;42275",
        "100002;Schäfer;Lena;03.11.1990;Kaiserstr.;80;42329",
    )

    report = import_texts(addresses=None, residents=moved, vehicles=None)

    assert report.residents.updated == 1
    assert report.residents.unchanged == 1
    assert Resident.objects.get(register_id="100002").address.street == "Kaiserstraße"
    assert stored_counts() == (3, 2, 2)


def test_respelled_street_updates_the_address_instead_of_adding_one():
    import_texts()
    import_texts(
        addresses=ADDRESSES.replace("Kaiserstraße", "Kaiserstrasse"), residents=None, vehicles=None
    )
    assert Address.objects.filter(postcode="42329").get().street == "Kaiserstrasse"


def test_residents_may_refer_to_addresses_stored_by_an_earlier_import():
    import_texts(residents=None, vehicles=None)
    report = import_texts(addresses=None, vehicles=None)
    assert report.residents.created == 2


def test_vehicles_may_refer_to_residents_stored_by_an_earlier_import():
    import_texts(vehicles=None)
    report = import_texts(addresses=None, residents=None)
    assert report.vehicles.created == 2


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"addresses": ADDRESSES.replace(";42275;", ";4227;")},
            "addresses.csv:3: postcode '4227' is not a postcode of five digits",
        ),
        (
            {"addresses": ADDRESSES.replace(";42329;", ";4232X;")},
            "addresses.csv:4: postcode '4232X' is not a postcode of five digits",
        ),
        (
            {"addresses": ADDRESSES.replace("Werth;5;42275;Wuppertal;Barmen", "Werth;5;42275")},
            "addresses.csv:3: expected 5 values, found 3",
        ),
        (
            {"addresses": ADDRESSES + "Friedrich-Ebert-Str.;12 A;42103;;\n"},
            "addresses.csv:5: duplicate address Friedrich-Ebert-Str. 12 A, 42103, "
            "already on line 2",
        ),
        (
            {"residents": RESIDENTS.replace("1984-05-17", "1984-17-05")},
            "residents.csv:2: date_of_birth '1984-17-05' is not a date (YYYY-MM-DD or DD.MM.YYYY)",
        ),
        (
            {"residents": RESIDENTS.replace("01.02.2019", "Februar 2019")},
            "residents.csv:3: moved_in 'Februar 2019' is not a date (YYYY-MM-DD or DD.MM.YYYY)",
        ),
        (
            {"residents": RESIDENTS.replace("100002;Schäfer", "100002;")},
            "residents.csv:3: family_name is empty",
        ),
        (
            {"residents": RESIDENTS.replace("1984-05-17", "2984-05-17")},
            "residents.csv:2: date_of_birth lies in the future",
        ),
        (
            {
                "residents": RESIDENTS.replace(
                    "Werth;5;42275;01.02.2019", "Werth;7;42275;01.02.2019"
                )
            },
            "residents.csv:3: unknown address Werth 7, 42275: in neither the addresses file "
            "nor the register",
        ),
        (
            {
                "residents": RESIDENTS.replace(
                    ";Werth;5;42275\n", ";Friedrich-Ebert-Str.;12a;42103\n"
                )
            },
            "residents.csv:2: the secondary address is the main address",
        ),
        (
            {
                "residents": RESIDENTS
                + "100001;Weiß;Jürgen;1984-05-17;Werth;5;42275;2015-04-01;;;\n"
            },
            "residents.csv:4: duplicate register_id 100001, already on line 2",
        ),
        (
            {"vehicles": VEHICLES.replace("100002;Renault", "100009;Renault")},
            "vehicles.csv:3: unknown holder_register_id 100009: in neither the residents file "
            "nor the register",
        ),
        (
            {"vehicles": VEHICLES.replace("w ab 123", "WAB123")},
            "vehicles.csv:2: plate 'WAB123' is not a licence plate like W-AB 123",
        ),
        (
            {"vehicles": VEHICLES + "W-AB123;100002;Fiat;2023-01-01\n"},
            "vehicles.csv:4: duplicate plate W-AB 123, already on line 2",
        ),
        (
            {"vehicles": VEHICLES.replace("plate;holder_register_id;make", "plate;holder;make")},
            "vehicles.csv:1: missing columns: holder_register_id",
        ),
        (
            {"vehicles": VEHICLES.replace("plate;holder_register_id;make", "plate;holder;make")},
            "vehicles.csv:1: unknown columns: holder",
        ),
        ({"vehicles": ""}, "vehicles.csv: the file has no header row"),
        (
            {"residents": RESIDENTS.replace("Lena", "L" * 151)},
            "residents.csv:3: given_names is longer than 150 characters",
        ),
    ],
)
def test_a_bad_row_is_reported_with_file_and_line_and_nothing_is_stored(files, expected):
    assert expected in problems_of(**files)
    assert stored_counts() == (0, 0, 0)


def test_every_problem_in_every_file_is_reported_in_order():
    problems = problems_of(
        addresses=ADDRESSES.replace(";42275;", ";4227;").replace(";42329;", ";0;"),
        vehicles=VEHICLES.replace("2022-01-10", "gestern"),
    )
    assert [problem.split(": ")[0] for problem in problems] == [
        "addresses.csv:3",
        "addresses.csv:4",
        # Lena lives at the address whose row was refused, so her reference is unknown too.
        "residents.csv:2",
        "residents.csv:3",
        "vehicles.csv:3",
    ]


def test_a_bad_row_on_reimport_leaves_the_stored_register_as_it_was():
    import_texts()
    before = list(Resident.objects.values().order_by("pk"))
    changed = (
        RESIDENTS.replace("Lena", "Helene") + "100003;Kaya;Murat;kein Datum;Werth;5;42275;;;;\n"
    )

    problems_of(residents=changed)

    assert list(Resident.objects.values().order_by("pk")) == before


def test_file_that_is_not_utf8_is_refused():
    class Latin1Stream(io.StringIO):
        name = "addresses.csv"

        def read(self, *args):
            raise UnicodeDecodeError("utf-8", b"\xe4", 0, 1, "invalid start byte")

    with pytest.raises(RegistryImportError) as excinfo:
        registry_import(addresses=Latin1Stream(), residents=None, vehicles=None)
    assert str(excinfo.value) == "addresses.csv: the file is not UTF-8 encoded"
