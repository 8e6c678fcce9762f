"""Field extraction from the OCR text of incoming letters: realistic snippets, OCR noise and
the numbers that must not be mistaken for references, IBANs or amounts."""

import dataclasses
import datetime
import logging
import random
from decimal import Decimal

import pytest
from stdnum import iban as stdnum_iban

from rathaus.intake.extraction import (
    ExtractedFields,
    Reference,
    Sender,
    fields_extract,
    iban_grouped,
    ibans_unread,
)

TODAY = datetime.date(2026, 11, 20)
OWN = ("Stadt Wuppertal (Demo)", "Johannes-Rau-Platz 1, 42275 Wuppertal")
CITY_BLOCK = "Stadt Wuppertal\nStraßen und Verkehr\nJohannes-Rau-Platz 1\n42275 Wuppertal"


def extract(text: str, **kwargs) -> ExtractedFields:
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("own_addresses", OWN)
    return fields_extract(text, **kwargs)


def values(text: str, **kwargs) -> list[str]:
    return [reference.value for reference in extract(text, **kwargs).references]


# ---------------------------------------------------------------- our file references


@pytest.mark.parametrize(
    "printed",
    [
        "WUP-104-2026-00042",
        "wup-104-2026-00042",
        "WUP - 104 - 2026 - 00042",
        "WUP 104 2026 00042",
        "WUP–104–2026–00042",  # en dash
        "WUP—104—2026—00042",  # em dash
        "WUP‐104‐2026‐00042",  # hyphen
        "WUP−104−2026−00042",  # minus sign
        "WUP-104-2026-\n00042",
        "WUP-104-\n2026-00042",
        "WUP-1O4-2026-O0042",
        "WUP-l04-2O26-0OO42",
        "WUP-1 04-2026-000 42",
        "W UP-104-2026-00042",
        "WUP/104/2026/00042",
        "WUP104202600042",
    ],
)
def test_our_reference_is_read_through_ocr_noise(printed):
    text = f"Widerspruch gegen den Bescheid, Aktenzeichen {printed}, vom 03.11.2026"
    [reference] = extract(text).references
    assert reference == Reference(
        value="WUP-104-2026-00042",
        kind="ours",
        department="104",
        span=reference.span,
    )
    assert text[reference.span[0] : reference.span[1]] == printed


def test_our_reference_keeps_its_department_and_the_configured_prefix():
    text = "Bezug: KRE-302-2025-01234 und WUP-104-2026-00042"
    [reference] = extract(text, reference_prefix="KRE").references
    assert (reference.value, reference.department) == ("KRE-302-2025-01234", "302")


@pytest.mark.parametrize(
    "printed",
    [
        "WUP-104-1999-00042",  # before Rathaus could have issued it
        "WUP-104-2028-00042",  # later than next year
        "WUP-10-2026-00042",  # department codes have three digits
        "WUP-000-2026-00042",
        "WUP-104-2026-00000",
        "WUP-104-2026-0042",  # one digit short
        "WUP-104-2026-000421",  # one digit too many
        "XWUP-104-2026-00042",
        "WUP-104-2026-00042B",
    ],
)
def test_implausible_or_malformed_references_are_not_ours(printed):
    assert values(f"Bitte {printed} angeben") == []
    # After a label it is still a code the letter quotes, but not one of ours.
    references = extract(f"Aktenzeichen {printed} bitte angeben").references
    assert [reference.kind for reference in references] in ([], ["other"])


def test_next_year_is_plausible_the_year_after_is_not():
    assert values("WUP-104-2027-00001 WUP-104-2028-00001") == ["WUP-104-2027-00001"]


def test_a_reference_quoted_twice_is_returned_once_and_references_keep_their_order():
    text = (
        "Bescheid WUP-106-2026-00007 vom 1.10.2026. Bezug: Kassenzeichen 5.2026.004711.\n"
        "Nochmals: WUP-106-2026-00007; außerdem WUP-104-2025-00815."
    )
    assert values(text) == ["WUP-106-2026-00007", "5.2026.004711", "WUP-104-2025-00815"]


def test_our_reference_without_the_prefix_after_a_label_is_ours():
    [reference] = extract("Aktenzeichen: 104-2026-00042").references
    assert (reference.value, reference.kind) == ("WUP-104-2026-00042", "ours")


def test_our_reference_after_a_label_is_not_also_another_authoritys():
    [reference] = extract("Ihr Zeichen: WUP-201-2026-00315").references
    assert reference.kind == "ours"


