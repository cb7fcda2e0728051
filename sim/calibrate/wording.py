"""The source comments and description sentences of each generated region file.

Every number in a calibration file carries its source in a comment; the sources differ by
region (Belgium: national tables; Flanders: regionalised and scaled to Statistiek Vlaanderen;
Brussels and Wallonia: regionalised and scaled to totals derived from IWEPS). This module says
them, so that the emitter (sim/calibrate/outputs.py) needs no per-region branches.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.calibrate import regions


@dataclass(frozen=True)
class Wording:
    """What the files of one region say about where their numbers come from."""

    tag: str
    pretty: str
    money_template: str  # formatted with what= the FPB row (B.1g, P.1, D.1)
    employment: str
    hours: str
    gdp_total: str
    employment_total: str
    years: str
    diffusion: str
    diffusion_comment: str = ""
    midpoint_comment: str = ""

    def money(self, what: str) -> str:
        return self.money_template.format(what=what)


BELGIUM = Wording(
    tag="belgium", pretty="Belgium",
    money_template="M EUR 2015 current prices; FPB IOT 2015 {what}",
    employment="persons 2019, NBB.stat domestic employment A64",
    hours="M hours 2015, FPB IOT 'Arbeidsvolume'",
    gdp_total="M EUR, Belgian GVA 2015 (sum of FPB B.1g)",
    employment_total="persons 2019, NBB.stat (sum of A64)",
    years=("Money values and hours are 2015 current prices (FPB input-output table 2015, the "
           "latest official Belgian IOT); persons are 2019 (NBB)."),
    diffusion="also used for Belgium: no Belgian series of the same survey")

FLANDERS = Wording(
    tag="flanders", pretty="Flemish Region",
    money_template=("M EUR 2022; FPB 2015 {what} per section x census-2011 Flemish share, "
                    "scaled to 296.9 bn EUR GVA (Statistiek Vlaanderen)"),
    employment="persons 2022; NBB 2019 x census-2011 Flemish share, scaled to 3,016,334",
    hours="M hours; FPB 2015 hours per 2019 person x persons",
    gdp_total="M EUR, Flemish GVA 2022 current prices, Statistiek Vlaanderen",
    employment_total="persons 2022, Statistiek Vlaanderen",
    years=("Money values are 2022 current prices (base year 2022, the latest Flemish regional "
           "accounts): Belgian 2015 FPB structure times census-2011 Flemish employment "
           "shares, scaled to 296.9 bn EUR GVA and 3,016,334 persons."),
    diffusion="also used for Belgium: no Belgian series of the same survey")


def other_region(region: regions.Region, gva: float, employment: float) -> Wording:
    """Brussels or Wallonia: regionalised like Flanders, totals derived from IWEPS figures."""
    adj, bn, persons = region.adjective, f"{gva / 1000:.1f}", f"{round(employment):,}"
    return Wording(
        tag=region.tag, pretty=region.name,
        money_template=(f"M EUR 2022; FPB 2015 {{what}} per section x census-2011 {adj} share, "
                        f"scaled to {bn} bn EUR GVA (IWEPS GDP ratio x Flemish GVA)"),
        employment=f"persons 2022; NBB 2019 x census-2011 {adj} share, scaled to {persons}",
        hours="M hours; FPB 2015 hours per 2019 person x persons",
        gdp_total=(f"M EUR, {adj} GVA 2022: Flemish GVA 2022 x IWEPS regional GDP ratio "
                   "(2021-2023 geometric mean)"),
        employment_total="persons 2022, IWEPS regional accounts 2022: change x (1 + 1/growth)",
        years=(f"Money values are 2022 current prices (base year 2022, as for Flanders): "
               f"Belgian 2015 FPB structure times census-2011 {adj} employment shares, scaled "
               f"to {bn} bn EUR GVA (the Flemish 2022 GVA times the IWEPS ratio of {adj} to "
               f"Flemish GDP) and {persons} persons (IWEPS regional accounts 2022)."),
        diffusion=(f"used for the {region.name} too, which has no survey of its own; the "
                   "uncertainty file widens the midpoints by a common regional shift"),
        diffusion_comment=f"; Flemish fit, no {adj} survey",
        midpoint_comment=("Flemish fit; sd = sqrt(bootstrap sd^2 + regional shift sd^2); "
                          "truncated at +/- 4 sd"))


def of(tag: str, gva: float, employment: float) -> Wording:
    """The wording of the region with file tag ``tag``."""
    if tag == "belgium":
        return BELGIUM
    if tag == "flanders":
        return FLANDERS
    return other_region(regions.BY_TAG[tag], gva, employment)
