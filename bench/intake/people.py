"""The fictional world the letters come from: people, companies, addresses, accounts.

Every person and company is made up. Streets are real Wuppertal streets (as in
rathaus/demo/data/addresses.csv) with invented house numbers; IBANs carry valid check digits
but fictional bank codes; telephone numbers come from the ranges the Bundesnetzagentur keeps
free for films and books; e-mail domains are example domains.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field

from stdnum import iban as stdnum_iban

from bench.intake.wording import Ctx

FEMALE = (  # noqa: SIM905 (a list of names reads best as words)
    "Anna Lena Sophie Marie Laura Julia Sarah Katharina Sabine Petra Monika Ursula Gabriele "
    "Claudia Andrea Birgit Heike Susanne Nicole Stefanie Christina Melanie Jessica Vanessa "
    "Hannah Emma Mia Lea Johanna Charlotte Ingrid Renate Helga Elke Karin Brigitte Aylin Elif "
    "Zeynep Fatma Agnieszka Katarzyna Natalia Olga Svetlana Maria Giulia Elena Eleni Fatima "
    "Amira Leila Ana Ivana Miriam Nadine Kerstin Tanja Silke Jana Anke Dagmar Gisela "
    "Rosemarie"
).split()
MALE = (  # noqa: SIM905 (a list of names reads best as words)
    "Thomas Michael Andreas Stefan Frank Markus Christian Peter Klaus Jürgen Wolfgang Uwe "
    "Dieter Bernd Ralf Sven Jan Tim Lukas Leon Felix Jonas Paul Maximilian Alexander Daniel "
    "Tobias Florian Sebastian Matthias Dirk Heinz Horst Günter Manfred Mehmet Ahmet Mustafa "
    "Emre Can Murat Piotr Tomasz Krzysztof Dimitrios Giorgos Marco Luca Giuseppe Ali Omar "
    "Karim Hassan Ivan Dmitri Sergej Nikola Milan Goran Kai Nils Ole Hendrik Oliver Patrick "
    "René Timo Jens Carsten Volker Norbert Hans-Peter Karl-Heinz"
).split()
SURNAMES = (  # noqa: SIM905 (a list of names reads best as words)
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann "
    "Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann Schulze Köhler Herrmann König "
    "Walter Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel "
    "Friedrich Keller Günther Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht "
    "Schuster Simon Ludwig Böhm Winter Kraus Schumacher Krämer Vogt Stein Jäger Sommer Groß "
    "Seidel Heinrich Brandt Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn Pohl Engel Horn "
    "Busch Bergmann Voigt Sauer Arnold Wolff Pfeiffer Halbach Kortenbach Siepmann Bruckhaus "
    "Kemper Vorberg Hüsken Bockmühl Osenberg Dahlmann Rittershaus Yılmaz Kaya Demir Şahin "
    "Çelik Yıldız Öztürk Aydın Arslan Doğan Nowak Kamiński Rossi Russo Esposito Romano "
    "Papadopoulos Georgiou Haddad Khalil Nasser Jovanović Petrović Hodžić Ivanov Wiebe "
    "Friesen Dück"
).split()

# (street, postcode, district): real streets of Wuppertal, the house numbers are invented.
STREETS = [
    ("Friedrich-Ebert-Straße", "42103", "Elberfeld"),
    ("Hofaue", "42103", "Elberfeld"),
    ("Luisenstraße", "42103", "Elberfeld"),
    ("Herzogstraße", "42103", "Elberfeld"),
    ("Kasinostraße", "42103", "Elberfeld"),
    ("Morianstraße", "42103", "Elberfeld"),
    ("Laurentiusstraße", "42103", "Elberfeld"),
    ("Briller Straße", "42105", "Elberfeld"),
    ("Hochstraße", "42105", "Elberfeld"),
    ("Marienstraße", "42105", "Elberfeld"),
    ("Wiesenstraße", "42105", "Elberfeld"),
    ("Mirker Straße", "42105", "Elberfeld"),
    ("Charlottenstraße", "42105", "Elberfeld"),
    ("Ludwigstraße", "42105", "Elberfeld"),
    ("Hombüchel", "42105", "Elberfeld"),
    ("Gathe", "42107", "Elberfeld"),
    ("Deweerthstraße", "42107", "Elberfeld"),
    ("Uellendahler Straße", "42107", "Elberfeld"),
    ("Uellendahler Straße", "42109", "Uellendahl-Katernberg"),
    ("Röttgen", "42109", "Uellendahl-Katernberg"),
    ("Höhenstraße", "42111", "Uellendahl-Katernberg"),
    ("Dönberger Straße", "42111", "Uellendahl-Katernberg"),
    ("Nützenberger Straße", "42115", "Elberfeld-West"),
    ("Katernberger Straße", "42115", "Elberfeld-West"),
    ("Sadowastraße", "42115", "Elberfeld-West"),
    ("Varresbecker Straße", "42115", "Elberfeld-West"),
    ("Otto-Hausmann-Ring", "42115", "Elberfeld-West"),
    ("Simonsstraße", "42117", "Elberfeld"),
    ("Viehhofstraße", "42117", "Elberfeld"),
    ("Ronsdorfer Straße", "42119", "Elberfeld"),
    ("Gaußstraße", "42119", "Elberfeld"),
    ("Werth", "42275", "Barmen"),
    ("Höhne", "42275", "Barmen"),
    ("Fischertal", "42287", "Barmen"),
    ("Sternstraße", "42275", "Barmen"),
    ("Berliner Straße", "42277", "Oberbarmen"),
    ("Wichlinghauser Straße", "42277", "Oberbarmen"),
    ("Normannenstraße", "42277", "Oberbarmen"),
    ("Westkotter Straße", "42277", "Oberbarmen"),
    ("Wittener Straße", "42279", "Nächstebreck"),
    ("Mollenkotten", "42279", "Nächstebreck"),
    ("Sedanstraße", "42281", "Barmen"),
    ("Hatzfelder Straße", "42281", "Barmen"),
    ("Märkische Straße", "42281", "Barmen"),
    ("Carnaper Straße", "42283", "Barmen"),
    ("Unterdörnen", "42283", "Barmen"),
    ("Hünefeldstraße", "42285", "Barmen"),
    ("Wittensteinstraße", "42285", "Barmen"),
    ("Oberbergische Straße", "42285", "Barmen"),
    ("Lichtscheider Straße", "42285", "Barmen"),
    ("Heckinghauser Straße", "42289", "Heckinghausen"),
    ("Widukindstraße", "42289", "Heckinghausen"),
    ("Bahnstraße", "42327", "Vohwinkel"),
    ("Sonnborner Straße", "42327", "Vohwinkel"),
    ("Kaiserstraße", "42329", "Vohwinkel"),
    ("Vohwinkeler Straße", "42329", "Vohwinkel"),
    ("Gräfrather Straße", "42329", "Vohwinkel"),
    ("Ehrenhainstraße", "42329", "Vohwinkel"),
    ("Hauptstraße", "42349", "Cronenberg"),
    ("Solinger Straße", "42349", "Cronenberg"),
    ("Küllenhahner Straße", "42349", "Cronenberg"),
    ("Kemmannstraße", "42349", "Cronenberg"),
    ("Staasstraße", "42369", "Ronsdorf"),
    ("Lüttringhauser Straße", "42369", "Ronsdorf"),
    ("Remscheider Straße", "42369", "Ronsdorf"),
    ("Staubenthaler Straße", "42369", "Ronsdorf"),
    ("Schwelmer Straße", "42389", "Langerfeld-Beyenburg"),
    ("Inselstraße", "42389", "Langerfeld-Beyenburg"),
    ("Beyenburger Freiheit", "42399", "Langerfeld-Beyenburg"),
]

# Companies sit in Wuppertal or nearby, on streets every town has.
BUSINESS_STREETS = [
    "Industriestraße",
    "Gewerbestraße",
    "Am Handwerkerhof",
    "Im Gewerbepark",
    "Hansastraße",
    "Siemensstraße",
    "Otto-Hahn-Straße",
    "Max-Planck-Straße",
    "Robert-Bosch-Straße",
    "Carl-Benz-Straße",
    "Feldstraße",
    "Bahnhofstraße",
]
TOWNS = [
    ("Wuppertal", ["42103", "42107", "42119", "42277", "42285", "42327", "42349", "42369"]),
    ("Solingen", ["42651", "42655", "42697"]),
    ("Remscheid", ["42853", "42855", "42897"]),
    ("Velbert", ["42549", "42551"]),
    ("Haan", ["42781"]),
    ("Schwelm", ["58332"]),
    ("Mettmann", ["40822"]),
    ("Düsseldorf", ["40210", "40211", "40233", "40476"]),
    ("Hagen", ["58095", "58097"]),
    ("Essen", ["45127", "45136"]),
]

# Bank codes that belong to no bank (and the test code 12345678), names made up.
BANKS = [
    ("12345678", "Testbank Wuppertal"),
    ("99990001", "Bergische Genossenschaftsbank"),
    ("99990002", "Wupperbank"),
    ("99990003", "Sparkasse am Döppersberg"),
    ("99990004", "Niederbergische Volksbank"),
]

TELEPHONE_BLOCKS = ["030 23125", "069 90009", "040 66969", "0221 4710", "089 99998"]
MOBILE_BLOCKS = ["0171 39200", "0172 99259", "0176 04069"]
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i"})
MAIL_DOMAINS = ["example.org", "example.com", "example.net", "mail.example", "post.example"]


@dataclass
class Party:
    """Someone who writes: a person or an organisation, with the postal address as printed."""

    name: str
    street: str
    postcode: str
    town: str
    kind: str = "person"  # "person" or "company"
    gender: str = ""  # "f" or "m" for people
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    extra: list[str] = field(default_factory=list)  # lines above the name, e.g. a firm's trade

    @property
    def town_line(self) -> str:
        return f"{self.postcode} {self.town}"

    def lines(self) -> list[str]:
        return [self.name, self.street, self.town_line]

    def title(self) -> str:
        """Herr/Frau and the surname, for a salutation or a sentence."""
        return f"{'Frau' if self.gender == 'f' else 'Herr'} {self.last_name}"

    def gold(self) -> dict:
        return {
            "name": self.name,
            "street": self.street,
            "postcode": self.postcode,
            "town": self.town,
        }


def _number(ctx: Ctx) -> str:
    number = str(ctx.between(1, 180))
    return number + ctx.pick(["", "", "", "", "", "", "a", "b"])


def phone_make(ctx: Ctx, *, mobile: bool | None = None) -> str:
    if mobile is None:
        mobile = ctx.chance(0.5)
    block = ctx.pick(MOBILE_BLOCKS if mobile else TELEPHONE_BLOCKS)
    return f"{block} {ctx.between(0, 99):02d}" if mobile else f"{block}-{ctx.between(0, 999):03d}"


def _slug(name: str) -> str:
    """A name as it can stand in an e-mail address: ASCII letters, digits and dashes."""
    name = unicodedata.normalize("NFKD", name.lower().translate(UMLAUTS))
    return "".join(c for c in name if c.isascii() and (c.isalnum() or c == "-"))


def _mail_local(first: str, last: str, ctx: Ctx) -> str:
    first, last = _slug(first), _slug(last)
    shape = ctx.pick(["{f}.{l}", "{f}{l}", "{f0}.{l}", "{l}.{f}", "{f}.{l}{n}"])
    return shape.format(f=first, l=last, f0=first[:1], n=ctx.between(1, 99))


def person_make(ctx: Ctx, *, gender: str | None = None, surname: str | None = None) -> Party:
    gender = gender or ctx.pick("fm")
    first = ctx.pick_pool(FEMALE if gender == "f" else MALE)
    last = surname or ctx.pick_pool(SURNAMES)
    street, postcode, _district = ctx.pick_pool(STREETS)
    return Party(
        name=f"{first} {last}",
        street=f"{street} {_number(ctx)}",
        postcode=postcode,
        town="Wuppertal",
        gender=gender,
        first_name=first,
        last_name=last,
        email=f"{_mail_local(first, last, ctx)}@{ctx.pick(MAIL_DOMAINS)}",
        phone=phone_make(ctx),
    )


def birthday_make(ctx: Ctx, *, youngest: int = 19, oldest: int = 84) -> datetime.date:
    year = ctx.today.year - ctx.between(youngest, oldest)
    return datetime.date(year, ctx.between(1, 12), ctx.between(1, 28))


def address_make(ctx: Ctx, *, wuppertal: float = 0.6) -> tuple[str, str, str]:
    """(street with number, postcode, town) of a business."""
    if ctx.chance(wuppertal):
        street, postcode, _ = ctx.pick_pool(STREETS)
        return f"{street} {_number(ctx)}", postcode, "Wuppertal"
    town, postcodes = ctx.pick_pool(TOWNS[1:])
    return f"{ctx.pick_pool(BUSINESS_STREETS)} {_number(ctx)}", ctx.pick(postcodes), town


def company_make(
    ctx: Ctx, *, trade: str, forms: tuple[str, ...] = (), wuppertal: float = 0.6
) -> Party:
    """A fictional company of a trade ("Bürobedarf", "Gebäudereinigung", ...)."""
    owner = ctx.pick_pool(SURNAMES)
    other = ctx.pick_pool(SURNAMES)
    form = ctx.pick(forms or ("GmbH", "GmbH", "GmbH & Co. KG", "e.K.", "OHG", "AG", "UG"))
    shape = ctx.pick(
        [
            "{owner} {trade} {form}",
            "{trade} {owner} {form}",
            "{owner} & {other} {trade} {form}",
            "Bergische {trade} {form}",
            "{trade}service Wupper {form}",
            "{prefix}{trade_lower} {form}",
        ]
    )
    prefix = ctx.pick(["Wupper", "Tal", "Berg", "Rhein", "Nord", "West", "Schwebe"])
    name = shape.format(
        owner=owner, other=other, trade=trade, form=form, prefix=prefix, trade_lower=trade.lower()
    )
    street, postcode, town = address_make(ctx, wuppertal=wuppertal)
    domain = _slug(owner) or "firma"
    return Party(
        name=name,
        street=street,
        postcode=postcode,
        town=town,
        kind="company",
        last_name=owner,
        email=f"{ctx.pick(['info', 'buchhaltung', 'kontakt', 'rechnung'])}@{domain}.example",
        phone=phone_make(ctx, mobile=False),
    )


def law_firm_make(ctx: Ctx) -> tuple[Party, Party]:
    """A law firm and the lawyer who signs."""
    lawyer = person_make(ctx)
    partner = ctx.pick_pool(SURNAMES)
    name = ctx.pick(
        [
            f"Rechtsanwälte {lawyer.last_name} & {partner}",
            f"Kanzlei {lawyer.last_name}",
            f"{lawyer.last_name} {partner} Rechtsanwälte PartGmbB",
            f"Anwaltskanzlei {partner} & Kollegen",
        ]
    )
    street, postcode, town = address_make(ctx, wuppertal=0.75)
    firm = Party(
        name=name,
        street=street,
        postcode=postcode,
        town=town,
        kind="company",
        last_name=lawyer.last_name,
        email=f"kanzlei@{_slug(partner)}-recht.example",
        phone=phone_make(ctx, mobile=False),
    )
    return firm, lawyer


def iban_make(ctx: Ctx) -> str:
    """A German IBAN with valid check digits on a fictional bank code."""
    bank_code, _ = ctx.pick(BANKS)
    account = f"{ctx.between(0, 9_999_999_999):010d}"
    body = f"{bank_code}{account}"
    check = stdnum_iban.calc_check_digits(f"DE00{body}")
    return f"DE{check}{body}"


def bank_name(iban: str) -> str:
    return dict(BANKS)[iban[4:12]]


def plate_make(ctx: Ctx) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    head = "".join(ctx.pick(letters) for _ in range(ctx.between(1, 2)))
    return f"W-{head} {ctx.between(1, 9999)}"