# ---------------------------------------------------------------- other authorities' references


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Az. 32.1-0815/26", "32.1-0815/26"),
        ("Az.: 32.1-0815/26.", "32.1-0815/26"),
        ("AZ 32.1-0815/26 vom 03.11.2026", "32.1-0815/26"),
        ("Kassenzeichen 5.2026.004711", "5.2026.004711"),
        ("Kassenzeichen: 5.2026.004711, Betrag 30,00 €", "5.2026.004711"),
        ("Aktenzeichen: 63-B-2026-0173", "63-B-2026-0173"),
        ("Aktenzeichen 63 - B - 2026 - 0173", "63-B-2026-0173"),
        ("Aktenzeichen: 63–B–2026–0173", "63-B-2026-0173"),
        ("Bußgeld-Nr. 7.26.123456.8", "7.26.123456.8"),
        ("Bussgeld-Nr.: 7.26.123456.8", "7.26.123456.8"),
        ("BuBgeld-Nr. 7.26.123456.8", "7.26.123456.8"),
        ("Geschäftszeichen: III/2-4711", "III/2-4711"),
        ("Geschaftszeichen: III/2-4711", "III/2-4711"),
        ("Ihr Zeichen: MB/2026/117", "MB/2026/117"),
        ("Unser Zeichen: K-2026-0815", "K-2026-0815"),
        ("Unser Az. 12 O 345/26", None),  # a court's register: space-separated, not read
        ("Az. 32.1-O815/26", "32.1-0815/26"),
        ("Az. 32.l-O815/26", "32.1-0815/26"),
        ("Kassen-\nzeichen 5.2026.004711", "5.2026.004711"),
        ("Aktenzeichen:\n\n4.26.2009081\n\nTattag", "4.26.200908.1"),  # OCR lost the last dot
    ],
)
def test_other_authorities_references_are_read_after_their_label(text, expected):
    references = extract(text).references
    if expected is None:
        assert references == ()
        return
    assert [
        (reference.value, reference.kind, reference.department) for reference in references
    ] == [(expected, "other", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zu Ihrem Schreiben 7.26.123456.8:", "7.26.123456.8"),
        ("Betreff: Hundesteuer (5.2026.004711)", "5.2026.004711"),
        ("Betreff: Anhörungsbogen – 48.4-4515/26", "48.4-4515/26"),
        ("Bauantrag 63-B-2026-0173, Nachreichung", "63-B-2026-0173"),
        ("Wuppertal — AZ. 63-\n\nB-2026-0840\n\nSehr geehrte", "63-B-2026-0840"),
        ("Ihr Schreiben 7.26.l23456.8", "7.26.123456.8"),
        ("Hundesteuer (5.2O26.OO4711)", "5.2026.004711"),
        ("Steuer-Nr.: O.2026.004711", "0.2026.004711"),
        ("Bauantrag 63 – B – 2026 – O173", "63-B-2026-0173"),
        ("Bauakte 63-O-2026-0173", "63-O-2026-0173"),  # the letter stays a letter
        ("Anhörung 32.I-0815 / 26", "32.1-0815/26"),
        ("Betr. Bußgeld 6.26.5306711:", "6.26.530671.1"),  # OCR lost the last dot
    ],
)
def test_the_citys_other_formats_are_recognised_without_a_label(text, expected):
    [reference] = extract(text).references
    assert (reference.value, reference.kind) == (expected, "other")


@pytest.mark.parametrize(
    "text",
    [
        "Version 5.2026.1 vom Server",
        "Betrag 1.234.567,89 €",
        "Bauantrag 63-B-2026-01735",
        "Nummer 17.26.123456.8",
        "Zählerstand 5.2026.0047110",
        "Nummer 7.26.12345678",
        "Nummer 17.26.1234567",
    ],
)
def test_near_misses_of_the_known_formats_are_no_references(text):
    assert extract(text).references == ()


@pytest.mark.parametrize(
    "text",
    [
        "Ihr Zeichen: Sch/Mü",  # initials, no number
        "Ihr Zeichen, Ihre Nachricht vom",
        "Aktenzeichen: siehe oben",
        "Rechnungsnummer: RE-2026-00042",
        "Rechnung Nr. 104-2026-00042",
        "Kundennummer 4711-0815",
        "Tel. 0202 563-1234, Fax 0202 563-1235",
        "Telefon +49 202 5631234",
        "Hauptstraße 12, 42103 Wuppertal",
        "Steuernummer 132/5738/0123",
        "Azubi 2026-12",
    ],
)
def test_numbers_without_a_reference_label_are_no_references(text):
    assert extract(text).references == ()


