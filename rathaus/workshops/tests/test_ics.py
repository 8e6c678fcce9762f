"""The calendar file is RFC 5545: CRLF lines of at most 75 octets, escaped text, UTC times."""

import datetime

import pytest

from rathaus.workshops.ics import event_ics

pytestmark = pytest.mark.django_db


def parse(ics: str) -> dict[str, str]:
    """Unfold the lines and read NAME:VALUE pairs of the VEVENT back (a minimal parser)."""
    assert ics.endswith("\r\n")
    raw = ics.split("\r\n")[:-1]
    for line in raw:
        assert len(line.encode("utf-8")) <= 75, line
        assert "\n" not in line and "\r" not in line
    unfolded: list[str] = []
    for line in raw:
        if line.startswith(" "):
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    inside = unfolded[unfolded.index("BEGIN:VEVENT") + 1 : unfolded.index("END:VEVENT")]
    props = {}
    for line in inside:
        name, _, value = line.partition(":")
        props[name] = value
    props["VERSION"] = next(line[8:] for line in unfolded if line.startswith("VERSION:"))
    return props


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            nxt = next(chars)
            out.append("\n" if nxt in "nN" else nxt)
        else:
            out.append(char)
    return "".join(out)


def test_the_calendar_file_reads_back_with_times_place_and_escaped_text(make_event):
    starts = datetime.datetime(2027, 3, 13, 9, 0, tzinfo=datetime.UTC)
    event = make_event(
        title="Workshop „smart“; Teil 1, mit Umlauten: äöüß",
        description="Zeile eins\nZeile zwei, mit Komma; und Semikolon \\ Backslash " + "ä" * 80,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=5),
        place="Stadtbibliothek Wuppertal\nKolpingstraße 8, 42103 Wuppertal",
    )
    props = parse(event_ics(event=event))
    assert props["VERSION"] == "2.0"
    assert props["DTSTART"] == "20270313T090000Z"
    assert props["DTEND"] == "20270313T140000Z"
    assert props["UID"].startswith(f"event-{event.pk}@")
    assert unescape(props["SUMMARY"]) == event.title
    assert unescape(props["DESCRIPTION"]) == event.description
    assert unescape(props["LOCATION"]) == (
        "Stadtbibliothek Wuppertal, Kolpingstraße 8, 42103 Wuppertal"
    )
    assert props["URL"].endswith(f"/veranstaltungen/{event.slug}/")
    assert len(props["DTSTAMP"]) == 16 and props["DTSTAMP"].endswith("Z")


def test_an_online_event_gives_its_link_only_to_participants(make_event):
    event = make_event(place="", online_url="https://meet.example.org/raum-42")
    with_link = parse(event_ics(event=event))
    assert with_link["LOCATION"] == "https://meet.example.org/raum-42"
    public = parse(event_ics(event=event, with_online_link=False))
    assert "LOCATION" not in public
    assert "meet.example.org" not in unescape(public["DESCRIPTION"])


def test_the_english_title_is_used_in_english(make_event, english):
    props = parse(event_ics(event=make_event()))
    assert props["SUMMARY"] == "Open data workshop"
