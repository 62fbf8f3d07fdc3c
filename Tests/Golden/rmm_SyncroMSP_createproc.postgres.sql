-- Remote Management and Monitoring tool - SyncroMSP - Create Process
-- id: d22805c7-d987-48d3-bb98-5e1d4bb053af
-- translated from KQL by rulepack (dialect: postgres)
SELECT coalesce("DeviceId", '') AS "DeviceId", coalesce("DeviceName", '') AS "DeviceName", coalesce("AccountUpn", '') AS "AccountUpn", min("Timestamp") AS "FirstSeen", max("Timestamp") AS "LastSeen", coalesce(array_agg(DISTINCT "ReportId") FILTER (WHERE "ReportId" IS NOT NULL), '{}') AS "Report", count(*) AS "Count"
FROM "DeviceProcessEvents"
WHERE ("Timestamp" BETWEEN (now() + interval '-5 days') AND now())
  AND (coalesce("ProcessVersionInfoCompanyName", '') ~* E'(^|[^[:alnum:]])Servably, Inc\\.')
  AND (coalesce("ProcessVersionInfoProductName", '') ~* '(^|[^[:alnum:]])Syncro($|[^[:alnum:]])')
GROUP BY coalesce("DeviceId", ''), coalesce("DeviceName", ''), coalesce("AccountUpn", '');
