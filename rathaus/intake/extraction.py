"""Fields of an incoming letter, read from its (noisy) OCR text.

File references (ours and other authorities'), dates, IBANs, euro amounts, the invoice total and
the sender. Pure Python: no database, no settings (the caller passes the reference prefix and the
city's own name and address), no logging, because the text and every value in it are personal
data. The rules and the decisions behind them are in docs/intake-extraction.md.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from stdnum import iban as stdnum_iban
from stdnum import numdb

# What OCR reads in place of a digit, the likeliest reading first. References use the first
# reading; IBANs try them all and let the checksum decide.
AS_DIGIT: dict[str, tuple[str, ...]] = {
    "O": ("0",),
    "o": ("0",),
    "D": ("0",),
    "Q": ("0",),
    "I": ("1",),
    "l": ("1",),
    "i": ("1",),
    "|": ("1",),
    "Z": ("2", "7"),
    "z": ("2",),
    "A": ("4",),
    "S": ("5", "8"),
    "s": ("5",),
    "G": ("6", "0"),
    "b": ("6",),
    "T": ("7",),
    "B": ("8", "3"),
    "g": ("9",),
    "q": ("9",),
}
# What OCR reads in place of a capital letter (IBAN positions that must hold a letter).
AS_LETTER: dict[str, tuple[str, ...]] = {
    "0": ("O", "D", "Q"),
    "1": ("I", "L"),
    "2": ("Z",),
    "4": ("A",),
    "5": ("S",),
    "6": ("G",),
    "7": ("T",),
    "8": ("B",),
}
# Confusions certain enough to repair inside other authorities' references, whose letters may
# be real (63-B-2026-0173): only O/0 and I/l/1.
_SAFE_AS_DIGIT = {"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"}

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH_CLASS = "[" + re.escape(_DASHES) + "]"
_DIGITISH = "[0-9" + re.escape("".join(AS_DIGIT)) + "]"
_WORD_CHAR = "A-Za-z0-9ÄÖÜäöüß"

# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Reference:
    value: str  # normalised: "WUP-104-2026-00042", "32.1-0815/26"
    kind: str  # "ours" | "other"
    department: str | None  # the department code of our references
    span: tuple[int, int]  # where it was read in the text


@dataclass(frozen=True)
class Sender:
    name: str | None
    street: str | None
    postcode: str | None
    town: str | None

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "street": self.street,
            "postcode": self.postcode,
            "town": self.town,
        }


@dataclass(frozen=True)
class ExtractedFields:
    references: tuple[Reference, ...]
    dates: tuple[datetime.date, ...]
    ibans: tuple[str, ...]
    amounts: tuple[Decimal, ...]
    sender: Sender | None
    # The amount on the invoice's totals line ("zu zahlen", "Gesamtbetrag", ...), if any.
    total: Decimal | None = None

    def as_json(self) -> dict:
        """The fields in the gold-data format (docs/intake-data.md)."""
        return {
            "references": [reference.value for reference in self.references],
            "dates": [date.isoformat() for date in self.dates],
            "ibans": list(self.ibans),
            "amounts": [f"{amount:.2f}" for amount in self.amounts],
            "sender": self.sender.as_json() if self.sender else None,
        }


def fields_extract(
    text: str,
    *,
    reference_prefix: str = "WUP",
    own_addresses: Sequence[str] = (),
    today: datetime.date | None = None,
) -> ExtractedFields:
    """Every field found in `text`, each kind in the order it appears, each value once.

    `own_addresses` are the city's own name and address lines (RATHAUS_CITY_NAME,
    RATHAUS_CITY_ADDRESS): the recipient's block, never the sender.
    """
    today = today or datetime.date.today()
    references = _references_find(text, prefix=reference_prefix, today=today)
    ibans = _ibans_find(text)
    taken = _Taken([reference.span for reference in references] + [span for _, span in ibans])
    dates = _dates_find(text, taken=taken)
    taken.add_all(span for _, span in dates)
    amounts = _amounts_find(text, taken=taken)
    return ExtractedFields(
        references=tuple(_first_of_each(references, key=lambda reference: reference.value)),
        dates=tuple(_first_of_each(date for date, _ in dates)),
        ibans=tuple(_first_of_each(value for value, _ in ibans)),
        amounts=tuple(_first_of_each(amount for amount, _ in amounts)),
        sender=_sender_find(text, own=_OwnMarks.parse(own_addresses)),
        total=_total_pick(text, amounts),
    )


def _first_of_each(items: Iterable, key=lambda item: item) -> list:
    seen = set()
    result = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            result.append(item)
    return result


class _Taken:
    """Stretches of the text already read as one field, so that no other field reads them."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self.positions: set[int] = set()
        self.add_all(spans)

    def add_all(self, spans: Iterable[tuple[int, int]]) -> None:
        for start, end in spans:
            self.positions.update(range(start, end))

    def overlaps(self, span: tuple[int, int]) -> bool:
        return any(position in self.positions for position in range(*span))


def _digits(raw: str) -> str:
    """A group of digits as OCR read it, look-alike letters and stray whitespace repaired."""
    return "".join(AS_DIGIT[char][0] if char in AS_DIGIT else char for char in raw if char.strip())


# ---------------------------------------------------------------- file references


