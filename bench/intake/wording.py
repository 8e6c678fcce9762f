"""How a letter is worded: a random source with the letter's gold fields, and a tiny template
language for sentence-level variation.

Templates: `[a|b|c]` picks one alternative (they nest, an empty one drops the part), `{name}`
is replaced by a value. Every date, amount, IBAN and file reference goes through `Ctx`, which
remembers how it was printed; the gold fields are what of that really appears in the final
text, in order of first appearance.
"""

import datetime
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


def alternatives_expand(template: str, rng: random.Random) -> str:
    """Resolve every `[a|b]` in the template with one random choice (nested ones too)."""

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
        while True:
            text, position = sequence(position, nested=True)
            options.append(text)
            if template[position] == "]":
                return rng.choice(options), position + 1
            position += 1  # past "|"

    return sequence(0, nested=False)[0]


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

    # choices
    def pick(self, options):
        return self.rng.choice(list(options))

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
        text = alternatives_expand(template, self.rng)
        return text.format_map(values or {}) if "{" in text else text

    def paragraphs(self, items, values: dict) -> list[str]:
        """Fill a body: plain templates always, `Opt` sometimes, `One` one of them."""
        out = []
        for item in items:
            if isinstance(item, Opt):
                if not self.keep_optional(item.weight):
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
