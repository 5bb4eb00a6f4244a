-- Boundaries (geo/): where each boundary layer came from, its features, and what did not match.
-- Geometry is GeoJSON text in EPSG:4326 (DuckDB's spatial extension is not available offline).
CREATE SEQUENCE boundary_source_seq START 1;
CREATE TABLE boundary_source (
    source_id INTEGER PRIMARY KEY DEFAULT nextval('boundary_source_seq'),
    level VARCHAR NOT NULL CHECK (level IN ('district', 'commune')),
    province_code VARCHAR,                -- the province the load was scoped to ('31'), NULL = all
    file_name VARCHAR NOT NULL, size_bytes BIGINT NOT NULL, sha256 VARCHAR NOT NULL,
    file_date TIMESTAMP,                  -- the file's modification time as received
    loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp, loaded_by VARCHAR,
    source_crs VARCHAR, features_read INTEGER NOT NULL, units_matched INTEGER NOT NULL,
    simplify_method VARCHAR, simplify_tolerance DOUBLE,
    url VARCHAR, licence VARCHAR, attribution VARCHAR,
    active BOOLEAN NOT NULL DEFAULT true  -- the newest load of a level replaces the older ones
);
CREATE TABLE boundary_feature (
    source_id INTEGER NOT NULL, locality_id VARCHAR NOT NULL, level VARCHAR NOT NULL,
    feature_name VARCHAR, feature_code VARCHAR, matched_by VARCHAR NOT NULL,  -- code | name | ascii
    parts INTEGER NOT NULL DEFAULT 1,     -- source features merged into this unit
    geometry VARCHAR NOT NULL,            -- repaired, full-resolution GeoJSON
    display_geometry VARCHAR NOT NULL,    -- simplified for drawing, shared borders kept shared
    label_lon DOUBLE NOT NULL, label_lat DOUBLE NOT NULL,  -- a point inside the unit
    area_km2 DOUBLE,
    PRIMARY KEY (source_id, locality_id)
);
CREATE TABLE boundary_problem (
    source_id INTEGER NOT NULL, seq INTEGER NOT NULL, code VARCHAR NOT NULL, severity VARCHAR NOT NULL,
    feature_index INTEGER, value VARCHAR, message_vi VARCHAR NOT NULL, message_en VARCHAR NOT NULL,
    PRIMARY KEY (source_id, seq)
);
