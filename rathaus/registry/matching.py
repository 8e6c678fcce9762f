"""Spelling-tolerant keys for names, streets and house numbers, and licence plate normalisation.

What people type and what the register holds differ in case, spacing, umlaut spelling (ä/ae,
ß/ss) and in "Straße"/"Strasse"/"Str.". Comparing keys instead of raw text makes lookups
forgiving without guessing: two spellings match only if they are the same name written differently.
"""

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# "Str." anywhere, or "str" ending a word ("Sedanstr", "Uellendahler Str").
_STREET_ABBREVIATION = re.compile(r"str\.|str(?=[\s-]|$)")
_STREET_SEPARATORS = re.compile(r"[\s.\-]+")
_PLATE = re.compile(r"^([A-ZÄÖÜ]{1,3})[\s-]+([A-Z]{1,2})[\s-]*([1-9][0-9]{0,3})([EH]?)$")


def name_key(value: str) -> str:
    """Case-, space- and umlaut-insensitive form of a name: " Jürgen  WEISS" → "juergen weiss"."""
    text = unicodedata.normalize("NFC", value).casefold().translate(_UMLAUTS)
    return " ".join(text.split())


def street_key(value: str) -> str:
    """Comparable form of a street name: "Friedrich-Ebert-Str." → "friedrichebertstrasse"."""
    text = _STREET_ABBREVIATION.sub("strasse", name_key(value))
    return _STREET_SEPARATORS.sub("", text)


def house_number_key(value: str) -> str:
    """Comparable form of a house number: "12 A" → "12a"."""
    return "".join(value.split()).casefold()


def address_lookup_key(*, street: str, house_number: str, postcode: str) -> str:
    """One string that identifies an address however its street and number are spelled."""
    return f"{postcode.strip()}|{street_key(street)}|{house_number_key(house_number)}"


def plate_normalise(value: str) -> str:
    """Write a German licence plate the one way we store it ("w ab123" → "W-AB 123").

    Raises ValueError when the text is not a plate: without a separator after the district code
    ("WAB123") the plate is ambiguous (W-AB or WA-B), so we refuse rather than guess.
    """
    match = _PLATE.match(" ".join(value.upper().split()))
    if match is None:
        raise ValueError(value)
    district, letters, digits, suffix = match.groups()
    return f"{district}-{letters} {digits}{suffix}"
