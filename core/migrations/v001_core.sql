-- Core model: reference data, uploads, assessments, results.
CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp);
CREATE TABLE reference_data (name VARCHAR PRIMARY KEY, sha256 VARCHAR NOT NULL, rows INTEGER NOT NULL,
    loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp);
CREATE TABLE pillar (pillar INTEGER PRIMARY KEY, name_vi VARCHAR NOT NULL, name_en VARCHAR NOT NULL, source VARCHAR);
CREATE TABLE indicator (
    code VARCHAR PRIMARY KEY, pillar INTEGER NOT NULL, seq INTEGER NOT NULL,
    name_vi VARCHAR NOT NULL, name_en VARCHAR NOT NULL, name_es VARCHAR,
    source_vi VARCHAR, source_en VARCHAR, confidence VARCHAR, notes VARCHAR,
    red_vi VARCHAR, yellow_vi VARCHAR, green_vi VARCHAR, red_en VARCHAR, yellow_en VARCHAR, green_en VARCHAR,
    criteria_source VARCHAR);
CREATE TABLE level (level VARCHAR PRIMARY KEY, rank INTEGER NOT NULL, score DOUBLE NOT NULL,
    name_vi VARCHAR, name_en VARCHAR, meaning_vi VARCHAR, meaning_en VARCHAR, source VARCHAR);
CREATE TABLE locality (
    locality_id VARCHAR PRIMARY KEY,      -- '<vintage>:<code>', e.g. '2020:303'
    vintage VARCHAR NOT NULL,             -- '2020' (GSO 2020-2023 list) or '2025' (two-level reform)
    code VARCHAR NOT NULL, name VARCHAR NOT NULL, name_with_type VARCHAR NOT NULL,
    unit_type VARCHAR NOT NULL, level VARCHAR NOT NULL, parent_code VARCHAR, province_code VARCHAR NOT NULL,
    valid_from DATE, valid_to DATE, source VARCHAR);
CREATE TABLE locality_crosswalk (from_id VARCHAR NOT NULL, to_id VARCHAR NOT NULL, relation VARCHAR NOT NULL,
    share DOUBLE, effective DATE, source VARCHAR);
CREATE SEQUENCE upload_seq START 1;
CREATE TABLE upload (
    upload_id INTEGER PRIMARY KEY DEFAULT nextval('upload_seq'),
    file_name VARCHAR NOT NULL, size_bytes BIGINT NOT NULL, sha256 VARCHAR NOT NULL,
    uploaded_by VARCHAR NOT NULL, uploaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    outcome VARCHAR NOT NULL,             -- loaded | rejected | duplicate | rolled_back
    assessments INTEGER NOT NULL DEFAULT 0, problems VARCHAR, stored_path VARCHAR,
    illustrative BOOLEAN NOT NULL DEFAULT false,  -- the file says its figures are sample data
    rolled_back_at TIMESTAMP, rolled_back_by VARCHAR);
CREATE SEQUENCE assessment_seq START 1;
CREATE TABLE assessment (
    assessment_id INTEGER PRIMARY KEY DEFAULT nextval('assessment_seq'),
    locality_id VARCHAR NOT NULL, year INTEGER NOT NULL,
    stage VARCHAR NOT NULL CHECK (stage IN ('self', 'verified')),
    upload_id INTEGER NOT NULL, source_sheet VARCHAR, source_column VARCHAR,
    prepared_by VARCHAR, prepared_on DATE, loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    superseded_by INTEGER, withdrawn_at TIMESTAMP);
CREATE TABLE result (
    assessment_id INTEGER NOT NULL, indicator_code VARCHAR NOT NULL,
    level VARCHAR NOT NULL CHECK (level IN ('red', 'yellow', 'green')),
    reported_score DOUBLE CHECK (reported_score BETWEEN 0 AND 100),
    evidence VARCHAR, note VARCHAR, source_cell VARCHAR,
    PRIMARY KEY (assessment_id, indicator_code));
CREATE INDEX assessment_key ON assessment (locality_id, year, stage);
CREATE INDEX upload_sha ON upload (sha256);
