"""Sign-in: required on every page when an OpenID Connect provider is configured in
.streamlit/secrets.toml; otherwise the app is unauthenticated and bound to this computer."""

from __future__ import annotations

import streamlit as st


def auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError):  # no secrets file at all
        return False
    except Exception:  # a malformed secrets file must not expose the data
        return True


def require_login() -> None:
    """Stop the run with a sign-in page unless the user is signed in (when auth is set up)."""
    if not auth_configured():
        st.sidebar.caption(
            "No sign-in is configured: this app is unauthenticated and listens on this "
            "computer only (127.0.0.1). See the README before sharing it."
        )
        return
    if not st.user.is_logged_in:
        st.title("Kent inclusion dashboard")
        st.markdown("Please sign in with your organisation account to see the dashboard.")
        st.button("Sign in", on_click=st.login, type="primary")
        st.stop()
    with st.sidebar:
        st.caption(f"Signed in as {st.user.get('name') or st.user.get('email') or 'user'}")
        st.button("Sign out", on_click=st.logout)
