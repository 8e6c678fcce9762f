import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rathaus.intake.models import Channel, IntakeItem, Status
from rathaus.intake.pipeline.runner import item_process
from rathaus.intake.services import IntakeRefused, intake_receive


def item_summary(item: IntakeItem) -> dict:
    """What the pipeline made of one item, as printed by intake_run (and read by benchmarks)."""
    summary = {
        "item": str(item.public_id),
        "status": item.status,
        "pages": item.pages,
        "document_type": item.document_type or None,
        "confidence": item.confidence,
        "abstained": item.abstained,
        "model_version": item.model_version or None,
        "department": item.department.code if item.department_id else None,
        "triage": item.status == Status.TRIAGE,
        "fields": {k: v for k, v in (item.fields or {}).items() if k != "our_references"},
        "matched_case": item.matched_reference or None,
        "dead_letter": item.dead_letter_reason or None,
    }
    if item.status == Status.SPLIT:
        summary["letters"] = [item_summary(letter) for letter in item.letters.order_by("pk")]
    return summary


class Command(BaseCommand):
    help = (
        "Run the whole incoming-mail pipeline on the given files, here and now, and print one "
        "JSON line per file (document type, confidence, department or triage, fields, case)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="PDF, TIFF, JPEG or PNG files")

    def handle(self, *args, **options):
        failed = 0
        for name in options["files"]:
            path = Path(name)
            started = time.monotonic()
            try:
                with path.open("rb") as handle:
                    receipt = intake_receive(
                        file=handle, file_name=path.name, channel=Channel.COMMAND, start=False
                    )
            except (OSError, IntakeRefused) as exc:
                failed += 1
                message = getattr(exc, "message", None) or type(exc).__name__
                self.stdout.write(json.dumps({"file": name, "error": str(message)}))
                continue
            item = item_process(item_id=receipt.item_id)
            line = {
                "file": name,
                "duplicate": receipt.duplicate,
                **item_summary(item),
                "seconds": round(time.monotonic() - started, 3),
            }
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        if failed:
            raise CommandError(f"{failed} file(s) could not be read")
