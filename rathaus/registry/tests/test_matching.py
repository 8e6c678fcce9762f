import pytest

from rathaus.registry.matching import address_lookup_key, name_key, plate_normalise, street_key


@pytest.mark.parametrize(
    ("typed", "registered"),
    [
        ("  jürgen ", "Jürgen"),
        ("Juergen", "Jürgen"),
        ("WEISS", "Weiß"),
        ("Schaefer", "Schäfer"),
        ("Goessmann", "Gößmann"),
        ("Anna  Maria", "Anna Maria"),
        ("Ju\u0308rgen", "Jürgen"),  # decomposed umlaut, as some keyboards and browsers send it
    ],
)
def test_name_spellings_of_the_same_name_share_a_key(typed, registered):
    assert name_key(typed) == name_key(registered)


def test_different_names_have_different_keys():
    assert name_key("Müller") != name_key("Muller")


@pytest.mark.parametrize(
    "typed",
    [
        "Friedrich-Ebert-Straße",
        "Friedrich-Ebert-Strasse",
        "Friedrich-Ebert-Str.",
        "friedrich-ebert-str",
        "FRIEDRICH-EBERT-STRASSE",
    ],
)
def test_street_spellings_share_a_key(typed):
    assert street_key(typed) == street_key("Friedrich-Ebert-Straße")


def test_street_abbreviation_in_a_separate_word_is_expanded():
    assert street_key("Uellendahler Str.") == street_key("Uellendahler Straße")


def test_streets_named_alike_but_different_keep_different_keys():
    assert street_key("Gathe") != street_key("Gathestraße")


def test_address_key_ignores_case_and_spaces_in_the_house_number():
    assert address_lookup_key(street="Hofaue", house_number="12 A", postcode="42103") == (
        address_lookup_key(street="Hofaue", house_number="12a", postcode=" 42103 ")
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("W-AB 123", "W-AB 123"),
        ("w ab 123", "W-AB 123"),
        ("W-AB123", "W-AB 123"),
        ("W-A 1", "W-A 1"),
        ("ME-XY 77E", "ME-XY 77E"),
        ("lö-z 5", "LÖ-Z 5"),
    ],
)
def test_plates_are_written_one_way(typed, stored):
    assert plate_normalise(typed) == stored


@pytest.mark.parametrize("typed", ["WAB123", "W-AB 0123", "W-ABC 1", "W-AB 12345", ""])
def test_text_that_is_not_an_unambiguous_plate_is_refused(typed):
    with pytest.raises(ValueError):
        plate_normalise(typed)
