"""The demo city's consultation: a fictional redesign of the Laurentiusplatz in Wuppertal."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from rathaus.accounts.models import Department

from .models import Consultation, Option, Project, ProjectDocument, Question, TimelineEntry

DEMO_SLUG = "umgestaltung-laurentiusplatz"


def _pdf(title: str) -> bytes:
    """A one-page PDF with one line of text (the demo's stand-in for a planning document)."""
    text = title.encode("latin-1", "replace")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


QUESTIONS = [
    {
        "kind": "single",
        "text": "Welcher Entwurf gefällt Ihnen am besten?",
        "required": True,
        "options": ["Entwurf A: Platz mit Bäumen", "Entwurf B: Platz mit Wasserspiel"],
    },
    {
        "kind": "multiple",
        "text": "Was wünschen Sie sich auf dem Platz?",
        "hint": "Mehrere Antworten möglich.",
        "options": ["Mehr Sitzbänke", "Fahrradbügel", "Spielgeräte", "Außengastronomie"],
    },
    {
        "kind": "scale",
        "text": "Wie wichtig ist Ihnen Schatten auf dem Platz?",
        "required": True,
        "scale_low": "unwichtig",
        "scale_high": "sehr wichtig",
    },
    {"kind": "text", "text": "Was möchten Sie der Stadt noch mitgeben?"},
]


@transaction.atomic
def consultation_demo_ensure(*, now: datetime.datetime | None = None) -> Project:
    """Create the demo project with an open consultation once; an existing one stays as it is."""
    existing = Project.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    today = timezone.localdate(now)
    project = Project.objects.create(
        slug=DEMO_SLUG,
        title="Umgestaltung Laurentiusplatz",
        summary=(
            "Der Laurentiusplatz in Elberfeld soll grüner, schattiger und barrierefrei werden. "
            "Sagen Sie uns, welcher Entwurf Ihnen gefällt."
        ),
        description=(
            "Der Platz vor der Laurentiuskirche ist ein Treffpunkt im Luisenviertel. Pflaster, "
            "Beleuchtung und Bänke sind in die Jahre gekommen, im Sommer fehlt Schatten.\n\n"
            "Zwei Entwürfe stehen zur Wahl. Ihre Kommentare und Antworten fließen in die "
            "Entscheidung des Bezirksvertretung ein. (Ein erfundenes Beispiel der Demo-Stadt.)"
        ),
        department=Department.objects.get(code="104"),
        address="Laurentiusplatz, 42103 Wuppertal",
        latitude="51.255400",
        longitude="7.141900",
        published=True,
        created_at=now,
    )
    for days, text in [
        (-30, "Vorstellung der Entwürfe in der Bezirksvertretung Elberfeld"),
        (-14, "Beginn der Online-Beteiligung"),
        (42, "Ende der Online-Beteiligung"),
        (90, "Beschluss über den Entwurf"),
    ]:
        TimelineEntry.objects.create(
            project=project, date=today + datetime.timedelta(days=days), text=text
        )
    for title in ["Entwurf A: Platz mit Bäumen", "Entwurf B: Platz mit Wasserspiel"]:
        document = ProjectDocument(project=project, title=title, uploaded_at=now)
        document.file.save(f"{DEMO_SLUG}.pdf", ContentFile(_pdf(title)), save=False)
        document.save()
    consultation = Consultation.objects.create(
        project=project,
        opens_at=now - datetime.timedelta(days=14),
        closes_at=now + datetime.timedelta(days=42),
    )
    for position, spec in enumerate(QUESTIONS, start=1):
        question = Question.objects.create(
            consultation=consultation,
            position=position,
            kind=spec["kind"],
            text=spec["text"],
            hint=spec.get("hint", ""),
            required=spec.get("required", False),
            scale_low=spec.get("scale_low", ""),
            scale_high=spec.get("scale_high", ""),
        )
        for number, label in enumerate(spec.get("options", []), start=1):
            Option.objects.create(question=question, position=number, label=label)
    return project
