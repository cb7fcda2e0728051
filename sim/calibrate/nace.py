"""NACE Rev. 2 sector sets used by the calibration: A*64 (FPB), A*21 sections, A*10 groups.

A*21 uses the section letters A..T (U, extraterritorial organisations, has no Belgian data in
the FPB 2015 table and is dropped). A*10 uses Eurostat's A*10 grouping with the codes of the
shared derived tables: A, B-E, F, G-I, J, K, L, M_N, O-Q, R-U (R-U holds R, S and T here).
"""

from __future__ import annotations

SECTIONS: tuple[str, ...] = tuple("ABCDEFGHIJKLMNOPQRST")

SECTION_NAMES: dict[str, str] = {
    "A": "Agriculture, forestry and fishing",
    "B": "Mining and quarrying",
    "C": "Manufacturing",
    "D": "Electricity, gas, steam and air conditioning supply",
    "E": "Water supply; sewerage, waste management and remediation",
    "F": "Construction",
    "G": "Wholesale and retail trade; repair of motor vehicles",
    "H": "Transportation and storage",
    "I": "Accommodation and food service activities",
    "J": "Information and communication",
    "K": "Financial and insurance activities",
    "L": "Real estate activities (incl. imputed rents of owner-occupiers, 68a)",
    "M": "Professional, scientific and technical activities",
    "N": "Administrative and support service activities",
    "O": "Public administration and defence; compulsory social security",
    "P": "Education",
    "Q": "Human health and social work activities",
    "R": "Arts, entertainment and recreation",
    "S": "Other service activities",
    "T": "Activities of households as employers",
}

A10_OF_SECTION: dict[str, str] = {
    "A": "A", "B": "B-E", "C": "B-E", "D": "B-E", "E": "B-E", "F": "F", "G": "G-I",
    "H": "G-I", "I": "G-I", "J": "J", "K": "K", "L": "L", "M": "M_N", "N": "M_N",
    "O": "O-Q", "P": "O-Q", "Q": "O-Q", "R": "R-U", "S": "R-U", "T": "R-U",
}

A10: tuple[str, ...] = ("A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U")

A10_NAMES: dict[str, str] = {
    "A": "Agriculture, forestry and fishing",
    "B-E": "Industry (mining, manufacturing, energy, water and waste)",
    "F": "Construction",
    "G-I": "Trade, transport, accommodation and food services",
    "J": "Information and communication",
    "K": "Financial and insurance activities",
    "L": "Real estate activities (incl. imputed rents)",
    "M_N": "Professional, scientific, technical, administrative and support services",
    "O-Q": "Public administration, defence, education, health and social work",
    "R-U": "Arts, entertainment, recreation, other services, households as employers",
}

# NACE division ranges of each section (first division of an A*64 code decides).
_DIVISIONS: tuple[tuple[int, int, str], ...] = (
    (1, 3, "A"), (5, 9, "B"), (10, 33, "C"), (35, 35, "D"), (36, 39, "E"), (41, 43, "F"),
    (45, 47, "G"), (49, 53, "H"), (55, 56, "I"), (58, 63, "J"), (64, 66, "K"), (68, 68, "L"),
    (69, 75, "M"), (77, 82, "N"), (84, 84, "O"), (85, 85, "P"), (86, 88, "Q"), (90, 93, "R"),
    (94, 96, "S"), (97, 98, "T"),
)


def section_of_a64(code: str) -> str | None:
    """Section letter of an FPB A*64 industry code such as ``'05-09'``, ``'68a'``; else None."""
    head = code.strip().split("-")[0].rstrip("_a")
    if not head.isdigit():
        return None
    division = int(head)
    for low, high, section in _DIVISIONS:
        if low <= division <= high:
            return section
    return None


def sectors_of(level: str) -> tuple[str, ...]:
    """Sector codes of a level, in NACE order."""
    return SECTIONS if level == "A21" else A10


def group_of(level: str, section: str) -> str:
    """The sector of ``level`` a section belongs to."""
    return section if level == "A21" else A10_OF_SECTION[section]


def names_of(level: str) -> dict[str, str]:
    return SECTION_NAMES if level == "A21" else A10_NAMES
