-- Everyday questions over a tradeschema export, for the duckdb command line, from any folder:
--   duckdb -cmd "SET VARIABLE export = 'path/to/out'" < examples/queries.sql
-- Without the variable, the export is read from `out/` in the current folder.
-- (examples/queries.py runs the same queries with polars and pandas.)

SET VARIABLE export = coalesce(getvariable('export'), 'out');

CREATE OR REPLACE VIEW parties AS FROM read_parquet(getvariable('export') || '/parquet/parties.parquet');
CREATE OR REPLACE VIEW measures AS FROM read_parquet(getvariable('export') || '/parquet/measures.parquet');
CREATE OR REPLACE VIEW statements AS FROM read_parquet(getvariable('export') || '/parquet/statements.parquet');
CREATE OR REPLACE VIEW statement_about AS FROM read_parquet(getvariable('export') || '/parquet/statement_about.parquet');
CREATE OR REPLACE VIEW measure_targets AS FROM read_parquet(getvariable('export') || '/parquet/measure_targets.parquet');
CREATE OR REPLACE VIEW rounds AS FROM read_parquet(getvariable('export') || '/parquet/rounds.parquet');

-- name: us_officials_on_measures_against_china
-- Every statement by a US official about a measure targeting China: speaker, role, measure type.
SELECT s.id AS statement_id, p.name AS speaker, p.role, m.id AS measure_id, m.type AS measure_type
FROM statements s
JOIN parties p ON p.id = s.speaker
JOIN statement_about a ON a.statement_id = s.id
JOIN measures m ON m.id = a.about_id
JOIN measure_targets t ON t.measure_id = m.id
JOIN parties target ON target.id = t.target_id
WHERE p.kind = 'person' AND p.country = 'US' AND target.country = 'CN'
ORDER BY statement_id, measure_id;

-- name: measures_by_status_and_country
-- Measures by status and imposing country.
SELECT p.country AS imposing_country, m.status, count(*) AS measures
FROM measures m
LEFT JOIN parties p ON p.id = m.imposed_by
GROUP BY p.country, m.status
ORDER BY imposing_country, m.status;

-- name: negotiation_rounds
-- Rounds of each negotiation in date order (first day covered, then reported order).
SELECT negotiation_id, position, kind, city, start, start_date, start_precision
FROM rounds
ORDER BY negotiation_id, start_date, position;
