"""The codebase keeps its own rules: dependencies point one way, SQL stays in queries/, and the
docs describe what exists. Lint, formatting, types and the import contracts run outside pytest,
as `make lint` (which `make test` runs first)."""

import ast
import re
import tomllib
from pathlib import Path

import pytest

from dashboard.core import catalogue
from dashboard.store import sql

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["dashboard.app", "dashboard.ui", "dashboard.views", "dashboard.figures",
          "dashboard.statistics", "dashboard.store", "dashboard.core"]  # fmt: skip
BELOW_UI = ("views", "figures", "statistics", "store", "core")
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


@pytest.mark.parametrize("package", BELOW_UI)
def test_no_module_below_ui_imports_streamlit_or_the_ui(package):
    """Checked file by file, beside the import contracts: a module added to any of these
    packages is covered the moment it exists."""
    files = sorted((ROOT / "dashboard" / package).rglob("*.py"))
    assert files
    for path in files:
        imports = _imports(path)
        assert not {i for i in imports if i.split(".")[0] == "streamlit"}, path
        assert not {i for i in imports if i.startswith(("dashboard.ui", "dashboard.app"))}, path


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


def test_every_module_sits_in_a_layer_package_and_the_contracts_name_packages():
    """The layout shows the layers: beside the entry script, dashboard/ holds only packages,
    each one a layer of the contract (or ingest, the writer), so a new module joins a layer by
    where it is saved; no contract lists modules one by one or carries an ignore list."""
    flat = sorted(p.name for p in (ROOT / "dashboard").glob("*.py"))
    assert flat == ["__init__.py", "app.py"], flat
    packages = {p.name for p in (ROOT / "dashboard").iterdir() if (p / "__init__.py").exists()}
    assert packages == {name.split(".")[1] for name in LAYERS[1:]} | {"ingest"}, packages
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    for c in contracts:
        assert not c.get("ignore_imports"), c["name"]
    layers = next(c for c in contracts if c["type"] == "layers" and not c.get("containers"))
    assert layers["layers"] == LAYERS
    for c in contracts:
        for name in c.get("source_modules", []):
            assert name in LAYERS or name == "dashboard.ingest", (c["name"], name)


def test_pages_neither_cache_nor_build_figures():
    """Pages are thin: caching lives in dashboard/ui/cache.py and figures in
    dashboard/views/charts, so a page cannot keep a second copy of a figure or its own cache key."""
    for page in sorted((ROOT / "pages").glob("*.py")):
        text = page.read_text()
        for banned in ("st.cache_data", "st.cache_resource", "import plotly", "go.Figure",
                       "charts._", "charts.go"):  # fmt: skip
            assert banned not in text, (page.name, banned)
