-- Short pillar names (Thể chế, Kinh tế, Xã hội, Môi trường) for charts that must fit a phone.
ALTER TABLE pillar ADD COLUMN short_vi VARCHAR;
ALTER TABLE pillar ADD COLUMN short_en VARCHAR;
DELETE FROM reference_data WHERE name = 'pillar';
