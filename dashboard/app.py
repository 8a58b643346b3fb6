"""Entry script, the frame around every page: configuration, database check, global filters,
the demo notice, navigation. Pages hold no business logic."""

from __future__ import annotations

import streamlit as st

from dashboard.core import home
from dashboard.core.safe_text import md
from dashboard.ui import cache
from dashboard.ui.components import groups as group_files
from dashboard.ui.components.auth import require_login
from dashboard.ui.components.filters import global_filters
from dashboard.ui.components.notices import demo_banner, reconstructed_notice, unplaced_notice

st.set_page_config(page_title="Inclusion dashboard", page_icon="📊", layout="wide")

require_login()

status = cache.database_status()
if not status.ok:
    st.title(f"{home.current().name} inclusion dashboard")
    st.error(f"**The dashboard cannot open its database.** {md(status.problem)}")
    st.markdown("Build the demo database (or load your own data), then reload this page:")
    st.code(status.fix, language="bash")
    st.stop()
try:
    home.use(cache.home())
except home.UnknownHome as exc:  # fail closed: never another authority's pages in silence
    st.title("Inclusion dashboard")
    st.error(f"**The dashboard cannot show its home authority.** {md(str(exc))}")
    st.stop()
LA_NAME = home.current().name
st.set_page_config(page_title=f"{LA_NAME} inclusion dashboard")

overview = st.Page("../pages/overview.py", title="Overview", url_path="overview")


def _home() -> None:
    """The app's root opens the Overview at its own address, `/overview`, with any filters in
    the link, so both `/` and `/overview` work (a default page is served only at `/`)."""
    st.switch_page(overview, query_params=st.query_params.to_dict())


SECTIONS = {
    "Explore": [
        overview,
        st.Page("../pages/compare.py", title="Compare", url_path="compare"),
        st.Page("../pages/map.py", title="Map", url_path="map"),
        st.Page("../pages/trends.py", title="Trends", url_path="trends"),
        st.Page("../pages/expected.py", title="Expected given intake", url_path="expected"),
    ],
    f"{LA_NAME} in context": [
        st.Page("../pages/context.py", title=f"{LA_NAME} and its neighbours", url_path="context"),
        st.Page("../pages/ehcp.py", title="EHC plans and sufficiency", url_path="ehcp"),
    ],
    "Settings": [
        st.Page("../pages/setting.py", title="Setting profile", url_path="setting"),
        st.Page("../pages/inspections.py", title="Inspections", url_path="inspections"),
        st.Page("../pages/pilot.py", title="Pilot measures and quality marks", url_path="pilot"),
    ],
    "Briefing": [
        st.Page("../pages/briefing_pack.py", title="Briefing pack", url_path="briefing-pack"),
    ],
    "About": [
        st.Page(
            "../pages/data_and_methods.py", title="Data and methods", url_path="data-and-methods"
        ),
        st.Page("../pages/user_guide.py", title="User guide", url_path="user-guide"),
        st.Page(
            "../pages/accessibility.py", title="Accessibility statement", url_path="accessibility"
        ),
        root := st.Page(_home, title="Home", url_path="home", default=True, visibility="hidden"),
    ],
}
PAGES = [page for pages in SECTIONS.values() for page in pages]
# every page listed, none behind "View more": an officer should see what the dashboard holds
navigation = st.navigation(SECTIONS, expanded=True)
if navigation.url_path == root.url_path:  # before the filters tidy the link's values away
    _home()

selection = st.session_state["selection"] = global_filters()
group_files.current()  # groups a link carries: read (or refused, said at the top) on any page
if cache.is_demo():
    demo_banner()
    st.sidebar.caption("⚠️ Demo data — fictional settings and figures")
unplaced_notice(
    cache.unplaced_settings(), None if selection.is_whole_authority else selection.district_name
)
if selection.year_code in cache.reconstructed_years():
    reconstructed_notice(selection.year_label)

navigation.run()
