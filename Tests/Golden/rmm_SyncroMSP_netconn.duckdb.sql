-- Remote Management and Monitoring tool - SyncroMSP - Network Connection
-- id: b9e378d6-850c-4b7d-9133-b4be3c7433eb
-- translated from KQL by rulepack (dialect: duckdb)
SELECT coalesce("DeviceId", '') AS "DeviceId", coalesce("DeviceName", '') AS "DeviceName", coalesce("InitiatingProcessAccountUpn", '') AS "AccountUpn", coalesce("RemoteUrl", '') AS "RemoteUrl", min("Timestamp") AS "FirstSeen", max("Timestamp") AS "LastSeen", coalesce(list(DISTINCT "ReportId") FILTER (WHERE "ReportId" IS NOT NULL), []) AS "Report", count(*) AS "Count"
FROM "DeviceNetworkEvents"
WHERE ("Timestamp" BETWEEN (now() + INTERVAL '-5 days') AND now())
  AND ((regexp_matches(coalesce("RemoteUrl", ''), '(^|[^\pL\pN])syncromsp\.com($|[^\pL\pN])', 'i')) OR (regexp_matches(coalesce("RemoteUrl", ''), '(^|[^\pL\pN])servably\.com($|[^\pL\pN])', 'i')) OR (regexp_matches(coalesce("RemoteUrl", ''), '(^|[^\pL\pN])syncroapi\.com($|[^\pL\pN])', 'i')))
  AND (regexp_matches(coalesce("InitiatingProcessVersionInfoCompanyName", ''), '(^|[^\pL\pN])Servably, Inc\.', 'i'))
GROUP BY coalesce("DeviceId", ''), coalesce("DeviceName", ''), coalesce("InitiatingProcessAccountUpn", ''), coalesce("RemoteUrl", '');
