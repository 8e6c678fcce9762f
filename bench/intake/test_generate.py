"""The evaluation-data generator: gold data that matches the letters, real files, no leaks.

One small data set (12 training and 12 evaluation items, every type once in each) is made
per test run and checked with independent means: regular expressions for the gold fields,
Pillow, pikepdf and poppler for the files.
"""

import hashlib
import json
import random
import re
import subprocess
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops, ImageStat
from stdnum import iban as stdnum_iban

from bench.intake import generate
from bench.intake.dataset import load_manifest
from bench.intake.generate import GeneratorError, dataset_generate, main, set_plan
from bench.intake.items import FIRST_DAY, ItemSpec, item_letter, letter_pdf
from bench.intake.letters import COMPOSERS, LABELS
from bench.intake.letters.noise import ASIDES
from bench.intake.people import BANKS
from bench.intake.scan import pages_save, pdf_pages
from bench.intake.wording import MONTHS, Ctx, held_out, option_key

pytestmark = pytest.mark.xdist_group("intake_data")

SEED = 11
SMALL = 12
A4_AT_300_DPI = (2480, 3508)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("intake-data")
    dataset_generate(out=out, train=SMALL, eval_count=SMALL, seed=SEED, workers=2)
    return out


@pytest.fixture(scope="module")
def items(data) -> list[dict]:
    return load_manifest(data / "train") + load_manifest(data / "eval")


# Gold fields, found again in the text by other means than the generator's.
DATE = re.compile(
    r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)"
    r"|(?<![\d.])(\d{1,2})\. (" + "|".join(MONTHS) + r") (\d{4})(?!\d)"
)
NUMBER = r"(\d{1,3}(?:\.\d{3})+|\d+)"
AMOUNT = re.compile(
    r"(?:€|EUR) " + NUMBER + r",(\d{2})(?![\d])"
    r"|(?<![\d.,])" + NUMBER + r"(?:,(\d{2}))? ?(?:€|EUR\b|Euro\b)"
)
IBAN = re.compile(r"\bDE\d{2}(?: ?\d{4}){4} ?\d{2}\b")
REFERENCES = [
    re.compile(r"WUP\s*-?\s*(\d{3})\s*-?\s*(\d{4})\s*-?\s*(\d{5})"),  # ours, however written
    re.compile(r"(?<![\d.])\d{2}\.\d-\d{4}/\d{2}\b"),  # Az. 32.1-0815/26
    re.compile(r"(?<![\d.])\d\.\d{4}\.\d{6}\b"),  # Kassenzeichen 5.2026.004711
    re.compile(r"\b63-B-\d{4}-\d{4}\b"),  # building
    re.compile(r"(?<![\d.])\d\.\d{2}\.\d{6}\.\d\b"),  # Bußgeld-Nr. 7.26.123456.8
]


def _in_order(found: list[tuple[int, str]]) -> list[str]:
    """Values by their first position in the text, each once."""
    ordered: list[str] = []
    for _, value in sorted(found):
        if value not in ordered:
            ordered.append(value)
    return ordered


def _dates_in(text: str) -> list[str]:
    found = []
    for match in DATE.finditer(text):
        if match.group(1):
            day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        else:
            day, month = int(match.group(4)), MONTHS.index(match.group(5)) + 1
            year = int(match.group(6))
        found.append((match.start(), f"{year:04d}-{month:02d}-{day:02d}"))
    return _in_order(found)


def _amounts_in(text: str) -> list[str]:
    found = []
    for match in AMOUNT.finditer(text):
        euros, cents = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
        found.append((match.start(), str(Decimal(f"{euros.replace('.', '')}.{cents or '00'}"))))
    return _in_order(found)


def _ibans_in(text: str) -> list[str]:
    return _in_order([(m.start(), m.group(0).replace(" ", "")) for m in IBAN.finditer(text)])


def _references_in(text: str) -> list[str]:
    upper = text.upper()
    found = [(m.start(), f"WUP-{m[1]}-{m[2]}-{m[3]}") for m in REFERENCES[0].finditer(upper)]
    for pattern in REFERENCES[1:]:
        found += [(match.start(), match.group(0)) for match in pattern.finditer(text)]
    return _in_order(found)


