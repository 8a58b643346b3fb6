"""One word, one meaning: a name the glossary retires stays out of the code, the SQL, the
reference tables and the measure catalogue (docs/glossary.md, "Retired names")."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from dashboard.core import catalogue

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("dashboard", "pages", "queries", "data/reference")


def retired_names() -> list[str]:
    text = (ROOT / "docs" / "glossary.md").read_text()
    section = text.split("## Retired names", 1)[1]
    return re.findall(r"^\| `([^`]+)` \|", section, flags=re.M)


def test_the_glossary_lists_the_names_it_retires():
    assert {"benchmark", "FLAG_LEVELS", "Measure.level"} <= set(retired_names())


def test_no_retired_name_is_in_the_code_sql_or_reference_tables():
    words = [n.split(".")[-1] for n in retired_names() if "." not in n]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    found = []
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*")):
            if not path.is_file() or path.suffix not in {".py", ".sql", ".toml", ".csv", ".md"}:
                continue
            if pattern.search(path.name):
                found.append(f"{path.relative_to(ROOT)} (file name)")
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert not found, "retired names (docs/glossary.md) are back:\n" + "\n".join(found)


def test_a_measure_has_a_grain_and_no_level():
    fields = {f.name for f in dataclasses.fields(catalogue.Measure)}
    assert "grain" in fields and "level" not in fields
    toml = (ROOT / "dashboard" / "core" / "measures.toml").read_text()
    assert not re.search(r"(?m)^level\s*=", toml)
    assert {m.grain for m in catalogue.load()} == {"setting", "area"}


def test_the_scan_would_catch_a_retired_name(tmp_path):
    """The scan above is not vacuous: the same pattern finds the word in a line of code."""
    words = [n for n in retired_names() if "." not in n]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    assert pattern.search('units["Benchmark"] = value')
    assert not pattern.search('units["comparator"] = value')
