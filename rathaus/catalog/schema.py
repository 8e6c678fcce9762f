"""The JSON Schema of a service definition (`catalog/<slug>/service.yaml`).

Structure is checked here; what a schema cannot say (references between fields, known
departments, field-type options) is checked by `rathaus.catalog.definition`.
"""

TEXT = {
    "type": "object",
    "properties": {
        "de": {"type": "string", "minLength": 1},
        "en": {"type": "string", "minLength": 1},
    },
    "required": ["de", "en"],
    "additionalProperties": False,
}
IDENTIFIER = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "maxLength": 50}
AMOUNT = {"type": "string", "pattern": r"^\d{1,7}\.\d{2}$"}
LEVEL = {"enum": ["basic", "substantial", "high"]}
DOCUMENT_KIND = {
    "enum": [
        "receipt",
        "decision_notice",
        "permit",
        "registration_certificate",
        "fee_notice",
        "confirmation",
    ]
}

CONDITION = {
    "type": "object",
    "minProperties": 1,
    "properties": {
        "field": IDENTIFIER,
        "equals": {},
        "not_equals": {},
        "in": {"type": "array", "minItems": 1},
        "all": {"type": "array", "items": {"$ref": "#/$defs/condition"}, "minItems": 1},
        "any": {"type": "array", "items": {"$ref": "#/$defs/condition"}, "minItems": 1},
    },
    "additionalProperties": False,
    "oneOf": [
        {"required": ["field", "equals"]},
        {"required": ["field", "not_equals"]},
        {"required": ["field", "in"]},
        {"required": ["all"]},
        {"required": ["any"]},
    ],
}

CHOICE = {
    "type": "object",
    "properties": {
        "value": {"type": "string", "pattern": "^[a-z0-9_]+$", "maxLength": 50},
        "label": TEXT,
    },
    "required": ["value", "label"],
    "additionalProperties": False,
}

VALIDATION = {
    "type": "object",
    "properties": {
        "rule": {"enum": ["address_in_list", "not_in_past", "not_in_future", "within_days"]},
        "data": IDENTIFIER,
        "days": {"type": "integer", "minimum": 0},
        "message": TEXT,
    },
    "required": ["rule"],
    "additionalProperties": False,
}

FIELD = {
    "type": "object",
    "properties": {
        "id": IDENTIFIER,
        "type": {"type": "string"},
        "label": TEXT,
        "hint": TEXT,
        "required": {"type": "boolean"},
        "when": {"$ref": "#/$defs/condition"},
        "choices": {"type": "array", "items": CHOICE, "minItems": 2},
        "min": {"type": "number"},
        "max": {"type": "number"},
        "max_length": {"type": "integer", "minimum": 1, "maximum": 5000},
        "prefill": {"type": "string"},
        "readonly": {"type": "boolean"},
        "accept": {"type": "array", "items": {"enum": ["pdf", "jpeg", "png"]}, "minItems": 1},
        "max_size_mb": {"type": "number", "exclusiveMinimum": 0, "maximum": 50},
        "validate": {"type": "array", "items": VALIDATION},
    },
    "required": ["id", "type", "label"],
    "additionalProperties": False,
}

STEP = {
    "type": "object",
    "properties": {
        "id": IDENTIFIER,
        "title": TEXT,
        "intro": TEXT,
        "when": {"$ref": "#/$defs/condition"},
        "fields": {"type": "array", "items": FIELD, "minItems": 1},
    },
    "required": ["id", "title", "fields"],
    "additionalProperties": False,
}

AUTOMATION_CHECK = {
    "type": "object",
    "properties": {
        "check": {
            "enum": [
                "assurance_at_least",
                "register_has_applicant",
                "address_in_list",
                "vehicles_held_by_applicant",
                "answer",
            ]
        },
        "level": LEVEL,
        "field": IDENTIFIER,
        "data": IDENTIFIER,
        "condition": {"$ref": "#/$defs/condition"},
    },
    "required": ["check"],
    "additionalProperties": False,
}

SERVICE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "$defs": {"condition": CONDITION},
    "properties": {
        "slug": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "maxLength": 60},
        "leika": {"type": "string", "pattern": r"^\d{14}$"},
        "title": TEXT,
        "summary": TEXT,
        "description": TEXT,
        "requirements": {"type": "array", "items": TEXT},
        "department": {"type": "string", "maxLength": 10},
        "assurance": LEVEL,
        "legal_basis": {"type": "string"},
        "fee": {
            "type": "object",
            "properties": {
                "amount": AMOUNT,
                "rules": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"when": {"$ref": "#/$defs/condition"}, "amount": AMOUNT},
                        "required": ["when", "amount"],
                        "additionalProperties": False,
                    },
                },
                "note": TEXT,
            },
            "required": ["amount"],
            "additionalProperties": False,
        },
        "processing_days": {"type": "integer", "minimum": 1, "maximum": 365},
        # § 42a VwVfG: where a law says so, the application counts as approved when the
        # processing deadline passes without a decision.
        # Decisions need a second person's confirmation (four-eyes principle).
        "four_eyes": {"type": "boolean"},
        "decision_templates": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": IDENTIFIER,
                    "outcome": {"enum": ["approved", "partly_approved", "rejected"]},
                    "title": TEXT,
                    "reason": TEXT,
                    "legal_basis": {"type": "string", "minLength": 1},
                },
                "required": ["id", "outcome", "title", "reason", "legal_basis"],
                "additionalProperties": False,
            },
        },
        "deemed_approval": {
            "type": "object",
            "properties": {"legal_basis": {"type": "string", "minLength": 1}},
            "required": ["legal_basis"],
            "additionalProperties": False,
        },
        "draft_days": {"type": "integer", "minimum": 1, "maximum": 365},
        "retention_days": {"type": "integer", "minimum": 30, "maximum": 36500},
        "documents": {
            "type": "array",
            "items": {
                "oneOf": [
                    DOCUMENT_KIND,
                    {
                        "type": "object",
                        "properties": {
                            "kind": DOCUMENT_KIND,
                            "template": {"type": "string", "pattern": r"^[\w./-]+\.html$"},
                        },
                        "required": ["kind", "template"],
                        "additionalProperties": False,
                    },
                ]
            },
        },
        "validity_days": {"type": "integer", "minimum": 1, "maximum": 3650},
        "automation": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": IDENTIFIER,
                    "outcome": {"enum": ["approve"]},
                    "legal_basis": {"type": "string", "minLength": 1},
                    "explanation": TEXT,
                    "checks": {"type": "array", "items": AUTOMATION_CHECK, "minItems": 1},
                },
                "required": ["id", "outcome", "legal_basis", "explanation", "checks"],
                "additionalProperties": False,
            },
        },
        "data": {"type": "object", "additionalProperties": {"type": "array"}},
        "steps": {"type": "array", "items": STEP, "minItems": 1},
    },
    "required": [
        "slug",
        "title",
        "summary",
        "description",
        "department",
        "assurance",
        "processing_days",
        "draft_days",
        "retention_days",
        "documents",
        "steps",
    ],
    "additionalProperties": False,
}
