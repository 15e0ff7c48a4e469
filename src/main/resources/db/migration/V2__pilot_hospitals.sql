-- The 2026 pilot: two Beijing children's hospitals, three first-visit departments each.
-- Fixed ids so that environments agree; patients up to 18 years old on the visit date.
INSERT INTO hospital (id, code, name) VALUES
    ('6b1f0c7e-0000-4000-8000-000000000001', 'BCH',  'Beijing Children''s Hospital'),
    ('6b1f0c7e-0000-4000-8000-000000000002', 'CCMC', 'Children''s Hospital, Capital Institute of Pediatrics');

INSERT INTO department (id, hospital_id, code, name, max_patient_age) VALUES
    ('6b1f0c7e-0000-4000-8001-000000000011', '6b1f0c7e-0000-4000-8000-000000000001', 'GROWTH',      'Growth & Development', 18),
    ('6b1f0c7e-0000-4000-8001-000000000012', '6b1f0c7e-0000-4000-8000-000000000001', 'NUTRITION',   'Nutrition',            18),
    ('6b1f0c7e-0000-4000-8001-000000000013', '6b1f0c7e-0000-4000-8000-000000000001', 'DERMATOLOGY', 'Dermatology',          18),
    ('6b1f0c7e-0000-4000-8001-000000000021', '6b1f0c7e-0000-4000-8000-000000000002', 'GROWTH',      'Growth & Development', 18),
    ('6b1f0c7e-0000-4000-8001-000000000022', '6b1f0c7e-0000-4000-8000-000000000002', 'NUTRITION',   'Nutrition',            18),
    ('6b1f0c7e-0000-4000-8001-000000000023', '6b1f0c7e-0000-4000-8000-000000000002', 'DERMATOLOGY', 'Dermatology',          18);
