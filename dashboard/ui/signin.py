"""Whether the app may serve data, and through which sign-in: decided here, once per run, from
the secrets the server could read, the deployment's stated intent and the address it listens
on. Plain Python so every case is unit-tested; `components.auth` only shows the result.

Sign-in fails closed. A deployment that means to require sign-in (it has an `[auth]` section,
a secrets file at all that cannot be read, `KENT_DASHBOARD_SIGN_IN=required`, or it listens on
an address other than this computer's) gets a working sign-in or no data: a typo in
`secrets.toml` must never quietly turn sign-in off. Messages name the file, line and key to fix,
never a secret's value; they go to the server's log in full and to the browser in short.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

SETTING = "KENT_DASHBOARD_SIGN_IN"
SETTING_VALUES = ("auto", "required", "proxy")
GENERAL_KEYS = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")

Mode = Literal["off", "proxy", "on", "refused"]


@dataclass(frozen=True)
class SignIn:
    """The run's sign-in state.

    `off`: no sign-in, served to this computer only. `proxy`: sign-in is done by a proxy in
    front (the deployment says so). `on`: Streamlit's OpenID Connect sign-in, through
    `providers` (None is the provider configured directly under `[auth]`). `refused`: the
    deployment means to require sign-in but it cannot work; `problem` says why."""

    mode: Mode
    providers: tuple[str | None, ...] = ()
    problem: str = ""

    @property
    def serves_data(self) -> bool:
        return self.mode != "refused"


def is_local(address: str | None) -> bool:
    """True when the server listens on this computer only. Streamlit's default (no address)
    listens on every interface, so it is not local."""
    if not address:
        return False
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: another machine can reach it


def decide(
    secrets: Mapping[str, Any] | None,
    unreadable: str | None = None,
    setting: str | None = None,
    address: str | None = "127.0.0.1",
) -> SignIn:
    """The sign-in state for a run.

    `secrets` is what the server read (None when a secrets file exists but could not be read,
    with `unreadable` saying which and where); `setting` is `KENT_DASHBOARD_SIGN_IN`;
    `address` is `server.address`."""
    wanted = (setting or "auto").strip().lower()
    if wanted not in SETTING_VALUES:
        return SignIn(
            "refused",
            problem=f"{SETTING} is {setting!r}; it must be one of {', '.join(SETTING_VALUES)}.",
        )
    if secrets is None:
        return SignIn(
            "refused",
            problem=f"The secrets file cannot be read ({unreadable or 'unknown error'}). "
            "Correct it (it must be valid TOML) and restart the app.",
        )
    if "auth" in secrets:
        return _configured(secrets["auth"])
    if wanted == "required":
        return SignIn(
            "refused",
            problem=f"{SETTING}=required, but no [auth] section was found in "
            ".streamlit/secrets.toml. Add one (README, Authentication).",
        )
    if wanted == "proxy":
        return SignIn("proxy")
    if not is_local(address):
        shown = address or "every network interface"
        return SignIn(
            "refused",
            problem=f"The app listens on {shown} (server.address) with no sign-in configured. "
            "Add an [auth] section to .streamlit/secrets.toml, set "
            f"{SETTING}=proxy if a proxy in front signs users in, or listen on 127.0.0.1.",
        )
    return SignIn("off")


def _configured(auth: Any) -> SignIn:
    """Check an `[auth]` section as Streamlit will use it, before any user clicks Sign in."""
    if not isinstance(auth, Mapping):
        return SignIn("refused", problem="[auth] in .streamlit/secrets.toml must be a table.")
    missing = [key for key in GENERAL_KEYS if not _filled(auth.get(key))]
    named = {k: v for k, v in auth.items() if isinstance(v, Mapping)}
    providers: list[str | None] = []
    problems: list[str] = []
    if missing:
        problems.append(f"[auth] lacks {_keys(missing)}")
    if any(k in auth for k in PROVIDER_KEYS):  # the provider configured directly under [auth]
        lacking = [k for k in PROVIDER_KEYS if not _filled(auth.get(k))]
        if lacking:
            problems.append(f"[auth] lacks {_keys(lacking)}")
        else:
            providers.append(None)
    for name, section in named.items():
        lacking = [k for k in PROVIDER_KEYS if not _filled(section.get(k))]
        if "_" in name:
            problems.append(f"[auth.{name}]: a provider's name cannot contain '_'")
        elif lacking:
            problems.append(f"[auth.{name}] lacks {_keys(lacking)}")
        else:
            providers.append(name)
    if not providers and not problems:
        problems.append(
            "[auth] names no provider: give client_id, client_secret and server_metadata_url "
            "under [auth] or under a provider such as [auth.microsoft]"
        )
    if problems:
        return SignIn(
            "refused", problem="Sign-in is configured but incomplete: " + "; ".join(problems) + "."
        )
    return SignIn("on", providers=tuple(providers))


def _filled(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _keys(keys: list[str]) -> str:
    return ", ".join(keys)