@lru_cache(maxsize=8)
def _ours_pattern(prefix: str) -> re.Pattern:
    """Our format PREFIX-DDD-YYYY-NNNNN with OCR noise: spaces and line breaks anywhere, any
    dash (or a dot, slash or nothing) between the parts, look-alike letters for digits."""
    letters = r"\s?".join(
        f"[{re.escape(char.upper())}{re.escape(char.lower())}]"
        if char.isalpha()
        else re.escape(char)
        for char in prefix
    )
    separator = rf"\s{{0,3}}(?:(?:{_DASH_CLASS}|[./_:])\s{{0,3}})?"

    def group(name: str, length: int) -> str:
        return rf"(?P<{name}>{_DIGITISH}(?:\s{{0,2}}{_DIGITISH}){{{length - 1}}})"

    return re.compile(
        rf"(?<![A-Za-z0-9]){letters}{separator}{group('department', 3)}{separator}"
        rf"{group('year', 4)}{separator}{group('number', 5)}(?![A-Za-z0-9])"
    )


_OTHER_LABEL = re.compile(
    r"(?<![A-Za-zÄÖÜäöüß])(?:"
    r"(?:Ihre?|Unsere?|Meine?)\s+(?:Zeichen|Aktenzeichen|Az\.?)"
    r"|Akten-?\s?zeichen|Aktenz\.|Az\.?"
    r"|Gesch(?:ä|ae|a)fts-?\s?zeichen|Gz\."
    r"|Kassen-?\s?zeichen"
    r"|Bu(?:ß|ss|B)geld-?\s?(?:Nr\.?|nummer)"
    r"|Vorgangs-?\s?(?:Nr\.?|nummer)|Vorgang(?=\s*:)"
    r")(?![A-Za-zÄÖÜäöüß])[ \t]*(?:Nr\.?[ \t]*)?[:.#]?\s{0,3}",
    re.IGNORECASE,
)
# Another authority's code: groups of digits and capitals joined by dots, dashes or slashes
# ("32.1-0815/26", "63-B-2026-0173", "7.26.123456.8"). Spaces only around dashes and slashes,
# so that a sentence's full stop ends the code.
_GROUP = rf"(?:[0-9l][A-Za-z0-9]*|[A-ZÄÖÜ][A-Z0-9ÄÖÜ]*)(?![{_WORD_CHAR}])"
_OTHER_CODE = re.compile(rf"{_GROUP}(?:(?:\.|[ ]?(?:{_DASH_CLASS}|/)\s{{0,3}}){_GROUP}){{0,8}}")
_OURS_WITHOUT_PREFIX = re.compile(r"(\d{3})-(\d{4})-(\d{5})")
# Formats of other offices so common in the city's mail, and so distinctive, that they count
# without a label ("Zu Ihrem Schreiben 7.26.123456.8", "Betreff: Hundesteuer (5.2026.004711)").
# O, I and l stand for digits, as OCR reads them.
_D = "[0-9OIl]"
_S = rf"[ ]?{_DASH_CLASS}\s{{0,3}}"  # a dash may end a line
KNOWN_FORMATS = (
    rf"{_D}{{1,3}}\.{_D}{{1,3}}{_S}{_D}{{3,6}}[ ]?/[ ]?{_D}{{2}}(?:{_D}{{2}})?",  # Az. 32.1-0815/26
    rf"{_D}\.{_D}{{4}}\.{_D}{{6}}",  # Kassenzeichen 5.2026.004711
    rf"{_D}{{2}}{_S}[A-Z]{_S}{_D}{{4}}{_S}{_D}{{4}}",  # building files 63-B-2026-0173
    rf"{_D}\.{_D}{{2}}\.{_D}{{6}}\.{_D}",  # Bußgeld-Nr. 7.26.123456.8
    rf"{_D}\.{_D}{{2}}\.{_D}{{7}}",  # the same, its last dot lost in OCR (below)
)
# The dot before a Bußgeld number's check digit is the smallest mark of the code, and OCR loses
# it ("4.26.2009081"); no other format has seven digits there, so the dot is put back.
_FINE_NUMBER_DOT_LOST = re.compile(r"(\d\.\d{2}\.\d{6})(\d)")
_KNOWN = re.compile(rf"(?<![\w.,/-])(?:{'|'.join(KNOWN_FORMATS)})(?![\w/-]|[.,]\d)")


def _references_find(text: str, *, prefix: str, today: datetime.date) -> list[Reference]:
    found: list[Reference] = []
    for match in _ours_pattern(prefix).finditer(text):
        reference = _ours_make(
            prefix,
            _digits(match.group("department")),
            _digits(match.group("year")),
            _digits(match.group("number")),
            span=match.span(),
            today=today,
        )
        if reference:
            found.append(reference)
    taken = _Taken(reference.span for reference in found)
    for match in _KNOWN.finditer(text):
        if not taken.overlaps(match.span()):
            value = _other_normalise(match.group(), digits_only=True)
            found.append(Reference(value, "other", None, match.span()))
    taken.add_all(reference.span for reference in found)
    for label in _OTHER_LABEL.finditer(text):
        code = _OTHER_CODE.match(text, label.end())
        if not code or taken.overlaps(code.span()):
            continue
        value = _other_normalise(code.group())
        if not (3 <= len(value) <= 40) or not any(char.isdigit() for char in value):
            continue
        # A citizen quoting our reference without the prefix ("Aktenzeichen 104-2026-00042").
        shape = _OURS_WITHOUT_PREFIX.fullmatch(value)
        reference = shape and _ours_make(prefix, *shape.groups(), span=code.span(), today=today)
        found.append(reference or Reference(value, "other", None, code.span()))
    return sorted(found, key=lambda reference: reference.span)


