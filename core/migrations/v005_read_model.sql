-- Read model at national scale: one row per assessment with its pillar and overall scores, level
-- counts and levels in catalogue order, written by the loader in the same transaction as the results
-- they derive from (core/readmodel.py applies core/scoring.py), with the unit's fixed attributes
-- copied in so that a view of the country or of a province filters one table; and a change counter
-- per province so caches of one province survive loads in another.
CREATE TABLE unit_score (
    assessment_id INTEGER PRIMARY KEY,
    locality_id VARCHAR NOT NULL, year INTEGER NOT NULL, stage VARCHAR NOT NULL,
    vintage VARCHAR NOT NULL, province_id VARCHAR NOT NULL, parent_id VARCHAR,
    locality_type VARCHAR NOT NULL, locality_level VARCHAR NOT NULL, illustrative BOOLEAN NOT NULL,
    p1 DOUBLE, p2 DOUBLE, p3 DOUBLE, p4 DOUBLE, overall DOUBLE,
    indicators INTEGER NOT NULL, n_red INTEGER NOT NULL, n_yellow INTEGER NOT NULL, n_green INTEGER NOT NULL,
    pillar_indicators INTEGER[] NOT NULL,  -- the same counts per pillar: item 1 = pillar 1 ... item 4
    pillar_red INTEGER[] NOT NULL, pillar_yellow INTEGER[] NOT NULL, pillar_green INTEGER[] NOT NULL,
    levels TINYINT[] NOT NULL             -- each indicator's level rank (0 red .. 2 green), catalogue order
);
CREATE INDEX unit_score_key ON unit_score (locality_id, year, stage);
CREATE TABLE data_version (
    scope VARCHAR PRIMARY KEY,            -- a province's locality_id ('2020:31'), or '*' for any change
    version BIGINT NOT NULL);
INSERT INTO data_version VALUES ('*', 1);
-- Upload outcomes are a closed list (data/codes/upload_outcome.csv); DuckDB cannot add a CHECK to a
-- table, so the table is rebuilt with it.
CREATE TABLE upload_v5 (
    upload_id INTEGER PRIMARY KEY DEFAULT nextval('upload_seq'),
    file_name VARCHAR NOT NULL, size_bytes BIGINT NOT NULL, sha256 VARCHAR NOT NULL,
    uploaded_by VARCHAR NOT NULL, uploaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    outcome VARCHAR NOT NULL CHECK (outcome IN ('loaded', 'rejected', 'duplicate', 'rolled_back')),
    assessments INTEGER NOT NULL DEFAULT 0, problems VARCHAR, stored_path VARCHAR,
    illustrative BOOLEAN NOT NULL DEFAULT false,
    rolled_back_at TIMESTAMP, rolled_back_by VARCHAR);
INSERT INTO upload_v5 SELECT upload_id, file_name, size_bytes, sha256, uploaded_by, uploaded_at, outcome,
    assessments, problems, stored_path, illustrative, rolled_back_at, rolled_back_by FROM upload;
DROP INDEX upload_sha;
DROP TABLE upload;
ALTER TABLE upload_v5 RENAME TO upload;
CREATE INDEX upload_sha ON upload (sha256);
CREATE INDEX assessment_upload ON assessment (upload_id);
