"""From a rendered PDF to what a scan street delivers: 300 dpi page images with the flaws of
paper and scanners (skew, blur, noise, dust, uneven contrast, JPEG artefacts, pages turned
by 90, 180 or 270 degrees), written as PNG, JPEG, (multi-page) TIFF or image-only PDF.

Only Pillow and poppler's `pdftoppm`, and every random choice comes from the item's own
seeded generator, so the same item always gives the same bytes.
"""

import io
import random
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageEnhance, ImageFilter

DPI = 300
# Fixed PDF dates: Pillow would otherwise write the time of the run.
PDF_DATE = time.struct_time((2026, 1, 1, 0, 0, 0, 3, 1, 0))
FORMAT_SUFFIX = {"png": ".png", "jpeg": ".jpg", "tiff": ".tiff", "pdf": ".pdf"}


@dataclass(frozen=True)
class ScanParams:
    rotation: int  # degrees clockwise the pages are turned in the file: 0, 90, 180 or 270
    skew: float  # degrees, per page a little different
    blur: float  # Gaussian radius in pixels
    noise: float  # standard deviation of grey-level noise
    dust: float  # share of pixels that are dark specks
    contrast: float
    brightness: float
    jpeg: int | None  # quality of a JPEG round trip (compression artefacts), None for none
    color: bool
    bilevel: int | None  # threshold for black-and-white (fax-like) scans, None for grey
    dark_border: bool  # the scanner lid shows beyond the skewed page


def scan_params(rng: random.Random, *, rotation: int, fmt: str) -> ScanParams:
    """The flaws of one scan; `fmt` is the file format it will be written in.

    A quarter come from a clean modern scanner (and PNG files from scanner apps, which stay
    small), a sixth are poor (a worn scanner, a faint and blurred copy, strong JPEG
    artefacts), the rest are ordinary."""
    bilevel = rng.random() < {"tiff": 0.6, "pdf": 0.3}.get(fmt, 0.0)
    color = not bilevel and fmt in ("jpeg", "pdf") and rng.random() < 0.2
    roll = rng.random()
    quality = "gentle" if fmt == "png" or roll < 0.25 else "poor" if roll > 0.83 else "ordinary"
    if quality == "gentle":
        skew, blur, noise, dust = 0.0, rng.uniform(0.0, 0.4), rng.uniform(0.0, 1.5), 0.0
        contrast = rng.uniform(0.9, 1.1)
    elif quality == "ordinary":
        skew, blur, noise = rng.uniform(-3.0, 3.0), rng.uniform(0.3, 1.3), rng.uniform(3.0, 12.0)
        dust, contrast = rng.uniform(0.0, 0.0001), rng.uniform(0.75, 1.1)
    else:
        skew, blur, noise = rng.uniform(-3.0, 3.0), rng.uniform(1.2, 1.8), rng.uniform(6.0, 12.0)
        dust, contrast = rng.uniform(0.0001, 0.0003), rng.uniform(0.6, 0.75)
    if fmt == "jpeg" or bilevel:
        jpeg = None
    else:
        jpeg = rng.choice([25, 30]) if quality == "poor" else rng.choice([None, None, 35, 50, 70])
    return ScanParams(
        rotation=rotation,
        skew=round(skew, 2),
        blur=round(blur, 2),
        noise=round(noise, 1),
        dust=round(dust, 6),
        contrast=round(contrast, 2),
        brightness=round(rng.uniform(0.92, 1.06), 2),
        jpeg=jpeg,
        color=color,
        # a faint page turns black and white only with a high threshold
        bilevel=(rng.randint(175, 200) if quality == "poor" else rng.randint(140, 190))
        if bilevel
        else None,
        # dark scanner borders with a faint page defeat Tesseract's global threshold: a poor
        # scan has none, so that every page stays readable by the pipeline
        dark_border=quality == "ordinary" and rng.random() < 0.3,
    )


def pdf_pages(pdf: bytes, *, color: bool = False, dpi: int = DPI) -> list[Image.Image]:
    """The pages of a PDF as images, rendered by poppler."""
    with tempfile.TemporaryDirectory(prefix="intake-pages-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        command = ["pdftoppm", "-r", str(dpi), *([] if color else ["-gray"]), str(source)]
        subprocess.run([*command, str(Path(tmp) / "page")], check=True, capture_output=True)  # noqa: S603
        pages = []
        for path in sorted(Path(tmp).glob("page-*")):
            with Image.open(path) as image:
                image.load()
                pages.append(image.copy())
        return pages


def _gaussian_lut(sigma: float) -> list[int]:
    normal = statistics.NormalDist(128, max(sigma, 0.01))
    return [max(0, min(255, round(normal.inv_cdf((u + 0.5) / 256)))) for u in range(256)]


def _random_layer(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    return Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))


