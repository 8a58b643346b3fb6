"""Custom comparison groups (dashboard/figures/groups.py): read from a CSV with errors that name
line and column, shared by link, and compared like districts without ever revealing a suppressed
number."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from dashboard.core import catalogue
from dashboard.core.filters import Selection
from dashboard.figures import comparison, groups
from dashboard.store import db

KNOWN = {100001, 100002, 100003, 100004}


def read(text: str, known=KNOWN):
    return groups.read_csv(text.encode("utf-8"), "triads.csv", known)


def test_a_group_file_is_read_with_members_in_order_and_notes():
    got, notes = read("URN,Group\n100001,Triad A\n100002, Triad  A\n100003,Triad B\n999999,X\n"
                      "100001,Cluster 1\n")  # fmt: skip
    assert got.members == (("Triad A", (100001, 100002)), ("Triad B", (100003,)),
                           ("Cluster 1", (100001,)))  # fmt: skip
    assert any("1 URN(s) are not settings of this authority" in n and "999999" in n
               for n in notes)  # fmt: skip
    assert any("hold one setting" in n for n in notes)


@pytest.mark.parametrize(("text", "message"), [
    ("", "the file is empty"),
    ("school,group\n100001,A\n", "line 1: no `urn` column"),
    ("urn,name\n100001,A\n", "line 1: no `group` column"),
    ("urn,group\n100001,A\n10000x,B\n", "line 3, column urn: '10000x' is not a URN"),
    ("urn,group\n100001,   \n", "line 2, column group: the group has no name"),
    ("urn,group\n999999,A\n", "no row names a setting of this authority"),
])  # fmt: skip
def test_a_bad_group_file_is_refused_naming_line_and_column(text, message):
    with pytest.raises(groups.GroupsError, match=message):
        read(text)


def test_a_file_far_larger_than_any_group_list_is_refused_unread():
    big = b"urn,group\n" + b"100001,A\n" * 200_000
    with pytest.raises(groups.GroupsError, match=r"triads.csv: 1.8 MB is far larger"):
        groups.read_csv(big, "triads.csv", KNOWN)


def test_too_many_groups_are_refused():
    text = "urn,group\n" + "".join(f"100001,G{i}\n" for i in range(groups.MAX_GROUPS + 1))
    with pytest.raises(groups.GroupsError, match="more than 60 groups"):
        read(text)


def test_a_link_carries_the_groups_and_a_damaged_link_is_explained():
    got, _ = read('urn,group\n100001,Triad A\n100002,Triad A\n100003,"B, north"\n')
    token = groups.encode(got)
    assert token is not None and token.isascii() and "=" not in token.rstrip("=")
    back, _ = groups.decode(token, KNOWN)
    assert back.members == got.members and back.source == "link"
    for bad in ("", "abc", token[:-6], "%%%%", token[::-1]):
        with pytest.raises(groups.GroupsError, match=r"could not be read|no row|empty"):
            groups.decode(bad, KNOWN)


def test_a_link_too_large_to_inflate_is_refused():
    import base64
    import zlib

    bomb = base64.urlsafe_b64encode(zlib.compress(b"[" + b" " * 5_000_000 + b"]", 9)).decode()
    with pytest.raises(groups.GroupsError, match="too large"):
        groups.decode(bomb, KNOWN)


def test_the_csv_export_reads_back_and_never_carries_a_formula():
    got, _ = read('urn,group\n100001,=HYPERLINK("x")\n100002,Triad A\n')
    data = groups.to_csv(got).decode()
    assert '\n100001,"\'=HYPERLINK(""x"")"\n' in data
    back, _ = groups.read_csv(groups.to_csv(got), "groups.csv", KNOWN)
    assert [len(u) for _, u in back.members] == [1, 1]


# ---------------------------------------------------------------- compared like districts


@pytest.fixture(scope="module")
def demo(demo_db):
    con = db.connect(demo_db)
    yield con, db.fetcher(con)
    con.close()


def published(fetch, year: int, key: str, input_: str) -> pd.DataFrame:
    rows = fetch("setting_inputs", {**Selection(year, "all", key).params(), "input": input_})
    return rows


@pytest.mark.parametrize("measure_id", ["ehcp_pct", "sen_support_pct", "suspension_rate",
                                        "persistent_absence_pct"])  # fmt: skip
def test_no_group_figure_reveals_a_suppressed_value(demo, measure_id):
    """Random groups of every size, 40 draws per year: every figure a group shows is the sum of
    its members' published figures (so anyone could work it out already), and every group
    holding a member whose value is suppressed shows nothing at all."""
    _, fetch = demo
    measure = catalogue.get(measure_id)
    assert measure.input is not None  # a setting-level measure
    rng = random.Random(7)
    shown_groups = hidden_groups = any_suppressed = 0
    for year in (201819, 202425):
        rows = published(fetch, year, "primary", measure.input)
        part = rows[rows["breakdown"] == measure.breakdown]
        urns = sorted(part["urn"].unique())
        suppressed = set(part.loc[part["missing_reason"] == "c", "urn"])
        any_suppressed += len(suppressed)
        draws = []
        for i in range(40):
            size = rng.choice([2, 3, 5, 12, 40])
            draws.append((f"G{i}", tuple(sorted(rng.sample(urns, size)))))
        g = groups.Groups("test", tuple(draws))
        comp = comparison.compare(fetch, measure, Selection(year, "all", "primary"), "groups",
                                  groups=g)  # fmt: skip
        units = comp.units.set_index("unit")
        for name, members in draws:
            row = units.loc[name]
            if suppressed & set(members):
                assert pd.isna(row["numerator"]) and row["flag"] == "c", (name, year)
                hidden_groups += 1
                continue
            mine = part[part["urn"].isin(members)]
            assert row["numerator"] == mine["numerator"].sum(), (name, year)
            assert row["denominator"] == mine["denominator"].sum(), (name, year)
            shown_groups += 1
    assert shown_groups > 0
    assert hidden_groups > 0 or not any_suppressed  # groups met suppressed members, if any


def test_groups_are_judged_like_districts_against_the_same_phase(demo):
    _, fetch = demo
    measure = catalogue.get("ehcp_pct")
    rows = published(fetch, 202425, "primary", "ehcp")
    ok = rows[(rows["breakdown"] == "all") & rows["missing_reason"].isna()]
    urns = sorted(ok["urn"].unique())
    g = groups.Groups("test", (("North", tuple(urns[:30])), ("South", tuple(urns[30:60]))))
    comp = comparison.compare(fetch, measure, Selection(202425, "all", "all"), "groups",
                              groups=g, group="primary")  # fmt: skip
    district = comparison.compare(fetch, measure, Selection(202425, "all", "primary"),
                                  "districts")  # fmt: skip
    assert comp.comparator == district.comparator and comp.comparator_name == "Kent primary"
    assert comp.flag_conf == 0.95  # the rule for areas, as districts are judged
    assert set(comp.units["label"]) == {"North (30 settings)", "South (30 settings)"}
    assert comp.units["lower"].notna().all()
