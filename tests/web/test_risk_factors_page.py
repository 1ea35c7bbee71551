"""A concept page shows the risk factors imported tables list, in HTML and in its JSON twin."""

from __future__ import annotations

import os

from fastapi.testclient import TestClient

from dxatlas.kb.table_import import ImportedFinding
from dxatlas.store.store import Store


def test_imported_risk_factors_sit_under_etiology(web: TestClient) -> None:
    rows = [
        ImportedFinding(1, "Toy croup", None, "HP:0001250", "Seizure", None, "DDXPlus", ()),
        ImportedFinding(1, "Toy croup", None, "RISK:day-care", "Day care", None, "DDXPlus", ()),
    ]
    with Store.open(os.environ["DXATLAS_DATABASE_URL"]) as store:
        concept = store.import_findings(rows, "conditions.json", "test").concepts_added[0]
    page = web.get(f"/api/v1/concepts/{concept}").json()
    assert page["risk_factors"] == [
        {"risk_factor": {"id": "RISK:day-care", "label": "Day care"}, "references": ["DDXPlus"]}
    ]
    assert [c["finding"]["id"] for c in page["curated"]] == ["HP:0001250"]  # not a finding
    html = web.get(f"/concept/{concept}").text
    etiology = html.split('<section id="etiology">', 1)[1].split("</section>", 1)[0]
    assert 'data-testid="risk-factors"' in etiology and "Day care" in etiology
    assert "No evidence yet." not in etiology