def _spec_of(item: dict) -> ItemSpec:
    set_name, index = item["id"].rsplit("-", 1)
    return set_plan(seed=SEED, set_name=set_name, count=SMALL)[int(index) - 1]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pdftotext(path: str) -> str:
    command = ["pdftotext", "-layout", path, "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603


def _first_page(item: dict, dpi: int = 30) -> Image.Image:
    if item["file"].endswith(".pdf"):
        return pdf_pages(Path(item["path"]).read_bytes(), dpi=dpi)[0]
    with Image.open(item["path"]) as image:
        image.seek(0)
        image.draft("L", (image.width // 8, image.height // 8))
        return image.convert("L").resize((image.width * dpi // 300, image.height * dpi // 300))


# The data set as a whole
def test_every_type_appears_in_each_set(data):
    for set_name in ("train", "eval"):
        labels = Counter(item["label"] for item in load_manifest(data / set_name))
        assert labels == Counter(LABELS)


def test_manifest_lines_have_the_agreed_format(items):
    for item in items:
        set_name = item["id"].split("-")[0]
        assert re.fullmatch(rf"{set_name}-\d{{4}}\.(png|jpg|tiff|pdf)", item["file"])
        assert item["file"].startswith(item["id"] + ".")
        assert item["rotation"] in (0, 90, 180, 270)
        assert isinstance(item["born_digital"], bool) and isinstance(item["pages"], int)
        assert not (item["born_digital"] and item["rotation"])
        fields = item["fields"]
        assert set(fields) == {"references", "dates", "ibans", "amounts", "sender"}
        for key in ("references", "dates", "ibans", "amounts"):
            assert isinstance(fields[key], list) and len(set(fields[key])) == len(fields[key])
        if fields["sender"] is not None:
            assert set(fields["sender"]) == {"name", "street", "postcode", "town"}
        assert item["text"].strip()


def test_gold_fields_are_exactly_what_the_text_contains_in_its_order(items):
    for item in items:
        text, fields = item["text"], item["fields"]
        assert fields["dates"] == _dates_in(text), item["id"]
        assert fields["amounts"] == _amounts_in(text), item["id"]
        assert fields["ibans"] == _ibans_in(text), item["id"]
        assert fields["references"] == _references_in(text), item["id"]
        sender = fields["sender"]
        if sender:
            for part in [
                *sender["name"].split(),
                sender["street"],
                sender["postcode"],
                sender["town"],
            ]:
                assert part in text, (item["id"], part)


def test_gold_fields_hold_every_kind_of_value(items):
    """The small set is not a trivial one: it has every kind of gold value."""
    for key in ("references", "dates", "ibans", "amounts"):
        # IBANs are rarer (invoices, direct debits): one letter of 24 may be all there is.
        assert sum(bool(item["fields"][key]) for item in items) >= (1 if key == "ibans" else 2)
    assert any(item["fields"]["sender"] is None for item in items)
    assert sum(item["fields"]["sender"] is not None for item in items) >= len(items) / 2


def test_ibans_are_valid_and_fictional(items):
    ibans = [iban for item in items for iban in item["fields"]["ibans"]]
    assert ibans, "the small set has invoices, so it has IBANs"
    codes = {code for code, _ in BANKS}
    for iban in ibans:
        assert stdnum_iban.is_valid(iban)
        assert iban.startswith("DE") and iban[4:12] in codes


def test_the_same_seed_gives_the_same_bytes(data, tmp_path):
    """Again, serially and with the evaluation set alone: each set depends only on the seed,
    its name and its size, never on the other set or on the number of processes."""
    dataset_generate(out=tmp_path, train=0, eval_count=SMALL, seed=SEED, workers=1)
    first, again = data / "eval", tmp_path / "eval"
    assert (again / "manifest.jsonl").read_bytes() == (first / "manifest.jsonl").read_bytes()
    assert sorted(p.name for p in again.iterdir()) == sorted(p.name for p in first.iterdir())
    for path in first.iterdir():
        assert _sha256(again / path.name) == _sha256(path), path.name
    assert not (tmp_path / "train").exists()


def test_another_seed_gives_other_letters(data, tmp_path):
    dataset_generate(out=tmp_path, train=0, eval_count=2, seed=SEED + 1, workers=1)
    texts = {item["text"] for item in load_manifest(data / "eval")}
    assert not texts & {item["text"] for item in load_manifest(tmp_path / "eval")}


def test_train_and_eval_share_no_letter(data):
    train = load_manifest(data / "train")
    evaluation = load_manifest(data / "eval")
    assert not {item["text"] for item in train} & {item["text"] for item in evaluation}
    assert not {item["id"] for item in train} & {item["id"] for item in evaluation}


def test_files_are_readable_with_the_stated_page_count(items):
    for item in items:
        path = Path(item["path"])
        if path.suffix == ".pdf":
            with pikepdf.open(path) as pdf:
                assert len(pdf.pages) == item["pages"], item["id"]
                width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
        else:
            with Image.open(path) as image:
                assert getattr(image, "n_frames", 1) == item["pages"], item["id"]
                assert [round(float(v)) for v in image.info["dpi"]] == [300, 300]
                width, height = image.size
                image.load()
        landscape = item["rotation"] in (90, 270)
        assert (width > height) == landscape, item["id"]
        if path.suffix != ".pdf":
            expected = A4_AT_300_DPI[::-1] if landscape else A4_AT_300_DPI
            assert abs(width - expected[0]) <= 2 and abs(height - expected[1]) <= 2, item["id"]


def test_born_digital_pdfs_have_their_text_and_scans_have_none(items):
    digital = [item for item in items if item["born_digital"]]
    scanned_pdfs = [
        item for item in items if item["file"].endswith(".pdf") and not item["born_digital"]
    ]
    assert digital and scanned_pdfs
    for item in digital:
        layer = _pdftotext(item["path"])
        words = [w for w in re.findall(r"\w{4,}", item["text"])]
        assert sum(word in layer for word in words) >= 0.9 * len(words), item["id"]
    for item in scanned_pdfs:
        assert not _pdftotext(item["path"]).strip(), item["id"]


def test_rotated_items_are_really_rotated(items):
    """Each scan looks most like the clean page when turned back by its stated rotation."""
    scans = [item for item in items if not item["born_digital"]]
    assert {item["rotation"] for item in scans} - {0}, "the quotas give every set rotated pages"
    for item in scans:
        pdf, _ = letter_pdf(item_letter(_spec_of(item)))
        clean = pdf_pages(pdf, dpi=30)[0].convert("L")
        stored = _first_page(item)
        distances = {}
        for turn in (0, 90, 180, 270):
            candidate = stored.rotate(turn, expand=True).resize(clean.size)
            distances[turn] = ImageStat.Stat(ImageChops.difference(candidate, clean)).mean[0]
        assert min(distances, key=distances.get) == item["rotation"], (item["id"], distances)


# The plan and the wording, without rendering
def test_plan_balances_types_and_keeps_the_shares():
    plan = set_plan(seed=7, set_name="eval", count=300)
    assert Counter(spec.label for spec in plan) == Counter({label: 25 for label in LABELS})
    containers = Counter(spec.container for spec in plan)
    assert containers["born_digital"] == 30
    rotations = Counter(spec.rotation for spec in plan if spec.container != "born_digital")
    assert set(rotations) == {0, 90, 180, 270} and rotations[0] == 216
    assert all(spec.rotation == 0 for spec in plan if spec.container == "born_digital")
    assert Counter(spec.length for spec in plan) == {"short": 75, "medium": 165, "long": 60}
    small = set_plan(seed=3, set_name="train", count=12)
    assert any(spec.container == "born_digital" for spec in small)
    assert any(spec.rotation for spec in small)
    assert set_plan(seed=7, set_name="eval", count=300) == plan


def _letters(label: str, count: int = 60) -> list:
    return [
        item_letter(ItemSpec(5, "wording", i, label, ("short", "medium", "long")[i % 3], "png", 0))
        for i in range(count)
    ]


def test_gold_fields_match_the_text_of_every_wording():
    """The same independent check as above, on 480 letters of all types and lengths."""
    for label in LABELS:
        for letter in _letters(label, 40):
            text, fields = letter.text, letter.fields
            assert fields["dates"] == _dates_in(text), text
            assert fields["amounts"] == _amounts_in(text), text
            assert fields["ibans"] == _ibans_in(text), text
            assert fields["references"] == _references_in(text), text
            assert all(stdnum_iban.is_valid(iban) for iban in fields["ibans"])


def test_every_type_has_varied_wording_and_layouts():
    for label, compose in COMPOSERS.items():
        module = __import__(compose.__module__, fromlist=["VARIANTS"])
        assert len(set(module.VARIANTS)) >= 6, label
        letters = _letters(label)
        assert len({letter.doc.layout for letter in letters}) >= 3, label
        assert len({letter.text for letter in letters}) == len(letters), label
        longest = {max(letter.text.split("\n\n"), key=len)[:30] for letter in letters}
        assert len(longest) >= 10, label
        lengths = [len(letter.text) for letter in letters]
        assert min(lengths) < 250 and max(lengths) > 1000, label


def test_objections_always_name_the_decision_and_mostly_its_reference():
    letters = _letters("objection", 80)
    for letter in letters:
        assert "Widerspruch" in letter.text
        assert re.search(r" vom \d", letter.text), letter.text
    with_reference = sum(bool(letter.fields["references"]) for letter in letters)
    assert 0.6 * len(letters) < with_reference < len(letters)


def test_references_come_in_all_formats_and_some_letters_have_none():
    letters = [letter for label in LABELS for letter in _letters(label, 30)]
    references = [ref for letter in letters for ref in letter.fields["references"]]
    ours = [ref for ref in references if ref.startswith("WUP-")]
    assert len(ours) > 0.1 * len(letters)
    assert len(references) - len(ours) > 0.05 * len(letters)
    assert sum(not letter.fields["references"] for letter in letters) > 0.4 * len(letters)
    assert {ref.split("-")[1] for ref in ours} >= {"104", "201", "301", "302", "105"}


def test_letters_of_different_types_share_vocabulary():
    """Classification must not be trivial: topics cross the types."""
    texts = {label: " ".join(letter.text for letter in _letters(label)) for label in LABELS}
    assert "Kita" in texts["supplier_invoice"] and "Bewohnerpark" in texts["supplier_invoice"]
    assert "Bewohnerparkausweis" in texts["complaint"] and "Hundesteuer" in texts["complaint"]
    assert "Widerspruch" in texts["registration"]
    assert "Bewohnerparkausweis" in texts["objection"] and "Elternbeitrag" in texts["objection"]
    assert "Kita" in texts["other"] or "Parkschein" in texts["other"]


# Held-out wording and realistic noise
def _set_letters(set_name: str, count: int, seed: int = 7) -> list:
    return [item_letter(spec) for spec in set_plan(seed=seed, set_name=set_name, count=count)]


def test_training_never_chooses_a_held_out_option_and_evaluation_prefers_them():
    options = [f"Formulierung {number}" for number in range(12)]
    reserved = {option for option in options if held_out(option, 7)}
    assert 0 < len(reserved) < len(options)

    def ctx(split):
        return Ctx(rng=random.Random(1), length="medium", today=FIRST_DAY, split=split, seed=7)  # noqa: S311

    train, evaluation = ctx("train"), ctx("eval")
    assert not {train.pick(options) for _ in range(300)} & reserved
    assert {train.pick(options) for _ in range(300)} == set(options) - reserved
    picked = [evaluation.pick(options) for _ in range(300)]
    assert 0.45 < sum(option in reserved for option in picked) / 300 < 0.75
    assert {evaluation.pick_pool(options) for _ in range(100)} == reserved
    template = "[" + "|".join(options) + "]"
    assert not {train.fill(template) for _ in range(300)} & reserved
    assert {evaluation.fill(template) for _ in range(300)} & reserved
    # Two options (e.g. "f"/"m") are never split; neither is a letter outside the two sets.
    assert {train.pick("fm") for _ in range(50)} == {"f", "m"}
    free = ctx(None)
    assert {free.pick(options) for _ in range(300)} & reserved


def test_the_split_is_the_same_in_every_process():
    """Options are keyed by what they say, never by a memory address (which differs between
    the generator's processes and would let a reserved option into training)."""
    key = option_key(("104", "[a|b]", item_letter, (1, 2)))
    assert key == "(104, [a|b], bench.intake.items.item_letter, (1, 2))"
    assert " at 0x" not in key


def test_evaluation_letters_have_wording_and_people_unseen_in_training():
    train, evaluation = _set_letters("train", 240), _set_letters("eval", 120)

    def sentences(text: str) -> set[str]:
        parts = re.split(r"(?<=[.!?])\s+|\n", text)
        return {part.strip() for part in parts if len(part.strip()) > 30}

    seen = set().union(*(sentences(letter.text) for letter in train))
    new = [len(sentences(letter.text) - seen) for letter in evaluation]
    assert sum(new) > 0.4 * sum(len(sentences(letter.text)) for letter in evaluation)
    assert sum(count > 0 for count in new) > 0.9 * len(evaluation)
    people = {letter.doc.sender.last_name for letter in train if letter.doc.sender}
    assert not people & {letter.doc.sender.last_name for letter in evaluation if letter.doc.sender}

    def addresses(letters) -> set[tuple[str, str]]:
        """Street (without the number) and postcode: a street name may recur elsewhere."""
        senders = [letter.fields["sender"] for letter in letters if letter.fields["sender"]]
        return {(s["street"].rsplit(" ", 1)[0], s["postcode"]) for s in senders}

    assert not addresses(train) & addresses(evaluation)


def test_some_letters_quote_two_references_and_some_wander_off_topic():
    letters = _set_letters("eval", 240)
    assert sum(len(letter.fields["references"]) >= 2 for letter in letters) > 0.05 * 240
    assert sum(not letter.fields["references"] for letter in letters) > 0.3 * 240
    asides = [
        letter
        for letter in letters
        if any(
            option in letter.text
            for templates in ASIDES.values()
            for template in templates
            for option in template.strip("[]").split("|")
        )
    ]
    assert len(asides) > 0.05 * 240
    assert sum(len(letter.text) < 400 for letter in letters) > 0.1 * 240


# Bad input
def test_nothing_to_generate_is_refused(tmp_path):
    with pytest.raises(GeneratorError):
        dataset_generate(out=tmp_path, train=0, eval_count=0, seed=1)
    assert main(["--out", str(tmp_path), "--train", "0", "--eval", "0"]) == 2
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_is_not_a_data_set_is_left_alone(tmp_path):
    foreign = tmp_path / "eval" / "thesis.txt"
    foreign.parent.mkdir()
    foreign.write_text("not ours")
    with pytest.raises(GeneratorError, match="not a data set"):
        dataset_generate(out=tmp_path, train=0, eval_count=1, seed=1, workers=1)
    assert foreign.read_text() == "not ours"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eval"]


def test_missing_fonts_are_named(monkeypatch, tmp_path):
    monkeypatch.setattr(generate, "FONTS", ["DejaVu Sans", "No Such Font"])
    with pytest.raises(GeneratorError, match="No Such Font"):
        dataset_generate(out=tmp_path, train=0, eval_count=1, seed=1, workers=1)


def test_one_page_formats_refuse_two_pages(tmp_path):
    pages = [Image.new("L", (100, 140), 255), Image.new("L", (100, 140), 0)]
    rng = random.Random(1)  # noqa: S311
    for fmt in ("jpeg", "png"):
        with pytest.raises(ValueError, match="one page"):
            pages_save(pages, tmp_path / f"x.{fmt}", fmt=fmt, rng=rng, title="x")
    pages_save(pages, tmp_path / "x.tiff", fmt="tiff", rng=rng, title="x")
    with Image.open(tmp_path / "x.tiff") as image:
        assert image.n_frames == 2


def test_load_manifest_names_the_broken_line(tmp_path):
    good = {"id": "eval-0001", "file": "eval-0001.png", "label": "other", "pages": 1,
            "rotation": 0, "born_digital": False, "fields": {}, "text": "x"}  # fmt: skip
    (tmp_path / "manifest.jsonl").write_text(json.dumps(good) + "\n{not json\n")
    with pytest.raises(ValueError, match=r"manifest.jsonl:2"):
        load_manifest(tmp_path)
    (tmp_path / "manifest.jsonl").write_text(json.dumps({"id": "x"}) + "\n")
    with pytest.raises(ValueError, match="missing file"):
        load_manifest(tmp_path / "manifest.jsonl")


def test_command_line_writes_a_set(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--train", "0", "--eval", "1", "--workers", "1"]) == 0
    [item] = load_manifest(tmp_path / "eval")
    assert Path(item["path"]).exists()
    assert "eval: 1 items" in capsys.readouterr().out