# ---------------------------------------------------------------- IBANs


@pytest.mark.parametrize(
    "printed",
    [
        "DE44 5001 0517 5407 3249 31",
        "DE44500105175407324931",
        "DE44 5001 0517\n5407 3249 31",
        "DE 44 5001 0517 5407 3249 31",
        "DE44 5OO1 O517 54O7 3249 3l",  # O for 0, l for 1
        "DE44 S001 0517 5407 3249 31",  # S: 5 or 8, the checksum decides
        "DE44 5001 0517 5407 3249 3I",
        "DE44  5001  0517  5407  3249  31",
        "DE4? 5001 0517 5407 3249 31",  # ?: Tesseract could not read it, the checksum can
        "DE44 5001. 0517 5407 3249 31",  # a speck of dust read as a dot
        "DE44 5001 0517 - 5407 3249 31",
        "DE44 5001 05|7 5407 3249 31",  # |: a 1
    ],
)
def test_a_german_iban_is_read_through_ocr_noise(printed):
    fields = extract(f"Bitte überweisen Sie den Betrag auf IBAN: {printed}\nBIC: INGDDEFFXXX")
    assert fields.ibans == ("DE44500105175407324931",)


def test_one_letter_that_looks_like_no_digit_is_read_by_the_checksum():
    assert extract("IBAN DEOY 9999 0003 9106 9180 53").ibans == ("DE09999900039106918053",)
    assert extract("IBAN DE44 5001 0517 54X7 3249 31").ibans == ("DE44500105175407324931",)


def test_a_look_alike_right_after_the_country_code_starts_an_iban():
    assert extract("IBAN DES3 9999 0004 5582 7957 59").ibans == ("DE53999900045582795759",)


def test_an_ampersand_and_a_slash_are_read_as_digits_inside_an_iban_only():
    # Seen on generated scans: "&" for an 8, "/" for a 7 whose bar a speck broke.
    assert extract("IBAN DE&4 9999 0004 27296781 35").ibans == ("DE84999900042729678135",)
    fields = extract("auf IBAN DE43 1234\n5678 7/56 8824 38,\nAz. 14.8-2180/26")
    assert fields.ibans == ("DE43123456787756882438",)
    assert [r.value for r in fields.references] == ["14.8-2180/26"]


@pytest.mark.parametrize(
    ("text", "unread"),
    [
        ("Bitte auf IBAN DE43 9999 0003 0693 9023 90 überweisen", ["DE43"]),  # 8 read as 3
        ("Konto DE43 9999 0003 0693 9023 90", ["DE43"]),  # an IBAN's length on the line
        ("auf IBAN DE51 9999\n0003", ["DE51"]),  # cut short, after the word IBAN
        ("IBAN DE44 5001 0517 5407 3249 31", []),  # read
        ("USt-IdNr. DE123456789", []),  # a tax number is no IBAN
        ("Hergestellt in DE, 2026", []),
    ],
)
def test_ibans_that_could_not_be_read_are_named_for_a_second_reading(text, unread):
    assert [text[start : start + 4] for start in ibans_unread(text)] == unread


def test_an_iban_is_printed_in_groups_of_four():
    assert iban_grouped("DE44500105175407324931") == "DE44 5001 0517 5407 3249 31"


def test_b_for_8_is_repaired_where_a_digit_must_stand():
    assert extract("IBAN DE39 5001 0517 B888 8888 88").ibans == ("DE39500105178888888888",)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("AT61 1904 3002 3457 3201", "AT611904300234573201"),
        ("NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"),
        ("NL91 A8NA 0417 1643 00", "NL91ABNA0417164300"),  # 8 where a letter must stand
        ("GB29 NWBK 6016 1331 9268 19", "GB29NWBK60161331926819"),
        ("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
        ("CH93 0076 2011 6238 5295 7", "CH9300762011623852957"),
        ("BE71 0961 2345 6769", "BE71096123456769"),
    ],
)
def test_ibans_of_other_sepa_countries_are_accepted(printed, expected):
    assert extract(f"Konto: {printed}").ibans == (expected,)


