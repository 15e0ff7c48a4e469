-- Hospital and department names in the pilot's language (issue 13 §2): `name` stays the English name, `name_zh` is
-- the zh-CN one. The catalogue answers both; a hospital added later without a Chinese name shows its English one.
ALTER TABLE hospital ADD COLUMN name_zh text;
ALTER TABLE department ADD COLUMN name_zh text;

UPDATE hospital SET name_zh = '北京儿童医院' WHERE code = 'BCH';
UPDATE hospital SET name_zh = '首都儿科研究所附属儿童医院' WHERE code = 'CCMC';
UPDATE department SET name_zh = CASE code
        WHEN 'GROWTH' THEN '生长发育科'
        WHEN 'NUTRITION' THEN '营养科'
        WHEN 'DERMATOLOGY' THEN '皮肤科'
    END
 WHERE code IN ('GROWTH', 'NUTRITION', 'DERMATOLOGY');

UPDATE hospital SET name_zh = name WHERE name_zh IS NULL;
UPDATE department SET name_zh = name WHERE name_zh IS NULL;
ALTER TABLE hospital ALTER COLUMN name_zh SET NOT NULL;
ALTER TABLE department ALTER COLUMN name_zh SET NOT NULL;
