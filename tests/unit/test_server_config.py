"""The shipped Streamlit settings are the production ones the README documents: `make run`
and every replica read `.streamlit/config.toml`, so a development default left in it would
cost every user (bench/RESULTS.md measures what each one cost)."""

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def settings() -> dict:
    return tomllib.loads(CONFIG.read_text())


def test_no_source_watching_or_reload_on_save():
    server = settings()["server"]
    assert server["fileWatcherType"] == "none"
    assert server["runOnSave"] is False


def test_no_full_garbage_collection_after_every_run():
    assert settings()["runner"]["postScriptGC"] is False


def test_listens_on_this_computer_only_unless_told_otherwise():
    assert settings()["server"]["address"] == "127.0.0.1"


def test_streamlit_reads_the_settings_as_written(monkeypatch):
    """The option names are Streamlit's own: a misspelt one would be ignored with a warning."""
    from streamlit import config

    monkeypatch.chdir(CONFIG.parents[1])
    config.get_config_options(force_reparse=True)
    try:
        assert config.get_option("server.fileWatcherType") == "none"
        assert config.get_option("runner.postScriptGC") is False
    finally:
        config.get_config_options(force_reparse=True)


def test_no_error_details_and_no_toolbar_downloads_in_the_browser():
    client = settings()["client"]
    assert client["showErrorDetails"] == "none"
    assert client["disableDataExport"] is True
