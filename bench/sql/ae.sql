-- The sums `accord import` computes from NHS England's monthly A&E CSV by provider, as one query
-- that DuckDB (bench/duckdb/sums.mjs) and PostgreSQL (bench/pg_copy.sh) both run, over:
--   src             the file, with the short column names of ae.columns;
--   ae_attribution  provider or site → ICB (reference/data/ae_provider_to_icb_mapping_mar2024.csv);
--   trust_icb       NHS trust → host ICB (reference/data/ods_nhs_trusts_etr.csv), for a trust the
--                   attribution does not list;
--   icb_region      ICB → NHS region (reference/data/icbs_england.csv).
-- For each month Accord adds up, by provider, by ICB, by region and for England: attendances of
-- every type with booked appointments, those over 4 hours, the same for type 1 alone, 12-hour
-- waits from decision to admit, and emergency admissions. TOTAL rows are not added (Accord
-- checks them against the rows above instead).
WITH counted AS (
    SELECT s.period, upper(trim(s.org_code)) AS code,
           upper(trim(s.org_code)) = 'TOTAL' AS is_total,
           s.att1 + s.att2 + s.att3 + s.booked1 + s.booked2 + s.booked3 AS att,
           s.over1 + s.over2 + s.over3 + s.booked_over1 + s.booked_over2 + s.booked_over3 AS over_4h,
           s.att1 + s.booked1 AS att_type1,
           s.over1 + s.booked_over1 AS over_4h_type1,
           s.dta_12,
           s.adm1 + s.adm2 + s.adm3 + s.adm_other AS admissions
    FROM src s
),
attributed AS (
    SELECT c.*, coalesce(a.icb, t.icb) AS icb, ir.region
    FROM counted c
    LEFT JOIN ae_attribution a ON a.code = c.code
    LEFT JOIN trust_icb t ON t.code = c.code
    LEFT JOIN icb_region ir ON ir.icb = coalesce(a.icb, t.icb)
),
sums AS (
    SELECT CASE WHEN grouping(code) = 0 THEN 'provider'
                WHEN grouping(icb) = 0 THEN 'icb'
                WHEN grouping(region) = 0 THEN 'region'
                ELSE 'england' END AS level,
           CASE WHEN grouping(code) = 0 THEN code
                WHEN grouping(icb) = 0 THEN icb
                WHEN grouping(region) = 0 THEN region
                ELSE 'ENG' END AS org,
           period,
           count(*) AS rows_read,
           count(*) FILTER (WHERE NOT is_total) AS provider_rows,
           sum(att) FILTER (WHERE NOT is_total) AS attendances,
           sum(over_4h) FILTER (WHERE NOT is_total) AS over_4h,
           sum(att_type1) FILTER (WHERE NOT is_total) AS attendances_type1,
           sum(over_4h_type1) FILTER (WHERE NOT is_total) AS over_4h_type1,
           sum(dta_12) FILTER (WHERE NOT is_total) AS dta_over_12h,
           sum(admissions) FILTER (WHERE NOT is_total) AS emergency_admissions
    FROM attributed
    GROUP BY GROUPING SETS ((code, period), (icb, period), (region, period), (period))
)
SELECT * FROM sums
WHERE level = 'england' OR (org IS NOT NULL AND provider_rows > 0)
ORDER BY level, org, period;
