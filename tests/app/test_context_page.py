"""The Kent in context page: what an officer reads and can download."""

from tests.app.conftest import computed_beside_published, texts


def test_kent_in_context_says_what_neighbours_are_and_that_no_interval_exists(app):
    at = app()
    at.run()
    at.switch_page("../pages/context.py").run()
    assert not at.exception
    body = texts(at)
    assert "chosen by similarity, not by performance" in body
    assert "May 2025" in body
    assert "No interval can be drawn" in body
    assert "no rank is given" in body
    assert "its 10 statistical neighbours publishing a value ranged from" in body
    assert "A context measure" in body  # the first item, pupils with plans, is context


def test_every_item_renders_with_its_own_summary(app):
    at = app()
    at.run()
    at.switch_page("../pages/context.py").run()
    box = at.selectbox(key="context_item")
    seen = set()
    for option in box.options:
        at.selectbox(key="context_item").set_value(option).run()
        assert not at.exception, option
        summary = next(c.value for c in at.caption if c.value.startswith("In words:"))
        seen.add(summary)
    assert len(seen) == len(box.options) == 16


def test_the_first_screen_sets_kent_beside_england_and_its_neighbours(app):
    at = app()
    at.run()
    labels = [m.label for m in at.metric]
    assert labels[:4] == [
        "Pupils with an EHC plan or statement, 2025",
        "Pupils on SEN support, 2025",
        "Persistent absence, 2025",
        "Suspension rate, 2023/24",
    ]
    assert at.metric[0].value == "5.8"  # Kent, January 2025, as DfE publishes it
    body = texts(at)
    assert "England 5.3 · median of 10 neighbours" in body
    # a district is not compared with England's authority-wide figures
    district = app(district="E07000113")
    district.run()
    assert not any(m.label.startswith("Persistent absence, 2025") for m in district.metric)


def test_on_the_demo_kent_computed_sits_beside_kent_published_and_says_it_is_fictional(app):
    """With Kent's (fictional) settings only, the computed section shows Kent's computed
    figure beside DfE's real one, says the computed one is demo data, and names the
    neighbours it cannot compute. The demo is calibrated, so the two agree within 10%."""
    at = app()
    at.run()
    body, frame = computed_beside_published(at, "Attendance: Overall absence, primary")
    assert "2025: computed from school-level rows, beside the published figures" in body
    assert "the computed figures are the demo's, the published ones are real" in body
    assert "have no settings loaded and are left out" in body
    kent = frame.set_index("unit").loc["Kent"]
    assert kent["published"] == 5.54  # LAIT, Kent, primary, 2024/25
    assert abs(kent["computed"] / kent["published"] - 1) < 0.10
    assert kent["computed_lower_95"] < kent["computed"] < kent["computed_upper_95"]
    # an item with no twin says so rather than computing something else
    at.selectbox(key="context_item").set_value(
        next(o for o in at.selectbox(key="context_item").options if "20 weeks" in o)
    ).run()
    assert "nothing is computed beside it" in texts(at)
