"""Streamlit entry point: `streamlit run dashboard.py` (or `make run`).

The shell (ui/app.py) builds the navigation for the signed-in role; each view is a script in pages/.
Streamlit runs this file as ``__main__``; a worker process that imports it (multiprocessing's
forkserver re-imports the main script) must not start the app.
"""

from ui.app import main

if __name__ == "__main__":
    main()
