"""How a letter is worded: a random source with the letter's gold fields, and a tiny template
language for sentence-level variation.

Templates: `[a|b|c]` picks one alternative (they nest, an empty one drops the part), `{name}`
is replaced by a value. Every date, amount, IBAN and file reference goes through `Ctx`, which
remembers how it was printed; the gold fields are what of that really appears in the final
text, in order of first appearance.
"""

import datetime
import hashlib
import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]

# How likely an optional paragraph is kept, by the length the letter should have.
OPTIONAL_KEPT = {"short": 0.1, "medium": 0.45, "long": 0.95}


def alternatives_expand(template: str, rng: random.Random, choose=None) -> str:
    """Resolve every `[a|b]` in the template with one random choice (nested ones too).

    `choose(options, keys)` picks one of the expanded options; `keys` are the options as
    written in the template (what a held-out split is decided on). Default: `rng.choice`."""

    def sequence(position: int, nested: bool) -> tuple[str, int]:
        out: list[str] = []
        while position < len(template):
            char = template[position]
            if char == "[":
                text, position = choice(position + 1)
                out.append(text)
            elif nested and char in "|]":
                return "".join(out), position
            else:
                out.append(char)
                position += 1
        if nested:
            raise ValueError(f"unclosed [ in template: {template!r}")
        return "".join(out), position

    def choice(position: int) -> tuple[str, int]:
        options: list[str] = []
        keys: list[str] = []
        while True:
            start = position
            text, position = sequence(position, nested=True)
            options.append(text)
            keys.append(template[start:position])
            if template[position] == "]":
                picked = choose(options, keys) if choose else rng.choice(options)
                return picked, position + 1
            position += 1  # past "|"

    return sequence(0, nested=False)[0]


# Held-out wording (docs/intake-data.md): in the training and evaluation sets, one option in
# HELD_OUT_SHARE of every choice with at least three options (phrasings, sentence templates,
# optional paragraphs, variants, layouts' salutations, names, streets ...) is reserved for the
# evaluation set, decided by a hash of the seed and the option as written. Training letters
# never use a reserved option; evaluation letters prefer them.
HELD_OUT_SHARE = 3
# How often an evaluation letter takes a reserved phrasing where a choice has one (the rest is
# worded like the training letters, as a city's real mail repeats much of its wording).
EVAL_HELD_OUT = 0.6
SPLITS = ("train", "eval")


def option_key(option) -> str:
    """An option as the held-out split sees it: the same in every process (a function by its
    name, also inside tuples and lists; never a repr holding a memory address)."""
    if isinstance(option, str):
        return option
    if callable(option):
        return f"{option.__module__}.{option.__qualname__}"
    if isinstance(option, tuple | list):
        return "(" + ", ".join(option_key(part) for part in option) + ")"
    return repr(option)


def held_out(key: str, seed: int) -> bool:
    """Whether the option `key` is reserved for the evaluation set (for this seed)."""
    digest = hashlib.sha256(f"rathaus-intake/held-out/{seed}/{key}".encode()).digest()
    return digest[0] % HELD_OUT_SHARE == 0


@dataclass(frozen=True)
class Opt:
    """An optional paragraph: kept more often the longer the letter should be."""

    template: str
    weight: float = 1.0


@dataclass(frozen=True)
class One:
    """Exactly one of these paragraphs."""

    templates: tuple[str, ...]

    def __init__(self, *templates: str):
        object.__setattr__(self, "templates", templates)


