"""Sign-in fails closed: every way a deployment's sign-in can be broken ends in no data and a
message naming what to fix, never in an unauthenticated app."""

import pytest

from dashboard.ui.signin import decide, is_local

GENERAL = {"redirect_uri": "https://d.example.org/oauth2callback", "cookie_secret": "s" * 32}
PROVIDER = {
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
}


def test_no_secrets_on_this_computer_only_is_unauthenticated():
    assert decide({}, address="127.0.0.1").mode == "off"
    assert decide({}, address="localhost").mode == "off"
    assert decide({}, address="::1").mode == "off"


@pytest.mark.parametrize("address", [None, "", "0.0.0.0", "10.1.2.3", "dashboard.kent.example"])
def test_no_sign_in_on_a_network_address_is_refused(address):
    state = decide({}, address=address)
    assert state.mode == "refused" and not state.serves_data
    assert "server.address" in state.problem


def test_an_unreadable_secrets_file_is_refused_whatever_the_setting():
    why = "/srv/app/.streamlit/secrets.toml: Illegal character '\\n' (at line 3, column 40)"
    for setting in (None, "auto", "proxy", "required"):
        state = decide(None, why, setting=setting)
        assert state.mode == "refused"
        assert "line 3, column 40" in state.problem


def test_an_empty_auth_section_is_refused_naming_the_missing_keys():
    state = decide({"auth": {}})
    assert state.mode == "refused"
    assert "redirect_uri, cookie_secret" in state.problem


def test_a_named_provider_without_the_general_keys_is_refused():
    state = decide({"auth": {"microsoft": PROVIDER}})
    assert state.mode == "refused"
    assert "[auth] lacks redirect_uri, cookie_secret" in state.problem


def test_a_provider_missing_a_key_is_refused():
    partial = {k: v for k, v in PROVIDER.items() if k != "client_secret"}
    state = decide({"auth": {**GENERAL, **partial}})
    assert state.mode == "refused" and "client_secret" in state.problem
    state = decide({"auth": {**GENERAL, "microsoft": partial}})
    assert state.mode == "refused" and "[auth.microsoft] lacks client_secret" in state.problem


def test_blank_values_count_as_missing():
    state = decide({"auth": {**GENERAL, **PROVIDER, "cookie_secret": "  "}})
    assert state.mode == "refused" and "cookie_secret" in state.problem


def test_auth_that_is_not_a_table_is_refused():
    assert decide({"auth": "yes"}).mode == "refused"


def test_the_default_provider_and_named_providers_are_offered():
    assert decide({"auth": {**GENERAL, **PROVIDER}}).providers == (None,)
    both = decide({"auth": {**GENERAL, "microsoft": PROVIDER, "google": PROVIDER}})
    assert both.mode == "on" and both.providers == ("microsoft", "google")


def test_a_provider_name_with_an_underscore_is_refused():
    state = decide({"auth": {**GENERAL, "entra_id": PROVIDER}})
    assert state.mode == "refused" and "entra_id" in state.problem


def test_required_without_auth_is_refused_and_proxy_is_allowed():
    assert decide({}, setting="required").mode == "refused"
    assert decide({}, setting="proxy", address="0.0.0.0").mode == "proxy"


def test_a_misspelt_setting_is_refused():
    state = decide({}, setting="requried")
    assert state.mode == "refused" and "KENT_DASHBOARD_SIGN_IN" in state.problem


def test_messages_never_carry_a_secret_value():
    state = decide({"auth": {**GENERAL, "client_id": "the-id-value"}})
    assert "the-id-value" not in state.problem and "s" * 32 not in state.problem


def test_loopback_addresses():
    assert is_local("127.0.0.2") and not is_local("192.168.0.1") and not is_local(None)
