"""The incoming-mail pipeline: an ordered list of small, idempotent steps (runner.py).

preflight (preflight.py, separators.py) → OCR (ocr.py) → classify → extract → match → route
(steps.py). Every step runs as a task, claims the item with a lease, does its work outside the
database transaction and commits its result, the next step's task included, in one transaction.
"""
