"""Payment references: ISO 11649 structured creditor references ("RF" + two check digits).

The check digits (ISO 7064 mod 97-10, as in the IBAN) catch every single typing error and
almost every swap of two characters, so a mistyped reference never pays somebody else's fee.
"""

import re

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

# "RF", two check digits, then up to 21 letters or digits; payers type spaces anywhere and
# write in lower case.
_CANDIDATE = re.compile(r"R\s*F\s*(\d)\s*(\d)((?:\s*[0-9A-Z]){1,21})", re.IGNORECASE)
# The references Rathaus gives out: the year and a seven-digit number of the fee in that year.
_OURS = re.compile(r"RF\d{2}\d{4}\d{7}")
NUMBERS_PER_YEAR = 10_000_000


def payment_reference_make(*, year: int, number: int) -> str:
    """The reference of the `number`-th fee of `year`: RF + check digits + year + number.

    Fixed width, so that no reference is the beginning of another one.
    """
    if not 0 < number < NUMBERS_PER_YEAR:
        raise ValueError(f"fee number out of range: {number}")
    body = f"{year:04d}{number:07d}"
    return f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"


def payment_reference_clean(value: str) -> str:
    """The reference without spaces, in capitals; an empty string when it is not valid."""
    try:
        return iso11649.validate(value)
    except ValueError:  # stdnum's ValidationError is a ValueError
        return ""


def payment_reference_candidates(text: str) -> list[str]:
    """Every valid creditor reference in free text, the likeliest reading first.

    Remittance text often goes on after the reference ("RF47 2026 0000 042 Parkausweis"), so
    each match is read at every length; only readings with valid check digits count. Readings
    in the form Rathaus gives out come first, then readings that end where a word ends. The
    caller takes the first candidate that names a known fee.
    """
    text = text or ""
    found: dict[str, tuple[bool, bool]] = {}
    for match in _CANDIDATE.finditer(text):
        check = match.group(1) + match.group(2)
        body = ""
        # For each length of the body: does the reading end where a word ends?
        ends_word: list[bool] = []
        for offset in range(match.start(3), match.end(3)):
            if not text[offset].isspace():
                body += text[offset].upper()
                following = text[offset + 1 : offset + 2]
                ends_word.append(not following or not following.isalnum())
        for length in range(len(body), 0, -1):
            reference = f"RF{check}{body[:length]}"
            if reference not in found and iso11649.is_valid(reference):
                found[reference] = (not _OURS.fullmatch(reference), not ends_word[length - 1])
    return sorted(found, key=lambda reference: found[reference])
