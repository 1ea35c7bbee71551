"""Small charts drawn on the server as SVG: pure functions from counts to markup.

A concept page shows the sex and age of the patients its case reports describe. The charts need
no script and no library: each is a horizontal bar chart in an `<svg role="img">` whose `<title>`
and `<desc>` say the same numbers in words for screen readers. Every label is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

AGE_BINS: tuple[tuple[float, str], ...] = (
    (1, "under 1"),
    (6, "1 to 5"),
    (13, "6 to 12"),
    (18, "13 to 17"),
    (40, "18 to 39"),
    (65, "40 to 64"),
    (math.inf, "65 and over"),
)
"""Age groups in years: (upper bound, exclusive; label)."""

_ROW = 26  # height of one bar row
_LABEL = 96  # width of the label column
_COUNT = 44  # room after the longest bar for its count
_PAD = 6


def age_groups(ages_years: Sequence[float]) -> list[tuple[str, int]]:
    """How many ages fall in each of `AGE_BINS` (every group listed, empty ones as 0)."""
    counts = [0] * len(AGE_BINS)
    for age in ages_years:
        if age < 0 or math.isnan(age):
            continue
        index = next(i for i, (upper, _) in enumerate(AGE_BINS) if age < upper)
        counts[index] += 1
    return [(label, count) for (_, label), count in zip(AGE_BINS, counts, strict=True)]


def bar_chart(
    chart_id: str, title: str, bars: Sequence[tuple[str, int]], *, unit: str = "patients"
) -> Markup:
    """A horizontal bar chart of (label, count) rows, 320 units wide and scaled to its box.

    `chart_id` makes the ids of the title and description unique on the page; `unit` names what
    is counted in the description ("Sex distribution: male 3 patients, female 5 patients.")."""
    width = 320
    height = _PAD * 2 + _ROW * max(len(bars), 1)
    longest = max((count for _, count in bars), default=0)
    room = width - _LABEL - _COUNT
    words = ", ".join(
        f"{label} {count} {unit if count != 1 else unit.rstrip('s')}" for label, count in bars
    )
    total = sum(count for _, count in bars)
    description = f"{title}: {words or 'no data'} (total {total})."
    safe_id = escape(chart_id)
    parts = [
        Markup(
            '<svg class="chart" id="{id}" data-testid="{id}" viewBox="0 0 {w} {h}" width="{w}" '
            'height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" '
            'xmlns="http://www.w3.org/2000/svg">'
        ).format(id=safe_id, w=width, h=height),
        Markup('<title id="{}-title">{}</title>').format(safe_id, title),
        Markup('<desc id="{}-desc">{}</desc>').format(safe_id, description),
    ]
    for row, (label, count) in enumerate(bars):
        y = _PAD + row * _ROW
        length = 0.0 if longest == 0 else room * count / longest
        middle = y + _ROW / 2
        parts.append(
            Markup(
                '<g class="bar-row" data-label="{label}" data-count="{count}">'
                '<text class="chart-label" x="{lx}" y="{ty}" text-anchor="end" '
                'dominant-baseline="middle">{label}</text>'
                '<rect class="chart-bar" x="{bx}" y="{by}" width="{bw}" height="{bh}" rx="2" '
                'fill="#0b5cad"/>'
                '<text class="chart-count" x="{cx}" y="{ty}" dominant-baseline="middle">{count}'
                "</text></g>"
            ).format(
                label=label,
                count=count,
                lx=_LABEL - 8,
                ty=f"{middle:.1f}",
                bx=_LABEL,
                by=y + 4,
                bw=f"{length:.1f}",
                bh=_ROW - 8,
                cx=f"{_LABEL + length + 6:.1f}",
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def sex_chart(male: int, female: int, chart_id: str = "sex-chart") -> Markup:
    """The "Sex distribution" chart of a page's patients."""
    return bar_chart(chart_id, "Sex distribution", [("male", male), ("female", female)])


def age_chart(ages_years: Sequence[float], chart_id: str = "age-chart") -> Markup:
    """The "Age distribution" chart (years, in `AGE_BINS` groups) of a page's patients."""
    return bar_chart(chart_id, "Age distribution", age_groups(ages_years))