@pytest.mark.parametrize(
    "printed",
    [
        "DE44 5001 0517 5407 3249 32",  # one digit wrong
        "DE44 5001 0517 5407 3294 31",  # two digits swapped
        "DE45 5001 0517 5407 3249 31",
        "DE44 5001 0517 5407 3249 3",  # one digit short
        "DE44 5001 0517 5407 3249 311",  # one digit too many
        "DE44500105175407324931X",
        "DE44 5001 0517 54X7 3249 3X",  # two letters that look like no digit
        "DE44 5001 0517 54X7 3249 3S",  # one of them, and a look-alike of two readings
        "US44 5001 0517 5407 3249 31",  # not an IBAN country
    ],
)
def test_checksum_invalid_or_malformed_ibans_are_rejected(printed):
    assert extract(f"IBAN: {printed}").ibans == ()


def test_too_many_lookalikes_are_not_repaired_into_an_iban():
    # Enough letters that some reading would pass the checksum by accident.
    assert extract("DE44 SOOS OSlS SSOS SBSB SB").ibans == ()


@pytest.mark.parametrize(
    "text",
    [
        "USt-IdNr.: DE 123 456 789\nHRB 12345 Amtsgericht Wuppertal",
        "Kontonummer 5407324931, BLZ 500 105 17",
        "Tel. +49 202 563 1234 5678 90",
        "Rechnungsnummer DE-2026-000042-7788-12",
        "Wir sind IT 2026 0000 0000 0000 0000 000 Spezialisten",
    ],
)
def test_numbers_that_resemble_an_iban_are_not_ibans(text):
    assert extract(text).ibans == ()


def test_several_ibans_are_returned_in_order_once_each():
    text = (
        "Alt: DE44 5001 0517 5407 3249 31\nNeu: AT61 1904 3002 3457 3201\n"
        "Nochmals alt: DE44500105175407324931"
    )
    assert extract(text).ibans == ("DE44500105175407324931", "AT611904300234573201")


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("03.11.2026", datetime.date(2026, 11, 3)),
        ("3.11.2026", datetime.date(2026, 11, 3)),
        ("3.11.26", datetime.date(2026, 11, 3)),
        ("03. 11. 2026", datetime.date(2026, 11, 3)),
        ("3. November 2026", datetime.date(2026, 11, 3)),
        ("Dienstag, 3. November 2026", datetime.date(2026, 11, 3)),
        ("03. Nov. 2026", datetime.date(2026, 11, 3)),
        ("3 Nov 2026", datetime.date(2026, 11, 3)),
        ("1. März 2026", datetime.date(2026, 3, 1)),
        ("1. Marz 2026", datetime.date(2026, 3, 1)),
        ("1. Mai 26", datetime.date(2026, 5, 1)),
        ("2026-11-03", datetime.date(2026, 11, 3)),
        ("O3.11.2026", datetime.date(2026, 11, 3)),
        ("03.1l.2026", datetime.date(2026, 11, 3)),
        ("12.05.1975", datetime.date(1975, 5, 12)),
    ],
)
def test_dates_are_read_in_german_and_iso_notation(printed, expected):
    assert extract(f"Ihr Schreiben vom {printed} habe ich erhalten.").dates == (expected,)


@pytest.mark.parametrize(
    "printed",
    ["31.02.2026", "32.01.2026", "12.13.2026", "29.02.2025", "2026-02-30", "31. April 2026"],
)
def test_impossible_dates_are_ignored(printed):
    assert extract(f"Termin am {printed}").dates == ()


@pytest.mark.parametrize(
    "text",
    [
        "Kassenzeichen 5.2026.004711",
        "Bußgeld-Nr. 7.26.123456.8",
        "Gliederung 1.2.3 und 4.5",
        "Betrag 1.234,56 €",
        "Sprechzeit 10.30 Uhr bis 12.00 Uhr",
        "Tel. 0202.563.1234",
        "IBAN DE44 5001 0517 5407 3249 31",
        "am 3. November",  # no year: not guessed
    ],
)
def test_numbers_that_are_not_dates_are_not_dates(text):
    assert extract(text).dates == ()


def test_dates_keep_their_order_and_each_appears_once():
    text = "Bescheid vom 01.10.2026, Frist 2. November 2026, nochmals 1.10.26, ISO 2026-09-30"
    assert extract(text).dates == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 11, 2),
        datetime.date(2026, 9, 30),
    )


