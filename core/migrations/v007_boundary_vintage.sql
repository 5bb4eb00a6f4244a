-- Boundary layers of either unit list: '2020' (GSO 2020-2023) or '2025' (the two-level system from
-- 2025-07-01). Every layer loaded before this migration was matched to the 2020 list. The newest
-- active load per (level, vintage, province) replaces the older ones (geo/store.py), so a 2025
-- commune layer never deactivates the 2020 district or commune layers.
ALTER TABLE boundary_source ADD COLUMN vintage VARCHAR DEFAULT '2020';
UPDATE boundary_source SET vintage = '2020' WHERE vintage IS NULL;
