"""The load generator's own logic: the call mix it reads, and the figures it reports."""

from __future__ import annotations

import random

import pytest

from dxatlas.bench.load import (
    MIX,
    EndpointFigures,
    LoadError,
    LoadReport,
    Targets,
    _request,
    parse_mix,
)


def test_mix_is_read_and_bad_mixes_are_named() -> None:
    assert parse_mix("diagnose=3, search=0") == {"diagnose": 3, "search": 0}
    with pytest.raises(LoadError, match="'ranking' is not one of concept, search"):
        parse_mix("ranking=1")
    with pytest.raises(LoadError, match="whole number, not 'x'"):
        parse_mix("diagnose=x")
    with pytest.raises(LoadError, match="gives no call a weight"):
        parse_mix("search=0")


def test_requests_of_each_kind() -> None:
    rng = random.Random(1)
    targets = Targets(["OMIM:100001"])
    assert _request("concept", targets, rng) == ("GET", "/api/v1/concepts/OMIM:100001", None)
    method, path, body = _request("diagnose", targets, rng)
    assert (method, path) == ("POST", "/api/v1/diagnose")
    assert 1 <= len(body["present"]) <= 4
    assert not set(body.get("excluded", [])) & set(body["present"])
    assert set(MIX) == {"concept", "search", "diagnose", "next-question"}


def test_report_percentiles_and_totals() -> None:
    figures = EndpointFigures(latencies=[i / 1000 for i in range(1, 101)], errors=2)
    summary = figures.summary(seconds=10)
    assert summary["requests"] == 100 and summary["per_second"] == 10.0
    assert (summary["p50_ms"], summary["p99_ms"], summary["max_ms"]) == (50.5, 99.0, 100.0)
    report = LoadReport("http://x", 5, 10.0, endpoints={"diagnose": figures})
    assert report.to_json()["errors"] == 2 and report.to_json()["per_second"] == 10.0
