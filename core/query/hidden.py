"""What a view leaves out, so a page can say so: rows outside the chosen dates, undated rows
(never on a time axis), and why a filter gives nothing.

Each function compares the rows a page shows with the rows the same filters keep once the
date range is dropped (`without_dates`); the pages fetch both through their usual queries.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from core.query.filters import Filters, arrow_strings


def without_dates(filters: Filters) -> Filters:
    """`filters` with the date range dropped (every other choice kept)."""
    return replace(filters, date_from=None, date_to=None)


@dataclass(frozen=True)
class Hidden:
    """What a view does not show: rows the date range drops (`outside`, with their years),
    and undated rows (`undated`; in tables only when no date range is set, never on a chart)."""

    noun: str
    outside: int = 0
    undated: int = 0
    outside_years: tuple[tuple[str, int], ...] = ()
    undated_shown: bool = False

    def any(self) -> bool:
        """True when something is left out."""
        return bool(self.outside or self.undated)

    def line(self) -> str:
        """One line for under a chart or table: "6 events outside the dates, 1 undated"
        (empty when nothing is hidden)."""
        parts = []
        if self.outside:
            parts.append(f"{self.outside:,} {plural(self.noun, self.outside)} outside the dates")
        if self.undated:
            tail = "undated (listed in the table, not on the chart)" if self.undated_shown else "undated"
            parts.append(f"{self.undated:,} {tail}" if parts else
                         f"{self.undated:,} {plural(self.noun, self.undated)} {tail}")
        return ", ".join(parts)


def plural(noun: str, n: int) -> str:
    """`noun` ("event", "story", "claim") for a count of `n`."""
    if n == 1:
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


def hidden_rows(shown: pd.DataFrame, relaxed: pd.DataFrame, *, key: str, when: str, filters: Filters,
                noun: str, chart: bool = True) -> tuple[Hidden, pd.DataFrame]:
    """(what is hidden, the hidden rows) when `shown` (rows the filters keep) is compared with
    `relaxed` (the same filters without the date range), rows matched on `key`, dated by
    `when` (datetimes or ISO strings; missing means undated).

    Under a chart (`chart`), undated rows count as hidden also when no date range is set: a
    time axis cannot place them (`undated_shown` then says the table still lists them); under
    a table alone only those the filters drop count."""
    dates = pd.to_datetime(relaxed[when], errors="coerce")
    # One pyarrow look-up (Series.isin on Arrow strings loops in Python: seconds on 1e5 rows).
    kept = pd.Series(True if shown is relaxed else np.asarray(
        pc.is_in(arrow_strings(relaxed[key]), value_set=arrow_strings(shown[key])), dtype=bool), index=relaxed.index)
    undated = dates.isna() & (~kept | chart)
    outside = ~kept & ~undated
    years = dates[outside].dt.year.value_counts().sort_index()
    hidden = Hidden(noun=noun, outside=int(outside.sum()), undated=int(undated.sum()),
                    outside_years=tuple((str(y), int(n)) for y, n in years.items()),
                    undated_shown=chart and not (filters.date_from or filters.date_to))
    rows = relaxed[outside | undated].assign(
        hidden=np.where(outside[outside | undated].to_numpy(dtype=bool), "outside the dates", "undated"))
    return hidden, rows.reset_index(drop=True)


def explain_empty(hidden: Hidden, filters: Filters) -> str:
    """Why a view with the filters `filters` shows no `hidden.noun`: "Kim Jong Un in 2024
    gives 0 events: 3 are undated, 2 are in 2023." (what the date range drops, by year)."""
    what = []
    if filters.actors:
        what.append(", ".join(filters.actors))
    if filters.date_from or filters.date_to:
        what.append(_range_words(filters.date_from, filters.date_to))
    head = f"{' '.join(what) or 'These filters'} {'give' if not what else 'gives'} 0 {plural(hidden.noun, 0)}"
    reasons = []
    if hidden.undated:
        reasons.append(f"{hidden.undated:,} {'is' if hidden.undated == 1 else 'are'} undated")
    for year, n in hidden.outside_years:
        reasons.append(f"{n:,} {'is' if n == 1 else 'are'} in {year}")
    if not reasons:
        return head + (": none match the other filters either." if what else ".")
    return f"{head}: {', '.join(reasons)}."


def _range_words(date_from: str | None, date_to: str | None) -> str:
    """"in 2024" for a whole year, else "from 2024-01-01", "to 2024-06-30", "2024-01-01 to 2024-06-30"."""
    if date_from and date_to and date_from[:4] == date_to[:4] and date_from[4:] == "-01-01" and date_to[4:] == "-12-31":
        return f"in {date_from[:4]}"
    if date_from and date_to:
        return f"{date_from} to {date_to}"
    return f"from {date_from}" if date_from else f"to {date_to}"


def hidden_counts(shown: pd.DataFrame, relaxed: pd.DataFrame, *, filters: Filters, noun: str) -> Hidden:
    """hidden_rows' Hidden under a chart, from counts alone: `shown` and `relaxed` are rows of
    (`when`: datetime or NaT, `n_stories`: how many rows that stands for) of the rows the
    filters keep and of those they keep without the date range. Assumes what a date range
    keeps is dated and kept without it too (so the range hides the relaxed dated rows less the
    shown ones). `outside_years` (explain_empty's) is filled when nothing is shown."""
    undated = int(relaxed.loc[relaxed["when"].isna(), "n_stories"].sum())
    dates_set = bool(filters.date_from or filters.date_to)
    outside = int(relaxed.loc[relaxed["when"].notna(), "n_stories"].sum()) - int(shown["n_stories"].sum())
    years: tuple[tuple[str, int], ...] = ()
    if dates_set and not int(shown["n_stories"].sum()):
        dated = relaxed[relaxed["when"].notna()]
        per_year = dated.groupby(dated["when"].dt.year)["n_stories"].sum().sort_index()
        years = tuple((str(y), int(n)) for y, n in per_year.items())
    return Hidden(noun=noun, outside=outside if dates_set else 0, undated=undated, outside_years=years,
                  undated_shown=not dates_set)