def _ours_make(
    prefix: str, department: str, year: str, number: str, *, span, today: datetime.date
) -> Reference | None:
    """Our reference if its parts are plausible: a department code, a year we could have
    issued it in, a number above zero."""
    if department == "000" or number == "00000" or not 2000 <= int(year) <= today.year + 1:
        return None
    return Reference(f"{prefix}-{department}-{year}-{number}", "ours", department, span)


def _other_normalise(code: str, *, digits_only: bool = False) -> str:
    """The code without spaces, with plain dashes, look-alikes repaired where digits stand, and
    a Bußgeld number's lost last dot put back.

    `digits_only`: the code has a known format whose groups are all digits but for a single
    letter between dashes (63-B-2026-0173)."""
    code = re.sub(r"\s+", "", code)
    code = re.sub(_DASH_CLASS, "-", code)
    parts = re.split(r"([./-])", code)
    for index, part in enumerate(parts):
        if digits_only:
            between_dashes = parts[index - 1 : index + 2 : 2] == ["-", "-"]
            if len(part) > 1 or not between_dashes:
                parts[index] = "".join(_SAFE_AS_DIGIT.get(char, char) for char in part)
            continue
        digits = sum(char.isdigit() for char in part)
        lookalikes = sum(char in _SAFE_AS_DIGIT for char in part)
        # Among digits a look-alike is a digit; alone only in lower case ("III" is a numeral).
        among_digits = digits >= 2 or (part.islower() and not digits)
        if lookalikes and among_digits and digits + lookalikes == len(part):
            parts[index] = "".join(_SAFE_AS_DIGIT.get(char, char) for char in part)
    code = "".join(parts)
    lost = _FINE_NUMBER_DOT_LOST.fullmatch(code)
    return f"{lost[1]}.{lost[2]}" if lost else code


# ---------------------------------------------------------------- IBANs

# The SEPA countries (with Albania, Moldova, Montenegro and North Macedonia, members since 2025).
SEPA_COUNTRIES = (
    "AD", "AL", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB",
    "GI", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK",
    "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK", "SM", "VA",
)  # fmt: skip
# Each reading has a 1 in 97 chance of a valid checksum by accident: few readings, so that a
# number that merely resembles an IBAN is not repaired into one.
_MAX_SUBSTITUTIONS = 6
_MAX_READINGS = 16


@lru_cache(maxsize=1)
def _iban_layouts() -> dict[str, str]:
    """Per country the kind of each IBAN position: a(lpha), n(umeric) or c (either), from
    stdnum's register of national formats ("8!n10!n" for Germany)."""
    register = numdb.get("iban")
    layouts = {}
    for country in SEPA_COUNTRIES:
        info = register.info(country)[0][1]
        bban = "".join(
            kind * int(count) for count, kind in re.findall(r"(\d+)!([nac])", info["bban"])
        )
        layouts[country] = "aann" + bban
    return layouts


# Inside an IBAN, where only digits and capital letters stand, two more misreadings are safe to
# try (the checksum decides): "&" for an 8 and "/" for a 7 whose bar a speck broke. Not in
# references, where "/" separates the parts.
_IBAN_AS_DIGIT: dict[str, tuple[str, ...]] = {**AS_DIGIT, "&": ("8",), "/": ("7", "1")}
# A country code followed by a digit or what OCR reads for one ("DES3" for DE53), or "?" for a
# digit Tesseract could not read.
_DIGIT_LIKE = re.escape("".join(_IBAN_AS_DIGIT)) + "?"
_IBAN_START = re.compile(
    rf"(?<![A-Za-z0-9])(?:{'|'.join(SEPA_COUNTRIES)})(?=\s{{0,2}}[0-9{_DIGIT_LIKE}])"
)
# What may stand between the groups of an IBAN besides spaces and line breaks: one speck of
# dust read as a dot, comma, hyphen or apostrophe.
_IBAN_SPECKS = frozenset(".,-'·")


def _ibans_find(text: str) -> list[tuple[str, tuple[int, int]]]:
    found = []
    position = 0
    while match := _IBAN_START.search(text, position):
        layout = _iban_layouts()[match.group()]
        read = _iban_read(text, match.start(), len(layout))
        value = read and _iban_repair(read[0], layout)
        if value:
            found.append((value, (match.start(), read[1])))
            position = read[1]
        else:
            position = match.end()
    return found


_IBAN_LABEL = re.compile(r"IBAN", re.IGNORECASE)


def ibans_unread(text: str) -> list[int]:
    """Where `text` seems to print an IBAN that cannot be read as one (OCR misread a digit, or
    lost one): the positions of country codes that start no valid IBAN and either follow the
    word IBAN closely or are followed by an IBAN's length of letters and digits on their line.
    The OCR step reads those lines again, more closely (`ocr_scans`)."""
    valid = [span for _, span in _ibans_find(text)]
    unread = []
    for match in _IBAN_START.finditer(text):
        start = match.start()
        if any(begin <= start < end for begin, end in valid):
            continue
        line_end = text.find("\n", start)
        rest = text[start : len(text) if line_end < 0 else line_end]
        labelled = bool(_IBAN_LABEL.search(text, max(0, start - 12), start))
        if labelled or sum(char.isalnum() for char in rest) >= 16:
            unread.append(start)
    return unread


