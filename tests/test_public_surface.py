from __future__ import annotations

import seen


def test_all_names_exactly_what_the_package_exports() -> None:
    public = {name for name in vars(seen) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(seen, name)).__name__ == "module"}
    assert set(seen.__all__) == public - modules


def test_settings_come_from_seen_environment_variables(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SEEN_DATA_DIR", str(tmp_path))
    settings = seen.load_settings()
    assert settings.data_dir == tmp_path
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path.resolve()}/seen.db"
    monkeypatch.setenv("SEEN_DATABASE_URL", "postgresql+psycopg://h/db")
    assert seen.load_settings().resolved_database_url() == "postgresql+psycopg://h/db"