# ---------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("1.234,56 €", "1234.56"),
        ("1234,56 €", "1234.56"),
        ("12,50€", "12.50"),
        ("EUR 30,00", "30.00"),
        ("30,00 EUR", "30.00"),
        ("30,- €", "30.00"),
        ("30,-- €", "30.00"),
        ("30,– €", "30.00"),
        ("€ 12.50", "12.50"),  # a dot with two digits after it: cents
        ("€ 1.250", "1250.00"),  # a dot with three digits after it: thousands
        ("50 Euro", "50.00"),
        ("1.250,00 EUR", "1250.00"),
        ("EUR: 99,90", "99.90"),
        ("12.345.678,90 €", "12345678.90"),
        ("36, 78 €", "36.78"),  # OCR's stray spaces
        ("6. 441, 80 €", "6441.80"),
        ("EUR 1. 587, 00", "1587.00"),
    ],
)
def test_euro_amounts_are_read_in_their_usual_notations(printed, expected):
    assert extract(f"Die Gebühr beträgt {printed} und ist fällig.").amounts == (Decimal(expected),)


def test_an_amount_without_currency_counts_on_a_line_about_money():
    fields = extract("Rechnungsbetrag: 119,00\nWohnfläche 72,50\nSumme netto 100,00")
    assert fields.amounts == (Decimal("119.00"), Decimal("100.00"))


@pytest.mark.parametrize(
    "text",
    [
        "Die Wohnung hat 72,50 m².",
        "Gesamtfläche 72,50 m²",
        "Hauptstraße 12, 42103 Wuppertal",
        "Rechnungsnummer 2026-0042",
        "Rechnung Nr. 4711 vom 03.11.2026",
        "Tel. 0202 123456",
        "zzgl. 19 % MwSt",
        "MwSt-Satz 19,00 %",
        "IBAN DE44 5001 0517 5407 3249 31",
        "Kassenzeichen 5.2026.004711",
        "Bescheid vom 03.11.2026",
        "Einwohner: 355.100",
    ],
)
def test_numbers_that_are_not_money_are_not_amounts(text):
    assert extract(text).amounts == ()


def test_a_quantity_before_a_price_is_not_read_as_thousands():
    assert extract("2 Stück à 100,00 €").amounts == (Decimal("100.00"),)
    # A spaced thousands separator (OCR) needs cents after it.
    assert extract("Wir zahlen am 3. 100 € ein").amounts == (Decimal("100.00"),)


INVOICE = """Müller Haustechnik GmbH
Industriestraße 5
42277 Wuppertal

Stadt Wuppertal
Stadtkasse
Johannes-Rau-Platz 1
42275 Wuppertal

Rechnung Nr. 2026-0815                                  Datum: 03.11.2026
Kundennummer 4711

Pos  Leistung                    Menge  Einzelpreis   Gesamt
1    Wartung Heizungsanlage      2      150,00 €      300,00 €
2    Dichtungssatz               1      45,50 €       45,50 €
Zwischensumme                                         345,50 €
Summe netto                                           345,50 €
zzgl. 19 % MwSt                                       65,65 €
Gesamtbetrag                                          411,15 €

Bitte überweisen Sie den Betrag bis zum 17.11.2026 auf
IBAN DE44 5001 0517 5407 3249 31.
"""


def test_an_invoice_gives_every_amount_in_order_and_its_total():
    fields = extract(INVOICE)
    assert fields.amounts == tuple(
        Decimal(amount) for amount in ["150.00", "300.00", "45.50", "345.50", "65.65", "411.15"]
    )
    assert fields.total == Decimal("411.15")
    assert fields.ibans == ("DE44500105175407324931",)
    assert fields.dates == (datetime.date(2026, 11, 3), datetime.date(2026, 11, 17))
    assert fields.references == ()
    assert fields.sender == Sender(
        "Müller Haustechnik GmbH", "Industriestraße 5", "42277", "Wuppertal"
    )


def test_the_amount_to_pay_is_the_total_even_above_the_gross_sum():
    text = "Rechnungsbetrag 500,00 €\nabzüglich Anzahlung 200,00 €\nNoch zu zahlen: 300,00 €"
    assert extract(text).total == Decimal("300.00")


def test_a_total_on_the_line_below_its_label_counts():
    assert extract("Gesamtbetrag:\n1.190,00 EUR\n").total == Decimal("1190.00")


def test_without_a_totals_line_there_is_no_total():
    assert extract("Die Gebühr von 30,00 € und Auslagen von 5,00 €").total is None
    assert extract("Zwischensumme 30,00 €\nMwSt 5,70 €").total is None


