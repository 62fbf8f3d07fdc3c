-- Remote Management and Monitoring tool - SyncroMSP - Create Process
-- id: d22805c7-d987-48d3-bb98-5e1d4bb053af
-- translated from KQL by rulepack (dialect: duckdb)
SELECT coalesce("DeviceId", '') AS "DeviceId", coalesce("DeviceName", '') AS "DeviceName", coalesce("AccountUpn", '') AS "AccountUpn", min("Timestamp") AS "FirstSeen", max("Timestamp") AS "LastSeen", coalesce(list(DISTINCT "ReportId") FILTER (WHERE "ReportId" IS NOT NULL), []) AS "Report", count(*) AS "Count"
FROM "DeviceProcessEvents"
WHERE ("Timestamp" BETWEEN (now() + INTERVAL '-5 days') AND now())
  AND (regexp_matches(coalesce("ProcessVersionInfoCompanyName", ''), '(^|[^\pL\pN])Servably, Inc\.', 'i'))
  AND (regexp_matches(coalesce("ProcessVersionInfoProductName", ''), '(^|[^\pL\pN])Syncro($|[^\pL\pN])', 'i'))
GROUP BY coalesce("DeviceId", ''), coalesce("DeviceName", ''), coalesce("AccountUpn", '');
