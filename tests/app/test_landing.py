"""The landing page: at All phases for the whole authority, the Overview answers the first
question (how is Kent doing, phase by phase, against England?) with a grid, and a phase's
heading opens that phase."""

from tests.app.conftest import texts


def _landing(app):
    at = app(year="2023-24")
    at.run()
    return at


def test_the_landing_grid_shows_each_phase_beside_england(app):
    at = _landing(app)
    assert not at.exception
    body = texts(at)
    assert "Kent by phase, beside England for the same phase" in body
    cells = [m.value for m in at.markdown]
    # overall absence, primary, 2023/24: the demo's figure and interval beside England's
    # published primary figure (LAIT PriTotAbs, 5.53% in 2023/24) and the verdict
    primary_absence = [c for c in cells if "England 5.5 (published)" in c]
    assert primary_absence, cells[:40]
    assert any(w in primary_absence[0] for w in ("▲ higher (worse)", "▼ lower (better)",
                                                 "● similar"))  # fmt: skip
    # a context measure is never better or worse
    assert not any("(better)" in c or "(worse)" in c for c in cells if "England –" in c)
    # pilot measures carry their badge in the grid as everywhere else
    assert any("Pilot measure — under discussion" in c for c in cells)
    # every cell names its phase, so a stacked (narrow-screen) grid still reads right
    captions = [c.value for c in at.caption]
    rows = captions.count("Primary")
    assert rows >= 8 and captions.count("Grammar") == captions.count("Special") == rows


def test_a_phase_heading_opens_that_phase(app):
    at = _landing(app)
    at.button(key="grid_open_special").click().run()
    assert not at.exception
    assert at.sidebar.selectbox(key="f_phase").value == "special"
    body = texts(at)
    assert "Kent by phase" not in body
    assert "Kent · Special · 2023/24" in body
