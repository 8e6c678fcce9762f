"""The example decision notice: made-up data for `manage.py documents_example`, tests and bench."""

import datetime

from django.utils import timezone


def example_notice_context() -> dict:
    today = timezone.localdate()
    return {
        "recipient_lines": ["Frau Lena Schäfer", "Luisenstraße 71", "42103 Wuppertal"],
        "reference": "WUP-104-2026-00042",
        "department": "104 Straßen und Verkehr",
        "contact": {
            "name": "Stefan Wagner",
            "phone": "+49 202 000000-104",
            "email": "verkehr@stadt.example",
        },
        "applicant_name": "Frau Schäfer",
        "plate": "W-LS 1403",
        "zone": "Elberfeld-Nord",
        "valid_until": today + datetime.timedelta(days=365),
        "fee": "30,70",
    }
