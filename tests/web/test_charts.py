"""The SVG charts: counts drawn to scale, labels escaped, a text alternative for screen readers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from dxatlas.web.charts import age_chart, age_groups, bar_chart, sex_chart

SVG = "{http://www.w3.org/2000/svg}"


def _rows(svg: str) -> list[tuple[str, int, float]]:
    root = ET.fromstring(svg)
    return [
        (
            g.get("data-label") or "",
            int(g.get("data-count") or -1),
            float(g.find(f"{SVG}rect").get("width")),
        )  # type: ignore[union-attr]
        for g in root.iter(f"{SVG}g")
    ]


def test_sex_chart_draws_each_count_to_scale() -> None:
    svg = str(sex_chart(3, 6))
    root = ET.fromstring(svg)  # well-formed XML
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "sex-chart-title sex-chart-desc"
    assert root.find(f"{SVG}title").text == "Sex distribution"  # type: ignore[union-attr]
    desc = root.find(f"{SVG}desc").text  # type: ignore[union-attr]
    assert desc == "Sex distribution: male 3 patients, female 6 patients (total 9)."
    (male, male_n, male_w), (female, female_n, female_w) = _rows(svg)
    assert (male, male_n, female, female_n) == ("male", 3, "female", 6)
    assert female_w > 0 and abs(male_w * 2 - female_w) < 0.2
    assert ">3</text>" in svg and ">6</text>" in svg


def test_labels_and_title_are_escaped() -> None:
    payload = '<script>alert("x")</script>'
    svg = str(bar_chart('c"1', payload, [(payload, 1), ("a & b", 0)], unit="cases"))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "a &amp; b" in svg
    root = ET.fromstring(svg)
    assert root.get("id") == 'c"1'
    assert root.find(f"{SVG}desc").text == f"{payload}: {payload} 1 case, a & b 0 cases (total 1)."  # type: ignore[union-attr]


def test_zero_counts_draw_no_bar_and_no_division_by_zero() -> None:
    svg = str(sex_chart(0, 0))
    assert [width for _, _, width in _rows(svg)] == [0.0, 0.0]
    assert "(total 0)" in svg
    assert "no data" in str(bar_chart("e", "Empty", []))


def test_age_groups_and_chart() -> None:
    groups = dict(age_groups([0.5, 1, 5.9, 6, 17.99, 18, 39, 40, 64.5, 65, 90, -1]))
    assert groups == {
        "under 1": 1,
        "1 to 5": 2,
        "6 to 12": 1,
        "13 to 17": 1,
        "18 to 39": 2,
        "40 to 64": 2,
        "65 and over": 2,
    }
    svg = str(age_chart([30, 31, 70], chart_id="ages"))
    counts = {label: n for label, n, _ in _rows(svg)}
    assert counts["18 to 39"] == 2 and counts["65 and over"] == 1 and counts["under 1"] == 0
    assert re.search(r'id="ages-title">Age distribution</title>', svg)