def iban_grouped(iban: str) -> str:
    """An IBAN as it is printed: groups of four."""
    return " ".join(iban[index : index + 4] for index in range(0, len(iban), 4))


def _iban_read(text: str, start: int, length: int) -> tuple[str, int] | None:
    """`length` letters and digits (or "?", an unreadable one) from `start`, across short runs
    of spaces and line breaks with at most one speck in them; None when the text runs out or
    the word goes on."""
    chars: list[str] = []
    index = start
    while len(chars) < length and index < len(text):
        char = text[index]
        if (char.isascii() and char.isalnum()) or char == "?" or char in _IBAN_AS_DIGIT:
            chars.append(char)
            index += 1
            continue
        run_end, specks = index, 0
        while run_end < len(text) and (text[run_end].isspace() or text[run_end] in _IBAN_SPECKS):
            specks += text[run_end] in _IBAN_SPECKS
            run_end += 1
        if run_end == index or run_end - index > 3 or specks > 1:
            return None
        index = run_end
    if len(chars) < length:
        return None
    if index < len(text) and text[index].isascii() and text[index].isalnum():
        return None
    return "".join(chars), index


def _iban_repair(raw: str, layout: str) -> str | None:
    """The one checksum-valid reading of `raw`, trying OCR look-alikes only where a character
    cannot stand (a letter where the country's format wants a digit, or the reverse), and
    every digit for at most one letter that looks like none."""
    options: list[tuple[str, ...]] = []
    substitutions = 0
    unreadable = False
    for char, kind in zip(raw, layout, strict=True):
        if kind == "n" and not char.isdigit():
            choices = _IBAN_AS_DIGIT.get(char)
            if not choices and not unreadable:
                # A letter that looks like no digit ("DEOY 9999 ..." for 9): any digit, once.
                # Two readings of one position never both pass mod 97, so the checksum
                # picks at most one.
                choices, unreadable = tuple("0123456789"), True
        elif kind == "a" and not char.isalpha():
            choices = AS_LETTER.get(char)
        else:
            options.append((char.upper(),))
            continue
        if not choices:
            return None
        substitutions += 1
        options.append(choices)
    readings = 1
    for choices in options:
        readings *= len(choices)
    if substitutions > _MAX_SUBSTITUTIONS or readings > _MAX_READINGS:
        return None
    valid = [
        "".join(reading)
        for reading in itertools.product(*options)
        if stdnum_iban.is_valid("".join(reading))
    ]
    likeliest = "".join(choices[0] for choices in options)
    if likeliest in valid or len(valid) == 1:
        return likeliest if likeliest in valid else valid[0]
    return None  # no valid reading, or several and nothing to choose between them


# ---------------------------------------------------------------- dates

_MONTHS = {
    "januar": 1, "jänner": 1, "jan": 1, "februar": 2, "feb": 2, "märz": 3, "maerz": 3,
    "marz": 3, "mär": 3, "mrz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6,
    "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "dezember": 12, "dez": 12,
}  # fmt: skip
_DATE_DIGIT = "[0-9OoIl]"
_NUMERIC_DATE = re.compile(
    rf"(?<![\w.])(?P<day>{_DATE_DIGIT}{{1,2}})\.\s?(?P<month>{_DATE_DIGIT}{{1,2}})\.\s?"
    rf"(?P<year>{_DATE_DIGIT}{{4}}|{_DATE_DIGIT}{{2}})(?![\w])"
)
_TEXT_DATE = re.compile(
    rf"(?<![\w.])(?P<day>{_DATE_DIGIT}{{1,2}})\.?\s{{0,2}}"
    rf"(?i:(?P<month>{'|'.join(sorted(_MONTHS, key=len, reverse=True))}))(?![\w])\.?,?\s{{0,2}}"
    rf"(?P<year>{_DATE_DIGIT}{{4}}|{_DATE_DIGIT}{{2}})(?![\w])"
)
_ISO_DATE = re.compile(r"(?<![\w.-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\w-])")


def _dates_find(text: str, *, taken: _Taken) -> list[tuple[datetime.date, tuple[int, int]]]:
    found = []
    for pattern in (_NUMERIC_DATE, _TEXT_DATE, _ISO_DATE):
        for match in pattern.finditer(text):
            if taken.overlaps(match.span()):
                continue
            if sum(char.isdigit() for char in match.group()) < 3:
                continue  # letters that only look like a date ("Il.Il.lO")
            month = match.group("month")
            month = _MONTHS[month.lower()] if pattern is _TEXT_DATE else int(_digits(month))
            year = int(_digits(match.group("year")))
            year = 2000 + year if year < 100 else year
            try:
                date = datetime.date(year, month, int(_digits(match.group("day"))))
            except ValueError:  # 31.02., month 13: not a date
                continue
            if 1900 <= date.year <= 2099:
                found.append((date, match.span()))
    return sorted(found, key=lambda item: item[1])


# ---------------------------------------------------------------- amounts

