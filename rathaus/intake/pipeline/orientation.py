"""Which way up a scanned page is, and how crooked: measured from the ink, in milliseconds.

Tesseract's own orientation detection (`--psm 0`) costs a second Tesseract run per page, about
as long as reading the page. Most letters answer the question from their ink alone:

- **Skew and direction of the lines.** Text lines make the ink's projection across the lines
  peaky. The ink is projected along every angle from -MAX_SKEW to +MAX_SKEW degrees, for lines
  running across the page and for lines running down it (a page turned by 90 degrees); the
  sharpest projection gives both the direction and the skew.
- **Up or down.** Within a line of Latin script, capitals, digits, accents and the letters b, d,
  f, h, k, l, t reach above the x-height band; only g, j, p, q and y reach below. The side of
  the band with more ink is the top of the line. German, with its capitalised nouns, has far more
  ink above the band than below.

`page_geometry` says how sure it is; the OCR asks Tesseract only for the pages it is not sure
of (`ocr_scans`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

# The generator's scans are skewed by up to 3.3 degrees; real scan streets straighten the paper
# mechanically to about that. Steeper pages are rare and Tesseract still reads them.
MAX_SKEW = 5.0
COARSE_STEP = 0.25
FINE_STEP = 0.05
# The borders a scanner lid leaves around a crooked page are no text: looked past.
MARGIN = 0.08
# Enough ink points for a sharp projection; more only cost time.
SAMPLE = 40_000
# Sure of the direction when one projection is this much sharper than the other, and of up or
# down when the ink above the x-height band differs by this share from the ink below it, on at
# least MIN_LINES lines. Measured on the training scans (docs/intake.md, "Orientation").
DIRECTION_RATIO = 1.15
UPRIGHT_MARGIN = 0.12
MIN_LINES = 3


@dataclass(frozen=True)
class Geometry:
    rotation: int  # degrees the content is turned clockwise in the file: 0, 90, 180, 270
    skew: float  # degrees the lines rise counter-clockwise, after turning the page upright
    sure: bool  # False: ask a second opinion about the rotation
    lines: int = 0
    score: float = 0.0  # (ink above - ink below) / both, after turning upright


def ink_points(image: Image.Image) -> np.ndarray:
    """(row, column) of the dark pixels inside the margins, with Otsu's threshold."""
    pixels = np.asarray(image.convert("L"), dtype=np.uint8)
    height, width = pixels.shape
    top, left = round(height * MARGIN), round(width * MARGIN)
    inner = pixels[top : height - top, left : width - left]
    if inner.size == 0:
        return np.empty((0, 2), dtype=np.int32)
    threshold = _otsu(inner)
    if threshold is None:
        return np.empty((0, 2), dtype=np.int32)
    rows, columns = np.nonzero(inner < threshold)
    return np.stack([rows, columns], axis=1).astype(np.int32)


def _otsu(pixels: np.ndarray) -> int | None:
    histogram = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    total = histogram.sum()
    levels = np.arange(256)
    weight_dark = np.cumsum(histogram)
    weight_light = total - weight_dark
    sum_dark = np.cumsum(histogram * levels)
    mean_dark = sum_dark / np.maximum(weight_dark, 1)
    mean_light = (sum_dark[-1] - sum_dark) / np.maximum(weight_light, 1)
    between = weight_dark * weight_light * (mean_dark - mean_light) ** 2
    level = int(np.argmax(between))
    # A page of one grey has no ink; nor has a page whose dark class is nearly white.
    if between[level] <= 0 or mean_dark[level] > 200:
        return None
    return level + 1


def _sharpness(along: np.ndarray, across: np.ndarray, angle: float) -> float:
    """How peaky the ink is across lines that run along `along`, turned by `angle` degrees."""
    shifted = across + along * math.tan(math.radians(angle))
    counts = np.bincount((shifted - shifted.min()).astype(np.int64))
    return float(np.dot(counts, counts))


def _best_angle(along: np.ndarray, across: np.ndarray) -> tuple[float, float]:
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + COARSE_STEP / 2, COARSE_STEP)
    scores = [_sharpness(along, across, angle) for angle in coarse]
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - COARSE_STEP, best + COARSE_STEP + FINE_STEP / 2, FINE_STEP)
    fine_scores = [_sharpness(along, across, angle) for angle in fine]
    index = int(np.argmax(fine_scores))
    return float(fine[index]), float(fine_scores[index])


def _line_balance(along: np.ndarray, across: np.ndarray, angle: float) -> tuple[float, int]:
    """(ink before the x-height band - ink after it) / both, over the text lines, and their
    number; "before" is the side of smaller `across` values."""
    shifted = across + along * math.tan(math.radians(angle))
    profile = np.bincount(np.round(shifted - shifted.min()).astype(np.int64)).astype(np.float64)
    if profile.size < 3:
        return 0.0, 0
    profile = np.convolve(profile, [0.25, 0.5, 0.25], mode="same")
    present = profile > profile.max() * 0.03
    before = after = 0.0
    lines = 0
    start = None
    for position, flag in enumerate(np.append(present, False)):
        if flag and start is None:
            start = position
        elif not flag and start is not None:
            line = profile[start:position]
            start = None
            if line.size < 3:
                continue
            # The x-height band starts where the ink rises most and ends where it falls most.
            steps = np.diff(line)
            low, high = int(np.argmax(steps)) + 1, int(np.argmin(steps))
            if high <= low:
                continue
            before += float(line[:low].sum())
            after += float(line[high + 1 :].sum())
            lines += 1
    total = before + after
    return ((before - after) / total if total else 0.0), lines


def page_geometry(image: Image.Image) -> Geometry:
    """Rotation and skew of a page image (any resolution from about 100 dpi on)."""
    points = ink_points(image)
    if len(points) < 200:
        return Geometry(rotation=0, skew=0.0, sure=False)
    if len(points) > SAMPLE:
        rng = np.random.default_rng(0)  # the same page gives the same answer
        points = points[rng.choice(len(points), SAMPLE, replace=False)]
    rows, columns = points[:, 0].astype(np.float64), points[:, 1].astype(np.float64)
    # Lines across the page: the row changes little along a column; down the page: vice versa.
    across_angle, across_score = _best_angle(columns, rows)
    down_angle, down_score = _best_angle(rows, columns)
    across = across_score >= down_score
    ratio = max(across_score, down_score) / max(1.0, min(across_score, down_score))
    if across:
        # Rows grow downwards: ink before the band is above it.
        score, lines = _line_balance(columns, rows, across_angle)
        rotation = 0 if score >= 0 else 180
        skew = across_angle
    else:
        # Columns grow to the right: ink before the band is on its left. A page turned
        # clockwise by 90 degrees has the tops of its lines on the right.
        score, lines = _line_balance(rows, columns, down_angle)
        rotation = 270 if score >= 0 else 90
        skew = -down_angle
    sure = ratio >= DIRECTION_RATIO and abs(score) >= UPRIGHT_MARGIN and lines >= MIN_LINES
    return Geometry(
        rotation=rotation, skew=round(skew, 2), sure=sure, lines=lines, score=round(abs(score), 3)
    )