# ---------------------------------------------------------------- sender


def test_the_sender_is_the_block_above_the_citys_address():
    text = (
        f"Max Mustermann\nHauptstraße 12\n42103 Wuppertal\n\n{CITY_BLOCK}\n\nWuppertal, 03.11.2026"
    )
    assert extract(text).sender == Sender("Max Mustermann", "Hauptstraße 12", "42103", "Wuppertal")


def test_the_sender_below_the_citys_address_is_found_and_the_city_is_never_the_sender():
    text = f"{CITY_BLOCK}\n\nErika Musterfrau\nAm Wall 3a\n42349 Wuppertal\n\nBetreff: Hund"
    assert extract(text).sender == Sender("Erika Musterfrau", "Am Wall 3a", "42349", "Wuppertal")
    assert extract(f"{CITY_BLOCK}\n\nSehr geehrte Damen und Herren,").sender is None


def test_the_citys_address_comes_from_the_argument():
    other_city = ("Stadt Musterstadt", "Marktplatz 1, 12345 Musterstadt")
    text = (
        "Stadt Musterstadt\nMarktplatz 1\n12345 Musterstadt\n\nMax Muster\nWeg 2\n42103 Wuppertal"
    )
    assert extract(text, own_addresses=other_city).sender.name == "Max Muster"
    # Without it the first block in the head is taken, whoever it is.
    assert extract(text, own_addresses=()).sender.name == "Stadt Musterstadt"


def test_the_citys_address_is_recognised_by_its_street_without_its_name():
    text = (
        "Bußgeldstelle\nJohannes-Rau-Platz 1\n42275 Wuppertal\n\n"
        "Anna Beck\nTalstr. 7\n42275 Wuppertal"
    )
    assert extract(text).sender == Sender("Anna Beck", "Talstr. 7", "42275", "Wuppertal")


@pytest.mark.parametrize(
    "line",
    [
        "Max Mustermann · Hauptstraße 12 · 42103 Wuppertal",
        "Max Mustermann, Hauptstraße 12, 42103 Wuppertal",
        "Absender: Max Mustermann, Hauptstraße 12, 42103 Wuppertal",
        "Max Mustermann | Hauptstraße 12 | 42103 Wuppertal | Tel. 0202 123456",
    ],
)
def test_a_sender_on_one_line_is_split_into_its_parts(line):
    text = f"{line}\n{CITY_BLOCK}\n\nBetreff: Antrag"
    assert extract(text).sender == Sender("Max Mustermann", "Hauptstraße 12", "42103", "Wuppertal")


def test_a_company_letterhead_names_the_company_not_the_contact():
    text = "Kanzlei Schröder & Partner\nRechtsanwälte\nKönigstraße 10-12\n42103 Wuppertal\n"
    assert extract(text).sender == Sender(
        "Kanzlei Schröder & Partner", "Königstraße 10-12", "42103", "Wuppertal"
    )


@pytest.mark.parametrize(
    ("letterhead", "name"),
    [
        ("Rechtsanwälte Kurz & Lang\nRechtsanwälte\n", "Rechtsanwälte Kurz & Lang"),
        ("Anwaltskanzlei Roth & Kollegen\n", "Anwaltskanzlei Roth & Kollegen"),
        ("Wupperbau GmbH\n", "Wupperbau GmbH"),
    ],
)
def test_a_letterhead_with_street_and_town_on_one_line(letterhead, name):
    text = f"{letterhead}Luisenstraße 12 · 42103 Wuppertal · Tel. 030 23125-123\n\n{CITY_BLOCK}"
    assert extract(text).sender == Sender(name, "Luisenstraße 12", "42103", "Wuppertal")


def test_a_title_line_above_the_name_is_not_the_name():
    text = "WIDERSPRUCH\nAnna von der Heide\nFriedrich-Ebert-Str. 101\n42117 Wuppertal\n"
    assert extract(text).sender == Sender(
        "Anna von der Heide", "Friedrich-Ebert-Str. 101", "42117", "Wuppertal"
    )