# German "1.234,56", "30,00", "30,-", "1.250"; English decimals "12.50" (two digits after a dot
# are cents, three are thousands). A plain space never separates thousands: in an invoice table
# "2 100,00" is a quantity and a price.
_INTEGER = r"(?P<integer>\d{1,3}(?:[.\u00a0\u202f]\d{3})+|\d+)"
_CENTS = rf"(?P<cents>\d{{2}}(?!\d)|-{{1,2}}|[{re.escape(_DASHES[1:])}])"
_NUMBER_END = r"(?![.,]?\d)"
_NUMBER = rf"{_INTEGER}(?:[.,]{_CENTS})?{_NUMBER_END}"
# Beside a currency sign OCR's stray spaces after a separator are tolerated ("36, 78 €",
# "6. 441, 80 €"); a spaced thousands separator only with cents after it ("am 3. 100 €" is
# 100 euros on the 3rd).
_NUMBER_SPACED = (
    r"(?P<integer>\d{1,3}(?:\.[ ]\d{3}|[.\u00a0\u202f]\d{3})+(?=,[ ]?\d{2}(?!\d))"
    r"|\d{1,3}(?:[.\u00a0\u202f]\d{3})+|\d+)"
    rf"(?:[.,][ ]?{_CENTS})?{_NUMBER_END}"
)
_CURRENCY = r"(?:€|EURO?(?![A-Za-z])|Euro(?![A-Za-z])|Eur\.)"
_AMOUNT_CURRENCY_AFTER = re.compile(rf"(?<![\w.,]){_NUMBER_SPACED}[ \t\u00a0]?{_CURRENCY}")
_AMOUNT_CURRENCY_BEFORE = re.compile(rf"{_CURRENCY}[ \t\u00a0]?:?[ \t\u00a0]?{_NUMBER_SPACED}")
# Without a currency sign only in German notation with cents, on a line that speaks of money.
_AMOUNT_BARE = re.compile(
    rf"(?<![\w.,]){_INTEGER},{_CENTS}{_NUMBER_END}"
    r"(?![ \t]?(?:%|m²|m2|qm|km|kg|Std|h\b|Stück|Stk))"
)
_MONEY_WORDS = re.compile(
    r"betrag|summe|gesamt|zu zahlen|zahlbetrag|preis|gebühr|gebuehr|kosten|netto|brutto|mwst"
    r"|\bust\b|umsatzsteuer|mehrwertsteuer|saldo|forderung|rechnung",
    re.IGNORECASE,
)
# Totals lines of an invoice, the most binding first, each with the lines that only look alike.
_TOTAL_WORDS = (
    (
        re.compile(r"zu zahlen|zahlbetrag|offener betrag|zahlungsbetrag", re.IGNORECASE),
        None,
    ),
    (
        re.compile(
            r"rechnungsbetrag|gesamtbetrag|endbetrag|gesamtsumme|bruttobetrag|brutto",
            re.IGNORECASE,
        ),
        re.compile(r"netto|zwischen", re.IGNORECASE),
    ),
    (
        re.compile(r"summe|gesamt", re.IGNORECASE),
        re.compile(r"netto|zwischen|mwst|\bust\b|steuer", re.IGNORECASE),
    ),
)


def _amount_value(match: re.Match) -> Decimal:
    integer = re.sub(r"[.\u00a0\u202f ]", "", match.group("integer"))
    cents = match.group("cents")
    if not cents or not cents.isdigit():
        cents = "00"
    return Decimal(f"{int(integer)}.{cents}")


