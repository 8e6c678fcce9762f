"""Evaluation data for incoming mail: a seeded generator of scanned German letters (issue #6).

See docs/intake-data.md. `generate.py` writes the data sets, `dataset.py` reads them.
"""
