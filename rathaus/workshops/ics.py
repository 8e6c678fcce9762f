"""iCalendar (RFC 5545) files for an event, written by hand: one VEVENT, times in UTC."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import Event

PRODID = "-//Rathaus//Veranstaltungen//DE"


def _text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Fold a content line after 75 octets, never inside a UTF-8 character (RFC 5545 3.1)."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not parts else 74  # continuation lines start with a space
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def event_uid(event: Event) -> str:
    host = urlsplit(settings.RATHAUS_SITE_URL).hostname or "rathaus.invalid"
    return f"event-{event.pk}@{host}"


def event_ics(*, event: Event, with_online_link: bool = True) -> str:
    """The event as an iCalendar file; the online link only for confirmed participants."""
    url = settings.RATHAUS_SITE_URL + reverse("events:detail", args=[event.slug])
    description = event.display_description
    location = event.place.replace("\n", ", ").strip()
    if event.online_url and with_online_link:
        description += "\n\n" + event.online_url
        location = location or event.online_url
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event_uid(event)}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"SUMMARY:{_text(event.display_title)}",
        f"DESCRIPTION:{_text(description)}",
    ]
    if location:
        lines.append(f"LOCATION:{_text(location)}")
    lines += [f"URL:{url}", "STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "".join(_fold(line) + "\r\n" for line in lines)