def _amounts_find(text: str, *, taken: _Taken) -> list[tuple[Decimal, tuple[int, int]]]:
    found: list[tuple[Decimal, tuple[int, int]]] = []

    def add(match: re.Match, offset: int = 0) -> None:
        end = match.end("cents") if match.group("cents") else match.end("integer")
        number = (offset + match.start("integer"), offset + end)
        if not taken.overlaps(number):
            taken.add_all([number])
            found.append((_amount_value(match), number))

    for pattern in (_AMOUNT_CURRENCY_AFTER, _AMOUNT_CURRENCY_BEFORE):
        for match in pattern.finditer(text):
            add(match)
    for start, _, line in _lines(text):
        if _MONEY_WORDS.search(line):
            for match in _AMOUNT_BARE.finditer(line):
                add(match, offset=start)
    return sorted(found, key=lambda item: item[1])


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of every line."""
    lines = []
    start = 0
    for line in text.splitlines(keepends=True):
        lines.append((start, start + len(line), line))
        start += len(line)
    return lines


def _total_pick(text: str, amounts: list[tuple[Decimal, tuple[int, int]]]) -> Decimal | None:
    """The amount of the most binding totals line, the last such line if there are several;
    an amount on the line below counts when the totals line itself has none."""
    lines = _lines(text)
    starts = [start for start, _, _ in lines]
    by_line: dict[int, list[Decimal]] = {}
    for amount, (position, _) in amounts:  # in order of position
        by_line.setdefault(bisect.bisect_right(starts, position) - 1, []).append(amount)

    for words, lookalike in _TOTAL_WORDS:
        best = None
        for index, (_, _, line) in enumerate(lines):
            if not words.search(line) or (lookalike and lookalike.search(line)):
                continue
            here = by_line.get(index)
            if not here and index + 1 < len(lines) and not _MONEY_WORDS.search(lines[index + 1][2]):
                here = by_line.get(index + 1)
            if here:
                best = here[-1]
        if best is not None:
            return best
    return None


# ---------------------------------------------------------------- sender

_POSTCODE_TOWN = re.compile(
    r"^(?:D\s?[-–]\s?)?(?P<postcode>[0-9OIl]{5})\s+"
    r"(?P<town>[A-ZÄÖÜ][A-Za-zÄÖÜäöüß.\-/ ()]{1,40}?)\s*$"
)
_STREET = re.compile(
    r"^[A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß.\-' ]{1,45}?\s\d{1,4}\s?[a-zA-Z]?"
    r"(?:\s?[-/]\s?\d{1,4}\s?[a-zA-Z]?)?$"
)
_NOT_A_STREET = re.compile(
    r"^(?:Tel|Telefon|Fax|Mobil|Postfach|Zimmer|Raum|Seite|Nr|Kunden|Rechnung|Az|Aktenzeichen"
    r"|Kassenzeichen|Steuer|USt|HRB|HRA|Amtsgericht|BLZ|Konto|IBAN|BIC|Anlagen?|Pos|Menge)\b",
    re.IGNORECASE,
)
# Labels in front of an address part: in forms ("PLZ, Ort: 42103 Wuppertal") and on
# "Absender:" lines.
_FIELD_LABEL = re.compile(
    r"^(?:Absender(?:in)?|Anschrift|Adresse|Wohnanschrift"
    r"|Stra(?:ß|ss)e(?:,? (?:und )?Haus-?(?:nummer|nr\.?))?"
    r"|PLZ(?:,? ?/? ?(?:Wohn)?Ort)?|Postleitzahl(?:,? Ort)?|Wohnort|Ort)\s*:\s*",
    re.IGNORECASE,
)
_NAME_LABEL = re.compile(
    r"^(?:Absender(?:in)?|Name|Vor- und (?:Zu|Nach|Familien)name|Antragsteller(?:in)?"
    r"|Name des Antragstellers|Familienname|Nachname)\s*:\s*",
    re.IGNORECASE,
)
# "·" as printed, and as OCR reads it: " : ", "°", " - ".
_SEGMENT_SEPARATORS = re.compile(r"\s*(?:·|•|\||;|,|°|\s:\s|\s[–-]\s|\t|\s{3,})\s*")
_HEAD_END = re.compile(
    r"^(?:Betreff|Betr\.|Sehr geehrte|Guten Tag|Hallo|Liebe|Lieber|Moin)\b", re.IGNORECASE
)
_EMAIL_FROM = re.compile(r"^(?:Von|From|Absender)\s*:\s*\"?(?P<name>[^<@\n\"]+?)\"?\s*<[^>\n]*@")
_NOT_A_NAME = re.compile(
    r"@|www\.|https?:|^(?:Tel|Telefon|Fax|Mobil|E-?Mail|Datum|Betreff|Seite|Rechnung|IBAN|BIC)\b",
    re.IGNORECASE,
)
# Small words a name may hold in lower case ("Anna von der Heide", "Büro für Statik").
_NAME_PARTICLES = frozenset((
    "von", "van", "de", "der", "den", "da", "di", "zu", "zum", "zur", "und", "für", "am", "an",
    "auf", "im", "in", "bei", "mit", "&", "u.", "co.", "e.v.", "e.k.",
))  # fmt: skip
_LEGAL_FORM = re.compile(
    r"\b(?:GmbH|gGmbH|AG|KG|KGaA|OHG|e\.\s?K\.|UG|GbR|e\.\s?V\.|eG|mbH|PartG|PartGmbB|mbB|SE)(?!\w)"
)
_COMPANY = re.compile(
    _LEGAL_FORM.pattern + r"|\b(?:Rechtsanw|Partner|Verlag|Werke|Versicherung|Bank|Sparkasse"
    r"|Genossenschaft|Verein|Stiftung)|[Kk]anzlei| & "
)
_CONTINUATION = re.compile(
    r"^(?:z\.\s?H(?:d|än)\.?|c/o|Inh\.|Inhaber|Abt\.|Abteilung|Ansprechpartner|Herrn?$|Frau$)",
    re.IGNORECASE,
)
_SALUTATION = re.compile(r"^(?:Herrn?|Frau)\s+")
# A form's field: "Familienname: Muster", numbered as on GewA 1 ("1 Name: Muster").
_FORM_FIELD = re.compile(r"^(?:\d{1,2}[.)]?\s+)?(?P<label>[^:]{2,60}?)\s*:\s*(?P<value>.*?)$")
# OCR reads a label's colon as a full stop or semicolon ("PLZ, Ort."): only for known labels.
_FORM_FIELD_LOOSE = re.compile(
    r"^(?:\d{1,2}[.)]?\s+)?(?P<label>[^:;]{2,60}?)\s*[.;]\s*(?P<value>.*?)$"
)
_FORM_LABELS = {
    "surname": {"name", "familienname", "nachname", "zuname"},
    "first_name": {"vorname", "vornamen"},
    "surname_first_name": {"name, vorname", "familienname, vorname", "name, vornamen"},
    "name": {
        "vor- und zuname",
        "vor- und nachname",
        "vor- und familienname",
        "vorname und name",
        "vorname, name",
        "antragsteller",
        "antragstellerin",
        "antragsteller/in",
        "antragsteller/-in",
        "name des antragstellers",
        "name der antragstellerin",
    },
    "street": {
        "straße",
        "straße und hausnummer",
        "straße, hausnummer",
        "straße, hausnr.",
        "straße, nr.",
        "straße und hausnr.",
    },
    "place": {
        "plz, ort",
        "plz/ort",
        "plz / ort",
        "plz ort",
        "postleitzahl, ort",
        "postleitzahl und ort",
    },
    "address": {"anschrift", "anschrift der wohnung", "wohnanschrift", "adresse", "wohnung"},
}
_FORM_KINDS = {label: kind for kind, labels in _FORM_LABELS.items() for label in labels}
_FORM_LINES = 60
_HEAD_LINES = 40
_NAME_LINES_ABOVE = 3


@dataclass(frozen=True)
class _OwnMarks:
    """The city's own names and addresses, normalised for comparison."""

    names: tuple[str, ...]
    addresses: frozenset[tuple[str, str]]  # (street, postcode)

    @classmethod
    def parse(cls, own_addresses: Sequence[str]) -> _OwnMarks:
        names, addresses = [], set()
        for entry in own_addresses:
            street = postcode = None
            for segment in _segments(entry.replace("\n", ",")):
                if place := _postcode_town(segment):
                    postcode = place[0]
                elif _street(segment):
                    street = _street_key(segment)
                elif name := _name_key(re.sub(r"\(.*?\)", "", segment)):
                    names.append(name)
            if street and postcode:
                addresses.add((street, postcode))
        return cls(tuple(names), frozenset(addresses))

    def owns(self, name_lines: Sequence[str], street: str, postcode: str) -> bool:
        """Whether the block is the city's: its street and postcode, or its name above it."""
        if (_street_key(street), postcode) in self.addresses:
            return True
        keys = [f" {_name_key(line)} " for line in name_lines]
        return any(f" {name} " in key for name in self.names for key in keys)


