"""Database checks name the problem and the fix; builds are atomic."""

import duckdb
import pytest

from dashboard.ingest.files import LoadError
from dashboard.ingest.writer import build_database
from dashboard.store import db
from tests.conftest import tiny_fill


def test_missing_empty_corrupt_and_old_databases_are_explained(tmp_path, demo_db):
    missing = db.check(tmp_path / "nope.duckdb")
    assert not missing.ok and "does not exist" in missing.problem and "make demo-db" in missing.fix
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    assert "is empty" in db.check(empty).problem
    corrupt = tmp_path / "corrupt.duckdb"
    corrupt.write_bytes(b"not a database at all" * 100)
    assert "cannot be opened" in db.check(corrupt).problem
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("create table t (x int)")
    con.close()
    assert "no dashboard metadata" in db.check(other).problem
    old = tmp_path / "old.duckdb"
    old.write_bytes(demo_db.read_bytes())
    con = duckdb.connect(str(old))
    con.execute("update metadata set value = '0' where key = 'schema_version'")
    con.close()
    status = db.check(old)
    assert not status.ok and "schema version 0" in status.problem
    assert db.check(demo_db).ok


def test_failed_build_leaves_the_old_database_untouched(tmp_path):
    path = tmp_path / "db.duckdb"
    settings = [dict(urn=1, name="A", phase="Primary", district_code="E07000113")]
    facts = [
        dict(urn=1, year_code=202425, input="ehcp", breakdown="all", numerator=3, denominator=30)
    ]
    build_database(path, tiny_fill(settings, facts), is_demo="true")
    before = path.read_bytes()

    bad_facts = [
        {**facts[0], "numerator": 50},
        {**facts[0], "input": "sen_support", "numerator": -1},
    ]
    with pytest.raises(LoadError, match=r"ConstraintException.*left as it was"):
        build_database(path, tiny_fill(settings, bad_facts), is_demo="true")
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp"))

    def explode(build):
        tiny_fill(settings, facts)(build)
        raise RuntimeError("disk full half way")

    with pytest.raises(RuntimeError):
        build_database(path, explode, is_demo="true")
    assert path.read_bytes() == before


def test_version_changes_when_rebuilt(tmp_path):
    path = tmp_path / "db.duckdb"
    settings = [dict(urn=1, name="A", phase="Primary", district_code="E07000113")]
    facts = [
        dict(urn=1, year_code=202425, input="ehcp", breakdown="all", numerator=3, denominator=30)
    ]
    build_database(path, tiny_fill(settings, facts), is_demo="true")
    v1 = db.version(path)
    facts[0]["numerator"] = 4
    build_database(path, tiny_fill(settings, facts), is_demo="true")
    assert db.version(path) != v1


def test_app_reads_env_then_loaded_real_data_then_demo(tmp_path, monkeypatch):
    from dashboard.core import config

    monkeypatch.setattr(config, "REAL_DATABASE", tmp_path / "kent.duckdb")
    monkeypatch.setattr(config, "DEMO_DATABASE", tmp_path / "demo.duckdb")
    monkeypatch.delenv("KENT_DASHBOARD_DB", raising=False)
    assert config.database_path() == tmp_path / "demo.duckdb"
    (tmp_path / "kent.duckdb").write_bytes(b"")  # the first real load creates this file
    assert config.database_path() == tmp_path / "kent.duckdb"
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(tmp_path / "other.duckdb"))
    assert config.database_path() == tmp_path / "other.duckdb"