def test_the_name_and_address_of_an_email_printout():
    text = (
        "Von: Jonas Weber <jonas.weber@example.org>\n"
        "Gesendet: Dienstag, 3. November 2026 09:14\n"
        "An: post@stadt.example\n"
        "Betreff: Kita-Platz für unsere Tochter\n\n"
        "Sehr geehrte Damen und Herren,\nwir suchen ab dem 1. März 2027 einen Platz.\n\n"
        "Mit freundlichen Grüßen\nJonas Weber\nLuisenstraße 40\n42103 Wuppertal\n"
    )
    assert extract(text).sender == Sender("Jonas Weber", "Luisenstraße 40", "42103", "Wuppertal")


def test_an_email_printout_without_address_gives_the_name_only():
    text = "Von: Jonas Weber <jonas.weber@example.org>\nBetreff: Frage\n\nWann ist geöffnet?"
    assert extract(text).sender == Sender("Jonas Weber", None, None, None)


def test_a_filled_form_gives_its_address_fields():
    text = (
        "Antrag auf einen Bewohnerparkausweis\n"
        "Name: Lena Schäfer\n"
        "Straße, Hausnummer: Friedrichstraße 3\n"
        "PLZ, Ort: 42105 Wuppertal\n"
        "Kennzeichen: W-LS 123\n"
    )
    assert extract(text).sender == Sender("Lena Schäfer", "Friedrichstraße 3", "42105", "Wuppertal")


def test_a_numbered_form_with_surname_and_first_names_apart():
    text = (
        "Gewerbe-Anmeldung\nnach § 14 GewO – Vordruck GewA 1\n\nAngaben zum Betriebsinhaber\n\n"
        "1 Name: Berger\n2 Vornamen: Sophie\n3 Geburtsdatum: 25.12.1984\n"
        "5 Anschrift der Wohnung: Friedrich-Ebert-Straße 178b, 42103 Wuppertal\n\n"
        "Angaben zum Betrieb\n\nBetriebsstätte: Hofaue 5, 42103 Wuppertal\n"
    )
    assert extract(text).sender == Sender(
        "Sophie Berger", "Friedrich-Ebert-Straße 178b", "42103", "Wuppertal"
    )


def test_a_form_names_the_person_who_lives_at_its_address():
    text = (
        "Anmeldung Kindertageseinrichtung\n\nAngaben zum Kind\n\n"
        "Name, Vorname: Voigt, Karin\nGeburtsdatum: 11. September 2025\n\n"
        "Erziehungsberechtigte\n\nName, Vorname: Voigt, Julia\n"
        "Anschrift: Lüttringhauser Straße 115, 42369 Wuppertal\n"
    )
    assert extract(text).sender == Sender(
        "Julia Voigt", "Lüttringhauser Straße 115", "42369", "Wuppertal"
    )


def test_a_form_filled_in_by_a_firm():
    text = (
        "Wohnungsgeberbestätigung\nnach § 19 Bundesmeldegesetz (BMG)\n\nWohnungsgeber\n\n"
        "Name: Keller Hausverwaltung OHG\nAnschrift: Berliner Straße 2, 42277 Wuppertal\n\n"
        "Angaben zur Wohnung\n\nAnschrift der Wohnung: Berliner Straße 90, 42277 Wuppertal\n"
        "Name, Vorname: Hartmann, Agnieszka\n"
    )
    assert extract(text).sender == Sender(
        "Keller Hausverwaltung OHG", "Berliner Straße 2", "42277", "Wuppertal"
    )


@pytest.mark.parametrize(
    "name",
    [
        "Voigt & Bruckhaus Steuerberatung PartG mbB",
        "Schwebegarten- und landschaftsbau GmbH",
        "Schäfer & Winter Garten- und Landschaftsbau GmbH & Co. KG",
        "TSV Wuppertal-Ost 1887 e.V.",
        "Bäckerei Schmitz e.K.",
    ],
)
def test_firm_names_keep_their_legal_form_lower_case_words_and_numbers(name):
    text = f"{name}\nGathe 15 · 42107 Wuppertal\n\n{CITY_BLOCK}\n"
    assert extract(text).sender.name == name


