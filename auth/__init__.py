"""Accounts, roles and sign-in for the dashboard (no Streamlit here: the UI lives in ui/access.py).

Passwords are hashed with bcrypt and never stored or logged in plain text; repeated failed
sign-ins lock an account for a while, enforced in the database so it holds across sessions,
tabs and processes. The first admin is created from a shell: ``python -m auth create-admin NAME``.
"""
