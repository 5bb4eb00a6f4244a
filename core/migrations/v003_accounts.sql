-- Accounts for the dashboard: who may view, upload (analyst) and roll back / manage accounts (admin).
-- Passwords are stored only as bcrypt hashes; lockout state is kept here so it holds across
-- sessions, browser tabs and server restarts.
CREATE TABLE users (
    username VARCHAR PRIMARY KEY,            -- lower-case, [a-z0-9._-]
    display_name VARCHAR NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    password_hash VARCHAR NOT NULL,          -- bcrypt ($2b$...), never the password
    failed_count INTEGER NOT NULL DEFAULT 0, -- consecutive failed sign-ins
    locked_until TIMESTAMP,                  -- sign-in refused until then (UTC)
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by VARCHAR,
    last_login_at TIMESTAMP,
    disabled BOOLEAN NOT NULL DEFAULT false);
CREATE SEQUENCE login_events_seq START 1;
CREATE TABLE login_events (
    event_id INTEGER PRIMARY KEY DEFAULT nextval('login_events_seq'),
    username VARCHAR NOT NULL,               -- as typed (normalised); may name no account
    attempted_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    outcome VARCHAR NOT NULL);               -- ok | bad-password | unknown-user | locked | disabled
