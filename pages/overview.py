"""Overview (minimal for the backbone issue): what the database holds."""

import streamlit as st

from i18n import t
from query.results import current_results

st.title(t("Overview"))
df = current_results()
if df.empty:
    st.info(
        t(
            "No assessment is loaded yet. Load files with `python -m etl load FILE` or the sample data with `python -m etl demo`."
        )
    )
else:
    if df["illustrative"].any():
        st.warning(
            t("Illustrative data: these figures are made up for demonstration, not the pilot's results.")
        )
    st.dataframe(df, hide_index=True)
