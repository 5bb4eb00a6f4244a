"""Placeholder while its issue is built."""

import streamlit as st

from i18n import t

st.title(t("Indicator grid"))
