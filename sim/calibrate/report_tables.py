"""Markdown tables shared by the sections of ``calibration/REPORT.md``."""

from __future__ import annotations

from sim.calibrate import adoption
from sim.calibrate.fmt import dec, num
from sim.calibrate.outputs import RegionInputs
from sim.calibrate.sectors import Accounts


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table followed by a blank line."""
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines + [""]


def sector_table(acc: Accounts, inp: RegionInputs) -> list[str]:
    """One region x level: VA, employment, shares, labour share, E0 and size weights."""
    vs, es = acc.va_shares(), acc.employment_shares()
    rows = []
    for c in acc.codes:
        w = inp.size[c]
        rows.append([c, dec(acc.value_added[c]), num(vs[c], 3),
                     str(int(round(acc.employment[c]))), num(es[c], 3),
                     num(acc.labour_share[c], 3), num(inp.exposure[c]["ilo2025"], 3),
                     " / ".join(num(w[s], 2) for s in adoption.SIZE_CLASSES)])
    return table(["code", "VA (M EUR)", "VA share", "employment", "emp. share",
                  "labour share", "E0 (ILO)", "size weights m/s/M/L"], rows)
