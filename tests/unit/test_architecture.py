"""The codebase keeps its own rules: dependencies point one way, SQL stays in queries/, and the
docs describe what exists. Lint, formatting, types and the import contracts run outside pytest,
as `make lint` (which `make test` runs first)."""

import ast
import re
import tomllib
from pathlib import Path

import pytest

from dashboard import catalogue, sql

ROOT = Path(__file__).resolve().parents[2]
PURE = ["config", "db", "sql", "catalogue", "stats", "disclosure", "filters", "indicators",
        "presentation"]  # fmt: skip
SQL_WORDS = re.compile(r"\b(select|insert|update|delete)\b.+\b(from|into|set)\b", re.I | re.S)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", PURE)
def test_lower_modules_never_import_streamlit(module):
    imports = _imports(ROOT / "dashboard" / f"{module}.py")
    assert not {i for i in imports if i.split(".")[0] == "streamlit"}
    assert not {
        i for i in imports if i.startswith("dashboard.components") or i == "dashboard.cache"
    }


@pytest.mark.parametrize("page", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_hold_no_sql_and_no_database_calls(page):
    text = page.read_text()
    strings = [n.value for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Constant)
               and isinstance(n.value, str)]  # fmt: skip
    assert not [s for s in strings if SQL_WORDS.search(s)]
    assert "duckdb" not in text and "db.run" not in text


def test_every_query_file_is_documented_in_the_data_model():
    doc = (ROOT / "docs" / "data-model.md").read_text()
    for name in sql.names() + sql.build_names():
        if name != "schema":
            assert f"`{name}`" in doc, name


def test_readme_quickstart_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("```")[1]
    commands = [line for line in block.splitlines()[1:] if line.strip()]
    assert commands[:2] == ["make run", "make test"]


def test_every_measure_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text()
    for m in catalogue.load():
        assert f"`{m.id}`" in readme


DOMAIN = ("indicators", "comparison", "trends", "profile", "quality_marks", "engine", "stats",
          "presentation", "charts", "context", "ehcp", "inspections", "suppression")  # fmt: skip


def test_no_domain_module_imports_duckdb_or_streamlit_even_by_exception():
    """The contracts carry no ignore list that would let a domain module open the database
    or draw with Streamlit: rows reach them through a Fetch (dashboard/fetch.py)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    for c in contracts:
        assert not c.get("ignore_imports"), c["name"]
    duck = next(c for c in contracts if "DuckDB" in c["name"])
    light = next(c for c in contracts if c["name"].startswith("Streamlit"))
    for name in DOMAIN:
        assert f"dashboard.{name}" in duck["source_modules"], name
        assert f"dashboard.{name}" in light["source_modules"], name


def test_pages_neither_cache_nor_build_figures():
    """Pages are thin: caching lives in dashboard/cache.py and figures in dashboard/charts, so
    a page cannot keep a second copy of a figure or its own cache key."""
    for page in sorted((ROOT / "pages").glob("*.py")):
        text = page.read_text()
        for banned in ("st.cache_data", "st.cache_resource", "import plotly", "go.Figure",
                       "charts._", "charts.go"):  # fmt: skip
            assert banned not in text, (page.name, banned)