def test_ocr_blank_lines_inside_blocks_and_fields_below_their_labels():
    # What Tesseract makes of a sender block, the city's block and a form.
    letter = (
        "Ralf Aydın\n\nHatzfelder StraBe 137\n42281 Wuppertal\n\nAn die Stadt Wuppertal\n"
        "Eingangsstelle\n\nNeumarkt 10\n\n42103 Wuppertal\n\nGewerbeabmeldung\n\nGuten Tag,"
    )
    assert extract(letter).sender == Sender(
        "Ralf Aydın", "Hatzfelder Straße 137", "42281", "Wuppertal"
    )
    form = (
        "Bewohnerparkausweis - Antrag\n\nFamilienname:\n\nHeinrich\n\nVorname:\nBrigitte\n"
        "Geburtsdatum:\n\n17.11.1945\n\nStraße und Hausnummer:\n\nWichlinghauser Straße 122\n\n"
        "PLZ, Ort.\n\n42277 Wuppertal\n"
    )
    assert extract(form).sender == Sender(
        "Brigitte Heinrich", "Wichlinghauser Straße 122", "42277", "Wuppertal"
    )


def test_a_stray_full_stop_after_a_name_is_dropped_an_abbreviation_kept():
    text = "Talverkehrstechnik GmbH.\n\nFeldstraße 122b - 40822 Mettmann - Tel. 040 66969-272\n"
    assert extract(text).sender.name == "Talverkehrstechnik GmbH"
    text = "Heimatverein Cronenberg e.V.\nHauptstraße 1\n42349 Wuppertal\n"
    assert extract(text).sender.name == "Heimatverein Cronenberg e.V."


def test_ocr_noise_in_the_postcode_is_repaired():
    text = "Max Mustermann\nHauptstraße 12\n421O3 Wuppertal\n"
    assert extract(text).sender.postcode == "42103"


def test_an_address_in_a_sentence_has_no_sender_name():
    text = (
        "Sehr geehrte Damen und Herren,\n"
        "das Grundstück liegt an der\nHauptstraße 12\n42103 Wuppertal\nund ist bebaut."
    )
    assert extract(text).sender is None


def test_a_letter_without_any_address_has_no_sender():
    assert extract("Sehr geehrte Damen und Herren,\nbitte rufen Sie mich an.").sender is None


# ---------------------------------------------------------------- the whole result


LETTER = """Max Mustermann
Hauptstraße 12
42103 Wuppertal

Stadt Wuppertal
Straßen und Verkehr
Johannes-Rau-Platz 1
42275 Wuppertal

Wuppertal, 10. November 2026

Widerspruch gegen den Bescheid vom 03.11.2026
Aktenzeichen WUP-1O4-2026-
00042

Sehr geehrte Damen und Herren,

gegen den oben genannten Bescheid (Gebühr 30,00 €) lege ich Widerspruch ein. Die Gebühr habe
ich bereits von meinem Konto DE44 5001 0517 5407 3249 31 überwiesen (Kassenzeichen
5.2026.004711). Meine Telefonnummer: 0202 563 1234.

Mit freundlichen Grüßen
Max Mustermann
"""


def test_a_letter_gives_all_its_fields_in_the_gold_data_format():
    fields = extract(LETTER)
    assert fields.as_json() == {
        "references": ["WUP-104-2026-00042", "5.2026.004711"],
        "dates": ["2026-11-10", "2026-11-03"],
        "ibans": ["DE44500105175407324931"],
        "amounts": ["30.00"],
        "sender": {
            "name": "Max Mustermann",
            "street": "Hauptstraße 12",
            "postcode": "42103",
            "town": "Wuppertal",
        },
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        fields.ibans = ()


def test_an_empty_text_gives_empty_fields():
    fields = extract("")
    assert fields == ExtractedFields((), (), (), (), None, None)
    assert fields.as_json() == {
        "references": [],
        "dates": [],
        "ibans": [],
        "amounts": [],
        "sender": None,
    }


def test_extraction_defaults_to_the_current_year_for_plausibility():
    this_year = datetime.date.today().year
    text = f"WUP-104-{this_year}-00001 WUP-104-{this_year + 2}-00001"
    assert [r.value for r in fields_extract(text).references] == [f"WUP-104-{this_year}-00001"]


def test_garbage_text_never_fails_and_never_yields_an_invalid_iban():
    rng = random.Random(6)
    alphabet = "DEAT0123456789OolISsBZ .,-–/:€\n" + "abcdefghijklmnopqrstuvwxyzäöüß"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        fields = fields_extract(text, today=TODAY, own_addresses=OWN)
        assert all(stdnum_iban.is_valid(value) for value in fields.ibans)
        assert all(amount >= 0 for amount in fields.amounts)
        fields.as_json()


def test_nothing_is_logged(caplog):
    # The text and every value in it are personal data.
    with caplog.at_level(logging.DEBUG):
        extract(LETTER)
        extract(INVOICE)
    assert caplog.records == []
