"""The Streamlit layer under the app frame: the only cache, the reusable components, and the
sign-in settings they read."""
