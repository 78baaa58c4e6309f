-- The sums `accord import` computes from an RTT Full CSV data file, as one query that DuckDB
-- (bench/duckdb/sums.mjs) and PostgreSQL (bench/pg_copy.sh) both run, over:
--   src         the file, with the short column names of rtt.columns;
--   icb_region  ICB code → NHS region code (reference/data/icbs_england.csv).
-- Accord reads the incomplete pathways (Part_2) from the Total (C_999) rows and adds them up
-- for each provider, and for each commissioner (sub-ICB location), its ICB, region and England:
-- every incomplete pathway (Total All), those with a known clock start (the weekly columns),
-- those within 18 weeks, and those over 52, 65, 78 and 104 weeks. Every row of the file is read
-- and counted (rows_read on the England line).
WITH bands AS (
    SELECT s.provider, s.commissioner, s.commissioner_parent AS icb, ir.region,
           s.part = 'Part_2' AND s.tf = 'C_999' AS waiting,
           s.total_all,
           coalesce(w000, 0) + coalesce(w001, 0) + coalesce(w002, 0) + coalesce(w003, 0) + coalesce(w004, 0) +
             coalesce(w005, 0) + coalesce(w006, 0) + coalesce(w007, 0) + coalesce(w008, 0) + coalesce(w009, 0) +
             coalesce(w010, 0) + coalesce(w011, 0) + coalesce(w012, 0) + coalesce(w013, 0) + coalesce(w014, 0) +
             coalesce(w015, 0) + coalesce(w016, 0) + coalesce(w017, 0) AS b00_17,
           coalesce(w018, 0) + coalesce(w019, 0) + coalesce(w020, 0) + coalesce(w021, 0) + coalesce(w022, 0) +
             coalesce(w023, 0) + coalesce(w024, 0) + coalesce(w025, 0) + coalesce(w026, 0) + coalesce(w027, 0) +
             coalesce(w028, 0) + coalesce(w029, 0) + coalesce(w030, 0) + coalesce(w031, 0) + coalesce(w032, 0) +
             coalesce(w033, 0) + coalesce(w034, 0) + coalesce(w035, 0) + coalesce(w036, 0) + coalesce(w037, 0) +
             coalesce(w038, 0) + coalesce(w039, 0) + coalesce(w040, 0) + coalesce(w041, 0) + coalesce(w042, 0) +
             coalesce(w043, 0) + coalesce(w044, 0) + coalesce(w045, 0) + coalesce(w046, 0) + coalesce(w047, 0) +
             coalesce(w048, 0) + coalesce(w049, 0) + coalesce(w050, 0) + coalesce(w051, 0) AS b18_51,
           coalesce(w052, 0) + coalesce(w053, 0) + coalesce(w054, 0) + coalesce(w055, 0) + coalesce(w056, 0) +
             coalesce(w057, 0) + coalesce(w058, 0) + coalesce(w059, 0) + coalesce(w060, 0) + coalesce(w061, 0) +
             coalesce(w062, 0) + coalesce(w063, 0) + coalesce(w064, 0) AS b52_64,
           coalesce(w065, 0) + coalesce(w066, 0) + coalesce(w067, 0) + coalesce(w068, 0) + coalesce(w069, 0) +
             coalesce(w070, 0) + coalesce(w071, 0) + coalesce(w072, 0) + coalesce(w073, 0) + coalesce(w074, 0) +
             coalesce(w075, 0) + coalesce(w076, 0) + coalesce(w077, 0) AS b65_77,
           coalesce(w078, 0) + coalesce(w079, 0) + coalesce(w080, 0) + coalesce(w081, 0) + coalesce(w082, 0) +
             coalesce(w083, 0) + coalesce(w084, 0) + coalesce(w085, 0) + coalesce(w086, 0) + coalesce(w087, 0) +
             coalesce(w088, 0) + coalesce(w089, 0) + coalesce(w090, 0) + coalesce(w091, 0) + coalesce(w092, 0) +
             coalesce(w093, 0) + coalesce(w094, 0) + coalesce(w095, 0) + coalesce(w096, 0) + coalesce(w097, 0) +
             coalesce(w098, 0) + coalesce(w099, 0) + coalesce(w100, 0) + coalesce(w101, 0) + coalesce(w102, 0) +
             coalesce(w103, 0) AS b78_103,
           coalesce(w104, 0) AS b104
    FROM src s
    LEFT JOIN icb_region ir ON ir.icb = s.commissioner_parent
),
sums AS (
    SELECT CASE WHEN grouping(provider) = 0 THEN 'provider'
                WHEN grouping(commissioner) = 0 THEN 'commissioner'
                WHEN grouping(icb) = 0 THEN 'icb'
                WHEN grouping(region) = 0 THEN 'region'
                ELSE 'england' END AS level,
           CASE WHEN grouping(provider) = 0 THEN provider
                WHEN grouping(commissioner) = 0 THEN commissioner
                WHEN grouping(icb) = 0 THEN icb
                WHEN grouping(region) = 0 THEN region
                ELSE 'ENG' END AS org,
           count(*) AS rows_read,
           count(*) FILTER (WHERE waiting) AS total_rows,
           sum(total_all) FILTER (WHERE waiting) AS waiting_list,
           sum(b00_17 + b18_51 + b52_64 + b65_77 + b78_103 + b104) FILTER (WHERE waiting) AS known_start,
           sum(b00_17) FILTER (WHERE waiting) AS within_18w,
           sum(b52_64 + b65_77 + b78_103 + b104) FILTER (WHERE waiting) AS over_52w,
           sum(b65_77 + b78_103 + b104) FILTER (WHERE waiting) AS over_65w,
           sum(b78_103 + b104) FILTER (WHERE waiting) AS over_78w,
           sum(b104) FILTER (WHERE waiting) AS over_104w
    FROM bands
    GROUP BY GROUPING SETS ((provider), (commissioner), (icb), (region), ())
)
SELECT * FROM sums
WHERE level = 'england' OR (org IS NOT NULL AND org <> '' AND total_rows > 0)
ORDER BY level, org;
