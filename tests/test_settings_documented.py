"""Every setting is documented in docs/settings.md, and settings read their environment variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxatlas.settings import Settings, get_settings

DOC = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"`DXATLAS_{name.upper()}`" in DOC.read_text(), f"DXATLAS_{name.upper()} is not in {DOC}"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_has_a_description(name: str) -> None:
    assert Settings.model_fields[name].description


def test_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DXATLAS_CACHE_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        assert get_settings().cache_dir == tmp_path
    finally:
        get_settings.cache_clear()
