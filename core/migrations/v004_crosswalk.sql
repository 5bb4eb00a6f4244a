-- The crosswalk 2020-2023 -> 2025 units: whole/part from the old unit's side, how each row was found.
DROP TABLE locality_crosswalk;
CREATE TABLE locality_crosswalk (from_id VARCHAR NOT NULL, to_id VARCHAR NOT NULL, from_level VARCHAR NOT NULL,
    relation VARCHAR NOT NULL CHECK (relation IN ('whole', 'part')), method VARCHAR NOT NULL, via_code VARCHAR,
    effective DATE, source VARCHAR, PRIMARY KEY (from_id, to_id));
DELETE FROM reference_data WHERE name = 'locality_crosswalk';
