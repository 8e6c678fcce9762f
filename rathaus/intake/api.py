"""The scanners' API: `POST /api/intake/` with a scanner's token (docs/intake.md).

    curl -H "Authorization: Bearer $TOKEN" -F file=@scan.pdf https://service.stadt.example/api/intake/

Answers are JSON. A request sent again with the same `Idempotency-Key` header gets the receipts
of the first one; the same file sent again is recognised as a duplicate.
"""

import re
import uuid

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import services
from .models import Channel, IntakeItem

_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,80}$")
# Room for the multipart envelope around the files.
ENVELOPE_BYTES = 64 * 1024


def _error(message, status: int, **headers) -> JsonResponse:
    response = JsonResponse({"error": str(message)}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _scanner(request):
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return services.scanner_authenticate(token=token.strip())


def _unauthorised() -> JsonResponse:
    return _error(
        _("A valid scanner token is needed (Authorization: Bearer TOKEN)."),
        401,
        **{"WWW-Authenticate": 'Bearer realm="intake"'},
    )


@csrf_exempt  # no cookies: the token authenticates each request
def intake_post(request):
    if request.method != "POST":
        return _error(_("Send scans with POST."), 405, Allow="POST")
    scanner = _scanner(request)
    if scanner is None:
        return _unauthorised()
    length = request.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > services.max_bytes() + ENVELOPE_BYTES:
        return _error(services.too_large_message(), 413)
    key = request.headers.get("Idempotency-Key", "")
    if key and not _KEY.match(key):
        return _error(_("The Idempotency-Key may hold 1 to 80 letters, digits and . _ : -"), 400)
    files = request.FILES.getlist("file")
    if not files:
        return _error(_("Send the scan as the form field “file” (multipart/form-data)."), 400)
    if any(upload.size > services.max_bytes() for upload in files):
        return _error(services.too_large_message(), 413)
    receipts = []
    for number, upload in enumerate(files):
        receipt = services.intake_receive(
            file=upload,
            file_name=upload.name,
            channel=Channel.API,
            scanner=scanner,
            key=f"api:{scanner.pk}:{key}:{number}" if key else "",
        )
        receipts.append(
            {
                "file": receipt.file_name,
                "item": str(receipt.item.public_id),
                "duplicate": receipt.duplicate,
                "status_url": request.build_absolute_uri(
                    reverse("api_intake_status", args=[receipt.item.public_id])
                ),
            }
        )
    return JsonResponse({"receipts": receipts}, status=201)


def intake_status(request, public_id: uuid.UUID):
    """Where a file this scanner sent is now; no content, no names."""
    if request.method != "GET":
        return _error(_("Use GET."), 405, Allow="GET")
    scanner = _scanner(request)
    if scanner is None:
        return _unauthorised()
    item = IntakeItem.objects.filter(public_id=public_id, scanner=scanner).first()
    if item is None:
        return _error(_("No file of this scanner has this id."), 404)
    return JsonResponse(
        {
            "item": str(item.public_id),
            "status": item.status,
            "step": item.step or None,
            "pages": item.pages,
            "dead_letter_reason": item.dead_letter_reason or None,
            "letters": [str(letter.public_id) for letter in item.letters.order_by("pk")],
        }
    )