def _name_key(value: str) -> str:
    value = re.sub(r"[^a-zäöüß0-9 ]", " ", value.lower()).replace("stadtverwaltung", "stadt")
    return " ".join(value.split())


def _street_key(value: str) -> str:
    value = value.lower().replace("strasse", "straße").replace("str.", "straße")
    return re.sub(r"[^a-zäöüß0-9]", "", value)


def _segments(line: str) -> list[str]:
    return [segment for segment in _SEGMENT_SEPARATORS.split(line.strip()) if segment]


def _field_value(line: str) -> str:
    return _FIELD_LABEL.sub("", line.strip()).strip()


def _postcode_town(value: str) -> tuple[str, str] | None:
    match = _POSTCODE_TOWN.match(value.strip())
    if not match or sum(char.isdigit() for char in match.group("postcode")) < 3:
        return None
    return _digits(match.group("postcode")), match.group("town").strip()


def _street(value: str) -> str | None:
    # OCR reads ß as B ("StaasstraBe"); a capital B inside a lower-case word is no B.
    value = re.sub(r"(?<=[a-zäöü])B(?=[a-zäöü]|\b)", "ß", value.strip().rstrip(" |:;,_-–—"))
    if _NOT_A_STREET.match(value) or not _STREET.match(value):
        return None
    return " ".join(value.split())


def _name(value: str) -> str | None:
    """`value` as a person's or an organisation's name, or None if it cannot be one."""
    value = _SALUTATION.sub("", _NAME_LABEL.sub("", value.strip()).strip(" ,"))
    words = value.split()
    if words and words[-1].endswith(".") and "." not in words[-1][:-1] and len(words[-1]) > 3:
        words[-1] = words[-1][:-1]  # a stray full stop ("GmbH."), not an abbreviation ("e.V.")
        value = " ".join(words)
    # A firm's name may be long and hold lower-case words ("Schwebegarten- und landschaftsbau
    # GmbH"); a person's name is short, and every word but the small ones and abbreviations
    # starts with a capital, which a sentence does not.
    firm = bool(_LEGAL_FORM.search(value))
    if (
        not 2 <= len(value) <= (120 if firm else 80)
        or not 1 <= len(words) <= (14 if firm else 8)
        or _NOT_A_NAME.search(value)
        or (not firm and any(char.isdigit() for char in value))
        or not (words[0][0].isupper() or words[0].lower() in _NAME_PARTICLES)
        or (
            not firm
            and any(
                word[0].islower()
                and word.lower() not in _NAME_PARTICLES
                and not any(char.isupper() or char == "." for char in word)
                for word in words
            )
        )
    ):
        return None
    return " ".join(words)


def _sender_find(text: str, *, own: _OwnMarks) -> Sender | None:
    """The sender from the letter's head: the first address block that is not the city's own.
    Falls back to a complete block further down (the signature of an e-mail printout) and takes
    the name from an e-mail header ("Von: Max Muster <...>") when there is one."""
    lines = text.splitlines()
    head: list[str] = []
    for line in lines[:_HEAD_LINES]:
        if _HEAD_END.match(line.strip()):
            break
        head.append(line)
    email_name = None
    for line in lines[:_HEAD_LINES]:
        if match := _EMAIL_FROM.match(line.strip()):
            email_name = _name(match.group("name"))
            break
    form = _form_sender(lines[:_FORM_LINES])
    if form and form.name and form.street:
        return form
    sender = _address_block_find(head, own=own, need_name=False)
    if sender is None and len(head) < len(lines):
        sender = _address_block_find(lines[len(head) :], own=own, need_name=True)
    sender = sender or form
    if email_name:
        if sender is None:
            return Sender(email_name, None, None, None)
        return Sender(email_name, sender.street, sender.postcode, sender.town)
    return sender


