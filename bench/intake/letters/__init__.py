"""The letters of every document type; one module per type, each with `compose(ctx) -> Doc`.

To add wording, add a variant function to the type's module and to its `VARIANTS`; to add a
type, add a module and register it in `COMPOSERS` (the slugs are those of issue #6).
"""

from bench.intake.layouts import Doc
from bench.intake.letters import (
    building_permit,
    business_registration,
    childcare,
    complaint,
    dog_tax,
    fine_hearing_response,
    objection,
    other,
    parking_application,
    registration,
    social_benefits,
    supplier_invoice,
)
from bench.intake.letters.noise import noise_add
from bench.intake.wording import Ctx

COMPOSERS = {
    "objection": objection.compose,
    "parking_application": parking_application.compose,
    "business_registration": business_registration.compose,
    "fine_hearing_response": fine_hearing_response.compose,
    "dog_tax": dog_tax.compose,
    "supplier_invoice": supplier_invoice.compose,
    "complaint": complaint.compose,
    "social_benefits": social_benefits.compose,
    "childcare": childcare.compose,
    "building_permit": building_permit.compose,
    "registration": registration.compose,
    "other": other.compose,
}
LABELS = tuple(COMPOSERS)


def letter_compose(label: str, ctx: Ctx) -> Doc:
    """A letter of the document type `label`, perhaps with a second reference or an aside on
    another topic (`noise.py`)."""
    return noise_add(ctx, COMPOSERS[label](ctx), label)
