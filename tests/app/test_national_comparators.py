"""Kent beside England and the South East computed from national school-level rows, for the same
phase: files in the real GIAS and census formats are synthesised for every English authority
(made-up schools and counts; only the authority codes and regions are real), loaded with
`--la all`, and the Overview, Trends and Compare pages read the computed figures."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard.ingest.load import load_files
from tests.app.conftest import computed_beside_published, texts

FIX = Path(__file__).resolve().parents[1] / "fixtures"
AUTHORITIES = Path(__file__).resolve().parents[2] / "data" / "reference" / "authorities.csv"
KENT_DISTRICTS = [f"E07000{c}" for c in range(105, 117)]
PUPILS = 200
# pupils on SEN support per primary: Kent 30 (15%), elsewhere in the South East 24 (12%),
# the rest of England 20 (10%); every school has 4 pupils with an EHC plan
SEN = {"kent": 30, "south_east": 24, "england": 20}
# overall absence (% of sessions) of every primary: Kent 5.0, everywhere else 4.0
ABSENCE = {"kent": 5.0, "england": 4.0}


def schools() -> list[tuple[int, str, str, str, int]]:
    """(urn, LA code, establishment number, district, pupils on SEN support) for every primary
    of the synthesised England: 24 in Kent (two per district), 3 in each other authority."""
    table = pd.read_csv(AUTHORITIES, dtype=str)
    out: list[tuple] = []
    for k, a in enumerate(table.itertuples(index=False)):
        kent = a.la_code == "886"
        for j in range(24 if kent else 3):
            if kent:
                district, sen = KENT_DISTRICTS[j % 12], SEN["kent"]
            else:
                own = a.area_code if a.area_code[:3] in ("E06", "E08", "E09") else None
                district = own or f"E07{900000 + k:06d}"  # a made-up district of a county
                sen = SEN["south_east"] if a.region_code == "E12000008" else SEN["england"]
            out.append((400000 + len(out), a.la_code, str(2000 + j), district, sen))
    return out


def write_national_files(folder: Path) -> list[Path]:
    with (FIX / "gias_kent_fixture.csv").open(encoding="cp1252", newline="") as fh:
        rows = list(csv.reader(fh))
    head, primary = rows[0], rows[2]  # the fixture's primary school row, as a template
    col = {c: head.index(c) for c in head}
    names = dict(pd.read_csv(AUTHORITIES, dtype=str)[["la_code", "la_name"]].values)
    gias = folder / "edubasealldata20261101.csv"
    census = folder / "england_census.csv"
    absence = folder / "england_abs.csv"
    with (gias.open("w", encoding="cp1252", newline="") as g, census.open("w", newline="") as c,
          absence.open("w", newline="") as a):  # fmt: skip
        gw, cw, aw = csv.writer(g, quoting=csv.QUOTE_ALL), csv.writer(c), csv.writer(a)
        aw.writerow(["LA", "ESTAB", "URN", "PERCTOT", "PPERSABS10"])
        gw.writerow(head)
        cw.writerow(["URN", "LA", "ESTAB", "SCHOOLTYPE", "NOR", "TSENELSE", "PSENELSE",
                     "TSENELK", "PSENELK"])  # fmt: skip
        for urn, la, estab, district, sen in schools():
            row = list(primary)
            row[col["URN"]], row[col["LA (code)"]], row[col["LA (name)"]] = str(urn), la, names[la]
            row[col["EstablishmentNumber"]] = estab
            row[col["EstablishmentName"]] = f"Synthetic Primary {urn}"
            row[col["DistrictAdministrative (code)"]] = district
            row[col["DistrictAdministrative (name)"]] = "" if la == "886" else f"{names[la]} area"
            if la != "886":
                row[col["Easting"]], row[col["Northing"]] = "", ""
            gw.writerow(row)
            cw.writerow([urn, la, estab, "State-funded primary", PUPILS, 4,
                         round(400 / PUPILS, 1), sen, round(100 * sen / PUPILS, 1)])  # fmt: skip
            aw.writerow([la, estab, urn, ABSENCE["kent" if la == "886" else "england"], 10.0])
    return [gias, census, absence]


@pytest.fixture(scope="module")
def national_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("national")
    path = folder / "national.duckdb"
    load_files(path, write_national_files(folder), la="all", year="2018/19")
    return path


def expected_share(where: set[str]) -> float:
    got = [s for s in schools() if s[1] in where]
    return sum(s[4] for s in got) / (PUPILS * len(got))


def test_overview_sets_kent_beside_computed_england_and_south_east(app, national_db,
                                                                   monkeypatch):  # fmt: skip
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(national_db))
    at = app(year="2018-19", phase="primary")
    at.run()
    assert not at.exception
    body = texts(at)
    table = pd.read_csv(AUTHORITIES, dtype=str)
    england = expected_share(set(table["la_code"]))
    south_east = expected_share(set(table.loc[table["region_code"] == "E12000008", "la_code"]))
    assert f"England (primary): {100 * england:.1f}%" in body
    assert f"South East (primary): {100 * south_east:.1f}%" in body
    assert "computed from school-level data (153 of 153 authorities)" in body
    assert "computed from school-level data (19 of 19 authorities)" in body
    # SEN support is a context measure: above or below, never better or worse
    assert "Above England (primary)" in body and "Above South East (primary)" in body


def test_trends_draw_the_computed_england_line(app, national_db, monkeypatch):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(national_db))
    at = app(year="2018-19", phase="primary", measure="sen_support_pct")
    at.run()
    at.switch_page("../pages/trends.py").run()
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    names = {t.get("name") for s in specs for t in s["data"]}
    assert "England (primary, computed)" in names and "South East (primary, computed)" in names
    # computed figures are preferred: no published England marker beside them
    assert not any(n and n.endswith(", published)") and n.startswith("England") for n in names)


def test_compare_sets_kent_among_its_statistical_neighbours(app, national_db, monkeypatch):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(national_db))
    at = app(year="2018-19", phase="primary", measure="sen_support_pct", level="authorities")
    at.run()
    at.switch_page("../pages/compare.py").run()
    assert not at.exception
    body = texts(at)
    assert "chosen by similarity of context" in body and "not by performance" in body
    frame = at.dataframe[0].value
    units = list(frame["unit"])
    assert {"Kent", "England (computed)", "South East (computed)"} <= set(units)
    assert len(units) == 13  # Kent, its ten neighbours, the South East and England
    values = list(frame["value"])
    assert values == sorted(values)  # ordered by value; no rank column
    assert "rank" not in frame.columns
    kent = frame[frame["unit"] == "Kent"].iloc[0]
    assert kent["value"] == pytest.approx(15.0) and kent["comparison"].startswith("Above")


def test_kent_in_context_sets_computed_figures_beside_the_published_ones(app, national_db,
                                                                          monkeypatch):  # fmt: skip
    """The Authority page's item "Overall absence, primary" has a twin the dashboard can
    compute; for the year both exist (2018/19, LAIT's "2019") it shows Kent, its neighbours,
    the South East and England computed from the school-level rows, each beside DfE's
    published figure for the same area and year."""
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(national_db))
    at = app(year="2018-19")
    at.run()
    body, frame = computed_beside_published(at, "Attendance: Overall absence, primary")
    assert "2019: computed from school-level rows, beside the published figures" in body
    rows = frame.set_index("unit")
    published = pd.read_csv("data/reference/lait/series.csv", dtype=str)
    kent_published = published[(published["item"] == "PriTotAbs") & (published["la_code"] == "886")
                               & (published["year_label"] == "2019")]["value"]  # fmt: skip
    assert rows.loc["Kent", "computed"] == pytest.approx(5.0, abs=0.05)
    assert rows.loc["Kent", "published"] == pytest.approx(float(kent_published.iloc[0]))
    assert rows.loc["England (computed)", "computed"] == pytest.approx(4.0, abs=0.05)
    assert not pd.isna(rows.loc["England (computed)", "published"])
    assert len(rows) == 13  # Kent, ten neighbours, the South East and England
    assert "rank" not in frame.columns and "computed_lower_95" in frame.columns
    # Kent (5.0%) stands out against England (4.0%); neighbours like England are said to be
    # not significantly different; the areas themselves are not compared. Authorities are areas:
    # judged by their 95% interval (catalogue.VERDICT_RULES)
    assert rows.loc["Kent", "comparison"] == "Higher (worse), beyond the 95% limit"
    neighbours = rows.drop(index=["Kent", "England (computed)", "South East (computed)"])
    assert set(neighbours["comparison"]) == {"Not significantly different"}