def _form_sender(lines: Sequence[str]) -> Sender | None:
    """The person a filled form is about, from its labelled fields ("Name, Vorname:",
    "Straße und Hausnummer:", "PLZ, Ort:", "Anschrift:"): the first address and the name
    given last before it (a Kita form names the child first, then the parent who lives
    there); without an address the first name."""
    names: dict[str, str] = {}
    first_person = None
    street = place = None
    for kind, value in _form_fields(lines):
        if kind in ("surname", "first_name", "surname_first_name", "name"):
            if kind != "first_name" and names.keys() - {"first_name"}:
                names = {}  # the next person
            names[kind] = value
            first_person = first_person or _form_name(names)
        elif kind == "street":
            street = _street(value)
        elif kind == "place":
            place = _postcode_town(value)
        elif kind == "address":
            parts = _segments(value)
            if len(parts) >= 2 and _street(parts[-2]) and _postcode_town(parts[-1]):
                street, place = _street(parts[-2]), _postcode_town(parts[-1])
        if street and place:
            return Sender(_form_name(names), street, *place)
    if first_person or street:
        return Sender(first_person, street, *(place or (None, None)))
    return None


def _form_fields(lines: Sequence[str]):
    """(kind, value) of every known field; OCR often puts a field's value on a line of its
    own below the label, with a blank line between."""
    for index, line in enumerate(lines):
        kind, value = _form_label(line)
        if not kind:
            continue
        if not value:
            below = [line.strip() for line in lines[index + 1 : index + 4] if line.strip()]
            if not below or _form_label(below[0])[0] or below[0].endswith(":"):
                continue
            value = below[0]
        yield kind, value


def _form_label(line: str) -> tuple[str | None, str]:
    """The kind of a known field the line starts with, and the value after its label."""
    line = line.strip()
    for pattern in (_FORM_FIELD, _FORM_FIELD_LOOSE):
        if match := pattern.match(line):
            label = " ".join(match.group("label").lower().split()).replace("strasse", "straße")
            if kind := _FORM_KINDS.get(label):
                return kind, match.group("value")
    return None, ""


def _form_name(fields: dict[str, str]) -> str | None:
    if "surname" in fields and "first_name" in fields:
        return _name(f"{fields['first_name']} {fields['surname']}")
    if "surname_first_name" in fields:
        surname, _, first_name = fields["surname_first_name"].partition(",")
        return _name(f"{first_name} {surname}")
    value = fields.get("name") or fields.get("surname")
    return _name(value) if value else None


def _address_block_find(lines: Sequence[str], *, own: _OwnMarks, need_name: bool) -> Sender | None:
    """The first address that is not the city's: on one line ("Max Muster · Hauptstraße 12 ·
    42103 Wuppertal"), as a block of name, street and postcode lines, or a mix of both (a
    letterhead: "Muster GmbH" above "Hauptstraße 12 · 42103 Wuppertal")."""
    addresses = list(_addresses(lines))
    for street, place, above, one_line in addresses:
        if own.owns(above, street, place[0]):
            continue
        name = _name_choose(above)
        if not one_line:
            # A letterhead may wrap a long name over two lines; the return line above the
            # address field ("Muster GmbH · Hauptstraße 12 · 42103 Wuppertal") holds it whole.
            for other_street, other_place, other_above, other_one_line in addresses:
                same = (_street_key(other_street), other_place) == (_street_key(street), place)
                if other_one_line and same and (whole := _name_choose(other_above)):
                    name = whole
                    break
        # A street and postcode inside a sentence are no sender without a name beside them.
        if name or not (need_name or one_line):
            return Sender(name, street, *place)
    return None


def _addresses(lines: Sequence[str]):
    """(street, (postcode, town), the lines that may name the addressee, whether it was all on
    one line) of every address in `lines`, in order. OCR puts blank lines inside blocks, so a
    single blank line does not end one."""
    for index, line in enumerate(lines):
        segments = _segments(_field_value(line))
        for at in range(1, len(segments)):
            place = _postcode_town(segments[at])
            street = place and _street(segments[at - 1])
            if street and at >= 2:
                yield street, place, segments[max(0, at - 1 - _NAME_LINES_ABOVE) : at - 1], True
            elif street:
                yield street, place, _lines_above(lines, index), False
        place = _postcode_town(_field_value(line))
        above_index = _line_above(lines, index)
        if not place or above_index is None:
            continue
        above_street = _field_value(lines[above_index])
        if street := _street(above_street):
            yield street, place, _lines_above(lines, above_index), False
            continue
        # "Max Muster, Hauptstraße 12" above the postcode line.
        parts = _segments(above_street)
        if len(parts) == 2 and (street := _street(parts[1])):
            yield street, place, [parts[0]], False


def _line_above(lines: Sequence[str], index: int) -> int | None:
    """The index of the nearest line above `index` with text, across one blank line."""
    for above in (index - 1, index - 2):
        if above < 0:
            return None
        if lines[above].strip():
            return above
    return None


def _lines_above(lines: Sequence[str], index: int) -> list[str]:
    """The lines of the block right above line `index`, at most a few."""
    above: list[str] = []
    while len(above) < _NAME_LINES_ABOVE:
        found = _line_above(lines, index)
        if found is None or _postcode_town(_field_value(lines[found])):
            break
        above.insert(0, lines[found].strip())
        index = found
    return above


def _name_choose(lines: Sequence[str]) -> str | None:
    """The sender's name among the lines above the street: a company's name if one is there,
    otherwise the line right above the street unless it only continues the one above it."""
    for line in lines:
        if _COMPANY.search(line) and (name := _name(line)):
            return name
    for line in reversed(lines):
        if not _CONTINUATION.match(line):
            return _name(line)
    return None
