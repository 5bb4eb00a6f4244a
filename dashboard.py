"""Streamlit entry point: `streamlit run dashboard.py` (or `make run`).

The shell (ui/app.py) builds the navigation for the signed-in role; each page is a function in pages/.
"""

from ui.app import main

main()