@dataclass
class Ctx:
    """The random source of one letter and what it printed."""

    rng: random.Random
    length: str  # "short", "medium" or "long"
    today: datetime.date
    printed: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, printed, gold)
    split: str | None = None  # "train" or "eval": held-out wording applies; None: all wording
    seed: int = 0  # the seed of the held-out split

    # choices
    def _reserved(self, keys: list[str]) -> set[str]:
        distinct = set(keys)
        if self.split not in SPLITS or len(distinct) < 3:
            return set()
        reserved = {key for key in distinct if held_out(key, self.seed)}
        return reserved if len(reserved) < len(distinct) else set()

    def allowed(self, options, keys=None, *, pool: bool = False) -> list:
        """The options this letter may choose from under the held-out split.

        Training letters never get a reserved option. Evaluation letters get only reserved
        ones with `pool` (names, streets: disjoint from training), otherwise reserved ones
        EVAL_HELD_OUT of the time."""
        options = list(options)
        keys = list(keys) if keys is not None else [option_key(o) for o in options]
        reserved = self._reserved(keys)
        if not reserved:
            return options
        if self.split == "eval" and (pool or self.rng.random() < EVAL_HELD_OUT):
            return [o for o, k in zip(options, keys, strict=True) if k in reserved]
        return [o for o, k in zip(options, keys, strict=True) if k not in reserved]

    def pick(self, options):
        return self.rng.choice(self.allowed(options))

    def pick_pool(self, options):
        """A name, street or town: training and evaluation letters draw from disjoint parts."""
        return self.rng.choice(self.allowed(options, pool=True))

    def sample(self, options, count: int) -> list:
        """`count` different options (fewer if fewer are allowed); training letters never get
        a reserved one, evaluation letters may."""
        options = list(options)
        if self.split == "train":
            options = self.allowed(options)
        return self.rng.sample(options, min(count, len(options)))

    def opt_allowed(self, template: str) -> bool:
        """An optional paragraph reserved for evaluation is never in a training letter."""
        return not (self.split == "train" and held_out(template, self.seed))

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def between(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def keep_optional(self, weight: float = 1.0) -> bool:
        return self.chance(min(1.0, OPTIONAL_KEPT[self.length] * weight))

    def days_before(self, low: int, high: int, *, weekday: bool = True) -> datetime.date:
        day = self.today - datetime.timedelta(days=self.between(low, high))
        while weekday and day.weekday() >= 5:
            day -= datetime.timedelta(days=1)
        return day

    def days_after(self, low: int, high: int) -> datetime.date:
        return self.today + datetime.timedelta(days=self.between(low, high))

    # text
    def fill(self, template: str, values: dict | None = None) -> str:
        text = alternatives_expand(
            template, self.rng, lambda options, keys: self.rng.choice(self.allowed(options, keys))
        )
        return text.format_map(values or {}) if "{" in text else text

    def paragraphs(self, items, values: dict) -> list[str]:
        """Fill a body: plain templates always, `Opt` sometimes, `One` one of them."""
        out = []
        for item in items:
            if isinstance(item, Opt):
                if not self.opt_allowed(item.template) or not self.keep_optional(item.weight):
                    continue
                item = item.template
            elif isinstance(item, One):
                item = self.pick(item.templates)
            text = self.fill(item, values).strip()
            if text:
                out.append(text)
        return out

    # printed values with gold
    def _remember(self, kind: str, printed: str, gold: str) -> str:
        self.printed.append((kind, printed, gold))
        return printed

    def date(self, day: datetime.date, style: str | None = None) -> str:
        style = style or self.pick(["numeric"] * 6 + ["short"] + ["long"] * 2)
        if style == "numeric":
            printed = f"{day.day:02d}.{day.month:02d}.{day.year}"
        elif style == "short":
            printed = f"{day.day}.{day.month}.{day.year}"
        elif style == "long":
            printed = f"{day.day}. {MONTHS[day.month - 1]} {day.year}"
        elif style == "weekday":
            printed = f"{WEEKDAYS[day.weekday()]}, {day.day}. {MONTHS[day.month - 1]} {day.year}"
        else:
            raise ValueError(style)
        return self._remember("dates", printed, day.isoformat())

    def amount(self, value: Decimal | str, style: str | None = None) -> str:
        value = Decimal(value).quantize(Decimal("0.01"))
        euros, cents = divmod(int(value * 100), 100)
        grouped = (
            f"{euros:,}".replace(",", ".") if euros >= 1000 and self.chance(0.7) else str(euros)
        )
        number = f"{grouped},{cents:02d}"
        style = style or self.pick(["suffix"] * 6 + ["eur"] * 2 + ["prefix", "word"])
        if style == "word" and cents == 0:
            printed = f"{grouped} Euro"
        elif style == "eur":
            printed = f"{number} EUR"
        elif style == "prefix":
            printed = f"{self.pick(['EUR', '€'])} {number}"
        else:
            printed = f"{number} €"
        return self._remember("amounts", printed, str(value))

    def iban(self, value: str, grouped: bool | None = None) -> str:
        if grouped is None:
            grouped = self.chance(0.8)
        printed = " ".join(value[i : i + 4] for i in range(0, len(value), 4)) if grouped else value
        return self._remember("ibans", printed, value)

    def reference(self, value: str, *, label: str = "", messy: bool = True) -> str:
        """A file reference, sometimes written as people write it (spaces, lower case)."""
        printed = value
        if messy and value.startswith("WUP-"):
            roll = self.rng.random()
            if roll < 0.06:
                printed = value.replace("-", " - ")
            elif roll < 0.1:
                printed = value.replace("-", " ")
            elif roll < 0.13:
                printed = value.lower()
        self._remember("references", printed, value)
        return f"{label}{printed}"

    def gold(self, text: str) -> dict:
        """The gold fields: each remembered value whose printed form is in the text."""
        found: dict[str, list[tuple[int, str]]] = {
            "references": [],
            "dates": [],
            "ibans": [],
            "amounts": [],
        }
        for kind, printed, gold in self.printed:
            match = re.search(r"(?<![\w.,])" + re.escape(printed) + r"(?![\w]|[.,]\d)", text)
            if match:
                found[kind].append((match.start(), gold))
        fields = {}
        for kind, hits in found.items():
            ordered: list[str] = []
            for _, gold in sorted(hits):
                if gold not in ordered:
                    ordered.append(gold)
            fields[kind] = ordered
        return fields
