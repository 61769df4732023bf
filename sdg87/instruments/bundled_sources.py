"""The bundled ratification files (``data/SOURCES.md``), their readers and what they cover.

Pure data: the loader (``services.ratifications_load_bundled``) reads every entry through its
reader, the pages show the notes. The 1953 Protocol table (``untc_slavery_protocol_1953``,
UNTC XVIII-1) is not loaded: the Protocol is not one of the eleven instruments, and every state
in it also appears in XVIII-2 or XVIII-3, which record the binding to the 1926 Convention.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sdg87.instruments.importers import RatificationReader
from sdg87.instruments.importers.hr_status import read_hr_status
from sdg87.instruments.importers.ilab import read_ilab
from sdg87.instruments.importers.treaty_table import read_treaty_table

NORMLEX = "ILO NORMLEX"
HR_STATUS = "UN HR treaty status"
ILAB = "US DOL ILAB"

NORMLEX_AS_OF = date(2026, 6, 4)  # BUSINESS_DATE of the scraped comparative table
UNTC_AS_OF = date(2015, 3, 14)  # last "treaty updates" commit of zmjones/untreaties
HR_STATUS_AS_OF = date(2022, 8, 25)  # world-politics-datalab commit fdb779e6
ILAB_AS_OF = date(2021, 12, 31)  # end of the last reporting year

# Non-member states that the UN Secretary-General and ILAB treat as states in their own right.
NON_MEMBER_STATES = frozenset({"COK", "NIU", "PSE", "VAT"})


@dataclass(frozen=True)
class BundledSource:
    path: Path  # relative to the data folder
    reader: RatificationReader
    source: str  # short name stored on every row
    as_of: date
    instrument: str | None = None  # None: the file names its instruments
    # Keep states only: ILAB repeats an administering state's status for its territories.
    states_only: bool = False


def _ilo(code: str) -> BundledSource:
    return BundledSource(
        Path("ratification") / f"ilo_{code}_ratifications.csv",
        read_treaty_table,
        NORMLEX,
        NORMLEX_AS_OF,
        code,
    )


def _untc(file: str, number: str, code: str) -> BundledSource:
    return BundledSource(
        Path("ratification") / file, read_treaty_table, f"UNTC {number}", UNTC_AS_OF, code
    )


def _hr(treaty: str, code: str) -> BundledSource:
    path = Path("ratification") / "un_core_hr_treaties" / f"hr_status_{treaty}.csv"
    return BundledSource(path, read_hr_status, HR_STATUS, HR_STATUS_AS_OF, code)


BUNDLED_SOURCES: tuple[BundledSource, ...] = (
    *(_ilo(code) for code in ("C029", "P029", "C105", "C138", "C182")),
    _untc("untc_slavery_convention_as_amended_parties.csv", "XVIII-2", "SLAVERY-1926"),
    _untc("untc_slavery_convention_1926_parties.csv", "XVIII-3", "SLAVERY-1926"),
    _untc("untc_supplementary_slavery_convention_1956_parties.csv", "XVIII-4", "SLAVERY-1956"),
    _untc("untc_palermo_protocol_parties.csv", "XVIII-12-a", "PALERMO"),
    _hr("crc", "CRC"),
    _hr("op_crc_ac", "CRC-OP-AC"),
    _hr("op_crc_sc", "CRC-OP-SC"),
    BundledSource(
        Path("ilab") / "ilab_ratifications_2016-2021.csv",
        read_ilab,
        ILAB,
        ILAB_AS_OF,
        states_only=True,
    ),
)

_ILO_NOTE = _(
    "ILO NORMLEX comparative table of the fundamental conventions (June 2026): every ILO "
    "member, with the year of ratification only. An ILO convention enters into force for a "
    "member 12 months after its ratification is registered, so ratifications of 2026 are shown "
    "as not yet in force."
)
_ILAB_NOTE = _(
    "US Department of Labor (ILAB) findings, 2016–2021: yes/no only, without dates. Used only "
    "where no other source records a consent (for example accessions after a source's "
    "snapshot); territories that share their administering state's status are left out."
)
_UNTC_NOTE = _(
    "UN Treaty Collection status table with full dates of signature and consent, as scraped in "
    "2013–2015: later actions are missing."
)
_HR_NOTE = _(
    "UN human-rights treaty status (2022): UN member states only, with the year of ratification "
    "or accession (not which of the two) and signatories without a date."
)

INSTRUMENT_NOTES: dict[str, tuple[Promise, ...]] = {
    "C029": (_ILO_NOTE,),
    "P029": (_ILO_NOTE,),
    "C105": (
        _ILO_NOTE,
        _(
            "Two ratifications were later denounced: Singapore (denounced 1979) and Malaysia "
            "(denounced 1990)."
        ),
    ),
    "C138": (_ILO_NOTE, _ILAB_NOTE),
    "C182": (_ILO_NOTE, _ILAB_NOTE),
    "SLAVERY-1926": (
        _UNTC_NOTE,
        _(
            "Parties are those of the Convention as amended by the 1953 Protocol (XVIII-2) and "
            "of the unamended Convention (XVIII-3). Ratifications deposited with the League of "
            "Nations (1927–1945) are not in the scraped tables: many early parties show the "
            "date they accepted the 1953 Protocol instead, and some show no record."
        ),
    ),
    "SLAVERY-1956": (
        _UNTC_NOTE,
        _("At least one party that joined after the snapshot is missing."),
    ),
    "PALERMO": (
        _UNTC_NOTE,
        _ILAB_NOTE,
        _("The European Union is a party but not a country, so it is not shown here."),
    ),
    "CRC": (_HR_NOTE, _ILAB_NOTE),
    "CRC-OP-AC": (_HR_NOTE, _ILAB_NOTE),
    "CRC-OP-SC": (_HR_NOTE, _ILAB_NOTE),
}
