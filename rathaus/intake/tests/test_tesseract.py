"""Tesseract in the worker's process: the same reading as the `tesseract` program, engines kept
loaded and lent to one thread at a time, failures that the step retries."""

import os
import subprocess
import threading

import pikepdf
import pytest

from rathaus.intake.pipeline import tesseract
from rathaus.intake.pipeline.tesseract import Engine, TesseractError, engine

from .corpus import SENTENCES
from .samples import scan_page

LANGUAGES = "deu+eng"
LINES = ["Erika Mustermann", "Hauptstraße 5", "42103 Wuppertal", *SENTENCES["objection"]]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "page.png"
    path.write_bytes(scan_page(LINES, dpi=300, fmt="PNG"))
    return path


def test_the_engine_reads_exactly_what_the_tesseract_program_reads(page, tmp_path):
    # The benchmark compares the pipeline with the program: both must do the same work.
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "tesseract",
            str(page),
            str(tmp_path / "program"),
            "-l",
            LANGUAGES,
            "--dpi",
            "300",
            "-c",
            "textonly_pdf=1",
            "pdf",
            "txt",
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    with engine(LANGUAGES) as loaded:
        text = loaded.read(page, tmp_path / "engine", dpi=300, timeout=60).text

    assert text == (tmp_path / "program.txt").read_text(encoding="utf-8")
    assert "Widerspruch" in text and "Mustermann" in text
    with (
        pikepdf.open(tmp_path / "engine.pdf") as ours,
        pikepdf.open(tmp_path / "program.pdf") as theirs,
    ):
        assert len(ours.pages) == len(theirs.pages) == 1
        assert ours.pages[0].mediabox == theirs.pages[0].mediabox
        assert not ours.pages[0].get_images()  # text only: the scan stays the original's


def test_an_engine_is_loaded_once_and_lent_to_one_thread_at_a_time(page, tmp_path):
    with engine(LANGUAGES) as first:
        pass
    with engine(LANGUAGES) as again:
        assert again is first  # kept loaded
        with engine(LANGUAGES) as second:
            assert second is not first  # a second page at the same time gets its own

    seen = []

    def read(number: int) -> None:
        with engine(LANGUAGES) as loaded:
            seen.append(loaded)
            loaded.read(page, tmp_path / f"thread-{number}", dpi=300, timeout=60)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 2 and all(loaded in (first, second) for loaded in seen)


def test_a_file_tesseract_cannot_read_is_an_error_and_the_engine_reads_on(page, tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n this is no image")

    with engine(LANGUAGES) as loaded:
        with pytest.raises(TesseractError):
            loaded.read(broken, tmp_path / "broken", dpi=300, timeout=60)
        assert "Widerspruch" in loaded.read(page, tmp_path / "good", dpi=300, timeout=60).text


def test_languages_without_data_are_an_error():
    with pytest.raises(TesseractError, match="no language data"):
        Engine("xxx")


def test_a_machine_without_the_library_gets_a_clear_error(monkeypatch):
    monkeypatch.setattr(tesseract, "_library", None)
    monkeypatch.setattr(tesseract, "LIBRARY_NAMES", ("libtesseract-missing.so.99",))

    with pytest.raises(TesseractError, match="libtesseract5"):
        Engine(LANGUAGES)
