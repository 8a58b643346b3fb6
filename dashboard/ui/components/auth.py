"""Sign-in on every page: the state comes from `dashboard.ui.signin` (fails closed); this module
reads what Streamlit could load and shows the result. A deployment whose sign-in cannot work
gets a plain page and no data; the server's log says what to fix."""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from dashboard.core.safe_text import md
from dashboard.ui import signin

LOG = logging.getLogger("dashboard.auth")


def _secrets() -> tuple[Mapping[str, Any] | None, str | None]:
    """(what the server read, why a secrets file could not be read). Streamlit treats an
    unreadable secrets file like a missing one; here it is an error."""
    try:
        return st.secrets.to_dict(), None
    except FileNotFoundError:  # StreamlitSecretNotFoundError: missing, or present but broken
        pass
    for name in st.get_option("secrets.files") or []:
        path = Path(name)
        if path.is_file():
            try:
                tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
                return None, f"{path}: {error}"
        elif path.exists() and not path.is_dir():
            return None, f"{path} is neither a file nor a folder"
    return {}, None


def sign_in_state() -> signin.SignIn:
    secrets, unreadable = _secrets()
    return signin.decide(
        secrets,
        unreadable,
        setting=os.environ.get(signin.SETTING),
        address=st.get_option("server.address"),
    )


def _data_export_is_off() -> bool:
    """Streamlit's table toolbar offers its own CSV download and copy, bypassing the export
    path (formula escaping, neutral labels, caveats); `.streamlit/config.toml` turns it off."""
    return bool(st.get_option("client.disableDataExport"))


def require_login() -> None:
    """Stop the run unless it may serve data: sign-in works and the user has signed in (when
    the deployment requires it), and no download bypasses the export path."""
    state = sign_in_state()
    if not state.serves_data:
        LOG.error("Refusing to serve data: %s", state.problem)
        _refuse(
            "This dashboard is set up to require sign-in, but its sign-in configuration "
            "cannot be used, so no data is shown. An administrator can find what to fix in "
            "the server's log."
        )
    if not _data_export_is_off():
        LOG.error("Refusing to serve data: client.disableDataExport must be true")
        _refuse(
            "This dashboard's server settings allow table downloads that bypass its "
            "safeguards, so no data is shown. An administrator can find what to fix in the "
            "server's log."
        )
    if state.mode == "off":
        st.sidebar.caption(
            "No sign-in is configured: this app is unauthenticated and listens on this "
            "computer only. See the README before sharing it."
        )
        return
    if state.mode == "proxy":
        st.sidebar.caption("Sign-in is handled by the server in front of this app.")
        return
    if not st.user.is_logged_in:
        st.title("Inclusion dashboard")
        st.markdown("Please sign in with your organisation account to see the dashboard.")
        for provider in state.providers:
            label = "Sign in" if provider is None else f"Sign in with {provider}"
            args = () if provider is None else (provider,)
            st.button(label, on_click=st.login, args=args, type="primary", key=f"login_{provider}")
        st.stop()
    with st.sidebar:
        who = st.user.get("name") or st.user.get("email") or "user"  # from the identity provider
        st.caption(f"Signed in as {md(str(who))}")
        st.button("Sign out", on_click=st.logout)


def _refuse(message: str) -> None:
    st.title("Inclusion dashboard")
    st.error(message)
    st.stop()