def _add_noise(image: Image.Image, rng: random.Random, sigma: float) -> Image.Image:
    noise = _random_layer(rng, image.size).point(_gaussian_lut(sigma))
    if image.mode == "RGB":
        return Image.merge(
            "RGB", [ImageChops.add(band, noise, 1.0, -128) for band in image.split()]
        )
    return ImageChops.add(image, noise, 1.0, -128)


def _add_dust(image: Image.Image, rng: random.Random, share: float) -> Image.Image:
    """Dark specks of 3x3 pixels on about `share` of the page (two random layers give shares
    below 1/256; drawn at a third of the resolution and enlarged, which is cheap)."""
    small = (image.width // 3 + 1, image.height // 3 + 1)
    below = max(1, min(255, round(share * 65536)))
    first = _random_layer(rng, small).point([0 if u == 0 else 255 for u in range(256)])
    second = _random_layer(rng, small).point([0 if u < below else 255 for u in range(256)])
    specks = ImageChops.lighter(first, second).resize(
        (small[0] * 3, small[1] * 3), Image.Resampling.NEAREST
    )
    specks = specks.crop((0, 0, *image.size))
    if image.mode == "RGB":
        specks = specks.convert("RGB")
    return ImageChops.darker(image, specks)


def page_degrade(image: Image.Image, params: ScanParams, rng: random.Random) -> Image.Image:
    """One clean page image as the scanner saw it."""
    if params.color:
        image = image.convert("RGB")
        tint = Image.new("RGB", image.size, rng.choice([(252, 249, 240), (247, 247, 242)]))
        image = ImageChops.multiply(image, tint)
    else:
        image = image.convert("L")
    image = ImageEnhance.Contrast(image).enhance(params.contrast)
    image = ImageEnhance.Brightness(image).enhance(params.brightness)
    skew = params.skew + (rng.uniform(-0.3, 0.3) if params.skew else 0.0)
    if skew:
        fill = 40 if params.dark_border else 255
        fill = (fill,) * 3 if image.mode == "RGB" else fill
        image = image.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=fill)
    if params.blur:
        image = image.filter(ImageFilter.GaussianBlur(params.blur))
    if params.noise:
        image = _add_noise(image, rng, params.noise)
    if params.dust:
        image = _add_dust(image, rng, params.dust)
    if params.jpeg:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=params.jpeg)
        buffer.seek(0)
        image = Image.open(buffer)
        image.load()
    if params.bilevel is not None:
        threshold = params.bilevel
        image = image.point([255 if v > threshold else 0 for v in range(256)], mode="1")
    transpose = {
        90: Image.Transpose.ROTATE_270,  # Pillow turns counter-clockwise
        180: Image.Transpose.ROTATE_180,
        270: Image.Transpose.ROTATE_90,
    }.get(params.rotation)
    if transpose is not None:
        image = image.transpose(transpose)
    return image


def pages_save(
    images: list[Image.Image], path: Path, *, fmt: str, rng: random.Random, title: str
) -> None:
    """Write the scanned pages in one file; JPEG and PNG hold one page only."""
    first, rest = images[0], images[1:]
    if fmt in ("png", "jpeg") and rest:
        raise ValueError(f"{fmt} holds one page, not {len(images)}")
    if fmt == "png":
        first.save(path, "PNG", dpi=(DPI, DPI))
    elif fmt == "jpeg":
        first.save(path, "JPEG", quality=rng.randint(45, 90), dpi=(DPI, DPI))
    elif fmt == "tiff":
        options = {"compression": "group4"}
        if first.mode != "1":
            options = {"compression": "jpeg", "quality": rng.randint(50, 85)}
        first.save(path, "TIFF", save_all=True, append_images=rest, dpi=(DPI, DPI), **options)
    elif fmt == "pdf":
        first.save(
            path,
            "PDF",
            save_all=True,
            append_images=rest,
            resolution=DPI,
            # bilevel pages go in as CCITT G4, which takes no JPEG quality
            **({} if first.mode == "1" else {"quality": rng.randint(50, 85)}),
            title=title,
            producer="Scan street",
            creationDate=PDF_DATE,
            modDate=PDF_DATE,
        )
    else:
        raise ValueError(fmt)
