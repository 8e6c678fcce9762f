"""The pipeline's steps, each a StepHandler: preflight, OCR, classify, extract, match, route."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from ..models import Channel, IntakeItem, Status, Step
from . import preflight
from .errors import DeadLetter
from .ocr import ocr_backend
from .runner import StepHandler, Transition


def _original(item: IntakeItem) -> bytes:
    with item.original.open("rb") as handle:
        return handle.read()


def _anomalies_merge(current: list[dict], new: list[dict]) -> list[dict]:
    merged = list(current)
    for anomaly in new:
        if anomaly not in merged:
            merged.append(anomaly)
    return merged


def _store(folder: str, name: str, content) -> str:
    """Save a file under intake/<folder>/YYYY/MM/ and return its storage name."""
    today = timezone.localdate()
    return default_storage.save(f"intake/{folder}/{today:%Y/%m}/{name}", content)


# --- Preflight and separation ------------------------------------------------------------------


@dataclass
class Letter:
    pages: list[int]
    sha256: str
    size: int
    name: str


@dataclass
class PreflightResult:
    inspection: preflight.Inspection
    letters: list[Letter]


class PreflightStep(StepHandler):
    step = Step.PREFLIGHT

    def work(self, item: IntakeItem) -> PreflightResult:
        data = _original(item)
        inspection = preflight.inspect(data, max_pages=settings.RATHAUS_INTAKE_MAX_PAGES)
        letters: list[Letter] = []
        if inspection.separators:
            pdf = preflight.document_pdf(data, inspection.kind)
            try:
                for pages in inspection.segments():
                    content = preflight.pdf_pages(pdf, pages)
                    sha = hashlib.sha256(content).hexdigest()
                    name = _store("originals", f"{sha}.pdf", ContentFile(content))
                    letters.append(Letter(pages=pages, sha256=sha, size=len(content), name=name))
            except BaseException:
                self.discard(PreflightResult(inspection, letters))
                raise
        return PreflightResult(inspection=inspection, letters=letters)

    def commit(self, item: IntakeItem, payload: PreflightResult) -> Transition:
        inspection = payload.inspection
        item.mime = inspection.mime
        item.pages = inspection.pages
        item.anomalies = _anomalies_merge(item.anomalies, inspection.anomalies)
        item.transfer_note = {
            **item.transfer_note,
            "pages": inspection.pages,
            "born_digital": inspection.born_digital,
            "anomalies": item.anomalies,
        }
        if not payload.letters:
            return Transition()
        transition = Transition(status=Status.SPLIT)
        for letter in payload.letters:
            if IntakeItem.objects.filter(sha256=letter.sha256).exists():
                # The very same letter is stored already (an earlier scan of it).
                default_storage.delete(letter.name)
                item.anomalies.append({"code": "letter_known", "page": letter.pages[0] + 1})
                continue
            child = IntakeItem.objects.create(
                sha256=letter.sha256,
                original=letter.name,
                mime="application/pdf",
                size=letter.size,
                file_name=f"{Path(item.file_name).stem or 'scan'}-{letter.pages[0] + 1}.pdf",
                channel=Channel.SEPARATED,
                scanner=item.scanner,
                operator=item.operator,
                parent=item,
                received_at=item.received_at,
                pages=len(letter.pages),
                anomalies=[a for a in item.anomalies if a.get("page", 0) - 1 in letter.pages],
                transfer_note={
                    **item.transfer_note,
                    "pages": len(letter.pages),
                    "sha256": letter.sha256,
                    "batch_sha256": item.sha256,
                    "batch_pages": [letter.pages[0] + 1, letter.pages[-1] + 1],
                    "anomalies": [],
                },
                step=Step.OCR,
                delete_after=item.delete_after,
            )
            transition.enqueue.append((child.pk, Step.OCR))
        item.transfer_note["anomalies"] = item.anomalies
        return transition

    def discard(self, payload: PreflightResult) -> None:
        for letter in payload.letters:
            default_storage.delete(letter.name)


# --- OCR ---------------------------------------------------------------------------------------


@dataclass
class OcrOutcome:
    text: str
    name: str
    anomalies: list[dict]


class OcrStep(StepHandler):
    step = Step.OCR
    lease_per_page = True

    def work(self, item: IntakeItem) -> OcrOutcome:
        kind = preflight.ACCEPTED.get(item.mime)
        if kind is None:
            raise DeadLetter("not_a_document", kind=item.mime or "?")
        pdf = preflight.document_pdf(_original(item), kind)
        with tempfile.TemporaryDirectory(prefix="rathaus-ocr-") as folder:
            source, output = Path(folder) / "in.pdf", Path(folder) / "out.pdf"
            source.write_bytes(pdf)
            result = ocr_backend().recognise(pdf=source, output=output)
            with output.open("rb") as handle:
                name = _store("searchable", f"{item.sha256}.pdf", File(handle))
        anomalies = list(result.anomalies)
        if not result.text.strip():
            anomalies.append({"code": "no_text"})
        return OcrOutcome(text=result.text, name=name, anomalies=anomalies)

    def commit(self, item: IntakeItem, payload: OcrOutcome) -> Transition:
        previous = item.searchable.name
        if previous and previous != payload.name:
            # A reprocessed item replaces its searchable PDF once the new one is committed.
            transaction.on_commit(lambda: default_storage.delete(previous))
        item.searchable.name = payload.name
        item.ocr_text = payload.text
        item.anomalies = _anomalies_merge(item.anomalies, payload.anomalies)
        return Transition()

    def discard(self, payload: OcrOutcome) -> None:
        default_storage.delete(payload.name)


# --- Classification, extraction, matching, routing --------------------------------------------


class ClassifyStep(StepHandler):
    step = Step.CLASSIFY

    def work(self, item: IntakeItem):
        from rathaus.classifier.services import NoActiveModel, classify

        try:
            return classify(name="intake", text=item.ocr_text)
        except NoActiveModel:
            return None

    def commit(self, item: IntakeItem, payload) -> Transition:
        if payload is None:
            item.document_type, item.confidence, item.model_version = "", None, ""
            item.abstained = True
        else:
            item.document_type = payload.label
            item.confidence = round(payload.probability, 4)
            item.model_version = str(payload.model_version)
            item.abstained = payload.abstained
        return Transition()


class ExtractStep(StepHandler):
    step = Step.EXTRACT

    def work(self, item: IntakeItem) -> dict:
        from ..extraction import fields_extract

        fields = fields_extract(
            item.ocr_text,
            reference_prefix=settings.RATHAUS_REFERENCE_PREFIX,
            own_addresses=(settings.RATHAUS_CITY_NAME, settings.RATHAUS_CITY_ADDRESS),
            today=timezone.localdate(item.received_at),
        )
        data = fields.as_json()
        data["our_references"] = [r.value for r in fields.references if r.kind == "ours"]
        data["total"] = f"{fields.total:.2f}" if fields.total is not None else None
        return data

    def commit(self, item: IntakeItem, payload: dict) -> Transition:
        item.fields = payload
        return Transition()


class MatchStep(StepHandler):
    step = Step.MATCH

    def work(self, item: IntakeItem):
        from rathaus.cases.selectors import case_by_reference

        for reference in item.fields.get("our_references", []):
            case = case_by_reference(reference=reference)
            if case is not None:
                return case.pk
        return None

    def commit(self, item: IntakeItem, payload) -> Transition:
        from rathaus.cases.models import Case

        from ..services import item_case_attach

        case = Case.objects.filter(pk=payload).first() if payload else None
        if case is not None:
            item_case_attach(item=item, case=case)
        return Transition()


class RouteStep(StepHandler):
    step = Step.ROUTE

    def work(self, item: IntakeItem):
        from ..routing import RoutingConfigError, route_decide, routing_table

        try:
            table = routing_table()
        except RoutingConfigError as exc:
            raise DeadLetter("routing_table", error=str(exc)) from exc
        return route_decide(
            table=table,
            document_type=item.document_type,
            confidence=item.confidence,
            abstained=item.abstained,
            model_version=item.model_version,
            case=item.matched_case,
        )

    def commit(self, item: IntakeItem, payload) -> Transition:
        from ..services import item_route

        item_route(item=item, decision=payload, actor=None)
        return Transition(status=item.status)


HANDLERS: dict[str, StepHandler] = {
    handler.step: handler
    for handler in (
        PreflightStep(),
        OcrStep(),
        ClassifyStep(),
        ExtractStep(),
        MatchStep(),
        RouteStep(),
    )
}
