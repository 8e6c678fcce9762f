"""The demo city's departments, staff and citizens. Fictional people only.

Everything here is public (it is in the source), including the password and the TOTP secrets:
which is why `demo_city` refuses to run on a production database.
"""

import datetime
from pathlib import Path
from typing import NamedTuple

from rathaus.accounts.models import Role

DEMO_PASSWORD = "Rathaus-Demo-2026"  # noqa: S105 - the documented shared demo password
DATA_DIR = Path(__file__).resolve().parent / "data"


class DepartmentSpec(NamedTuple):
    code: str
    slug: str
    name: str

    @property
    def email(self) -> str:
        return f"{self.slug}@stadt.example"


class StaffSpec(NamedTuple):
    email: str
    first_name: str
    last_name: str
    department_code: str | None  # None: the administrator, who belongs to no department
    role: Role | None
    totp_secret: str  # base32, fixed so that `demo_totp` and authenticator apps agree


class CitizenSpec(NamedTuple):
    email: str
    first_name: str
    last_name: str
    register_id: str  # the same person in data/residents.csv
    date_of_birth: datetime.date


DEPARTMENTS = [
    DepartmentSpec("010", "beschwerden", "Anregungen und Beschwerden"),
    DepartmentSpec("030", "recht", "Rechtsamt"),
    DepartmentSpec("102", "buergerservice", "Bürgerservice und Einwohnermeldeamt"),
    DepartmentSpec("104", "verkehr", "Straßen und Verkehr"),
    DepartmentSpec("105", "bauaufsicht", "Bauaufsicht"),
    DepartmentSpec("106", "gewerbe", "Ordnung und Gewerbe"),
    DepartmentSpec("107", "bussgeld", "Bußgeldstelle"),
    DepartmentSpec("201", "steuern", "Steueramt"),
    DepartmentSpec("202", "stadtkasse", "Stadtkasse"),
    DepartmentSpec("301", "soziales", "Soziales und Wohnen"),
    DepartmentSpec("302", "jugend", "Jugend und Kindertagesbetreuung"),
    DepartmentSpec("400", "druck", "Zentrale Dienste – Druck und Post"),
    DepartmentSpec("403", "digitalisierung", "Informationstechnik und Digitalisierung"),
]

ADMINISTRATOR = StaffSpec(
    "andrea.schulz@stadt.example",
    "Andrea",
    "Schulz",
    None,
    None,
    "T2EQ5SLYSIQPDCTRQIO43K3S6QPXMFFP",
)
STAFF = [
    ADMINISTRATOR,
    StaffSpec(
        "petra.neumann@stadt.example",
        "Petra",
        "Neumann",
        "102",
        Role.CASEWORKER,
        "GFIHNTBMEBYO4J5IJ3C4FDCXQTCLNRWJ",
    ),
    StaffSpec(
        "stefan.wagner@stadt.example",
        "Stefan",
        "Wagner",
        "104",
        Role.CASEWORKER,
        "CIW3N3HBD3WSFE536IGGVR2MVVTNFPKV",
    ),
    StaffSpec(
        "claudia.richter@stadt.example",
        "Claudia",
        "Richter",
        "104",
        Role.LEAD,
        "RRMUWH6OJLGMVGYLRJ7BWAGXU3DZWY7M",
    ),
    StaffSpec(
        "murat.kaya@stadt.example",
        "Murat",
        "Kaya",
        "106",
        Role.CASEWORKER,
        "MKTUDW3SE5REHPLFUFBPI6QHT6XX3BMK",
    ),
    StaffSpec(
        "sabine.koch@stadt.example",
        "Sabine",
        "Koch",
        "201",
        Role.CASEWORKER,
        "HN2ORIGV54WEM7CYT27CSBXEOMB2PLP3",
    ),
    StaffSpec(
        "markus.hoffmann@stadt.example",
        "Markus",
        "Hoffmann",
        "202",
        Role.CASEWORKER,
        "Y6FEP75MBSXP7Y2IPRLGW5RSCDBGKP7J",
    ),
    StaffSpec(
        "nina.schmitz@stadt.example",
        "Nina",
        "Schmitz",
        "400",
        Role.CASEWORKER,
        "QO3XZUSXKPJ4RTM2VPTBZ5XKCNUGYOAF",
    ),
    StaffSpec(
        "jonas.lehmann@stadt.example",
        "Jonas",
        "Lehmann",
        "403",
        Role.CASEWORKER,
        "HEWRP5IEM2VXX72LS7CJLR5TY2Z2H7XH",
    ),
    # The departments that incoming mail goes to (catalog/intake.yaml).
    StaffSpec(
        "eva.brandt@stadt.example",
        "Eva",
        "Brandt",
        "010",
        Role.CASEWORKER,
        "SNRSLZ43Z2VWUS3RRPTS64UZWZ5AUYCO",
    ),
    StaffSpec(
        "tobias.vogel@stadt.example",
        "Tobias",
        "Vogel",
        "030",
        Role.CASEWORKER,
        "NPEKHEWTRAF25WIIX3R2M4YCR2EL3Y3A",
    ),
    StaffSpec(
        "miriam.engel@stadt.example",
        "Miriam",
        "Engel",
        "105",
        Role.CASEWORKER,
        "JOVZK5KKQDD326FGVCN4CVJPLZH5MU7F",
    ),
    StaffSpec(
        "kemal.arslan@stadt.example",
        "Kemal",
        "Arslan",
        "107",
        Role.CASEWORKER,
        "QWE6TG3ZMAGOYVOQ375SMUXMS7Z5E46U",
    ),
    StaffSpec(
        "ingrid.peters@stadt.example",
        "Ingrid",
        "Peters",
        "301",
        Role.CASEWORKER,
        "FU36BEZCK5EXS6LNOANRMOYSCTQ6XPAI",
    ),
    StaffSpec(
        "lukas.hartmann@stadt.example",
        "Lukas",
        "Hartmann",
        "302",
        Role.CASEWORKER,
        "GTYROAAPH3N22SEQNJQXPLCW42X3UXAJ",
    ),
]

CITIZENS = [
    CitizenSpec(
        "lena.schaefer@example.org", "Lena", "Schäfer", "100001", datetime.date(1990, 3, 14)
    ),
    CitizenSpec(
        "thomas.krueger@example.org", "Thomas", "Krüger", "100005", datetime.date(1978, 11, 2)
    ),
    CitizenSpec("aylin.demir@example.org", "Aylin", "Demir", "100012", datetime.date(1995, 6, 21)),
    CitizenSpec(
        "juergen.weiss@example.org", "Jürgen", "Weiß", "100020", datetime.date(1962, 1, 30)
    ),
    CitizenSpec(
        "sophie.becker@example.org", "Sophie", "Becker", "100031", datetime.date(1987, 8, 9)
    ),
]
