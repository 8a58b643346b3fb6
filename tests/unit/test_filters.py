"""Global filters: URL round trip and fallbacks for anything unknown or hostile."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.core.filters import PHASE_OPTIONS, Selection, parse_query_params, parse_year

YEARS = [202425, 202324, 201516]
DISTRICTS = {"E07000113": "Swale", "E07000114": "Thanet"}


def test_round_trip():
    sel = Selection(202324, "E07000113", "secondary-selective", "Swale")
    back, messages = parse_query_params(sel.query_params(), YEARS, DISTRICTS)
    assert back == sel and messages == []


def test_defaults_and_friendly_forms():
    sel, msgs = parse_query_params({}, YEARS, DISTRICTS)
    assert sel == Selection(202425) and msgs == []
    sel, _ = parse_query_params(
        {"year": "2015/16", "district": "thanet", "phase": "Special"}, YEARS, DISTRICTS
    )
    assert (sel.year_code, sel.district, sel.phase) == (201516, "E07000114", "special")
    assert parse_year("202324") == 202324 and parse_year("23/24") is None


def test_unknown_values_fall_back_with_a_message():
    sel, msgs = parse_query_params(
        {"year": "1999-00", "district": "Medway", "phase": "grammar"}, YEARS, DISTRICTS
    )
    assert sel == Selection(202425)
    assert len(msgs) == 3 and "Medway" in msgs[1]


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=200)
@given(
    st.dictionaries(
        st.sampled_from(["year", "district", "phase", "other"]),
        st.one_of(st.text(max_size=60), st.lists(st.text(max_size=10), max_size=3)),
    )
)
def test_any_query_string_gives_a_valid_selection(params):
    sel, msgs = parse_query_params(params, YEARS, DISTRICTS)
    assert sel.year_code in YEARS
    assert sel.district in ("all", *DISTRICTS)
    assert sel.phase in {p.key for p in PHASE_OPTIONS}
    assert all(len(m) < 400 for m in msgs)


def test_params_for_whole_authority_and_district():
    whole = Selection(202324).params()
    assert whole["any_district"] is True and whole["districts"] == []
    one = Selection(202324, "E07000113", "primary", "Swale").params()
    assert one["any_district"] is False and one["phases"] == ["Primary"]
    assert Selection(202324, "E07000113", "special", "Swale").authority().phase == "special"
