-- Remote Management and Monitoring tool - SyncroMSP - Network Connection
-- id: b9e378d6-850c-4b7d-9133-b4be3c7433eb
-- translated from KQL by rulepack (dialect: postgres)
SELECT coalesce("DeviceId", '') AS "DeviceId", coalesce("DeviceName", '') AS "DeviceName", coalesce("InitiatingProcessAccountUpn", '') AS "AccountUpn", coalesce("RemoteUrl", '') AS "RemoteUrl", min("Timestamp") AS "FirstSeen", max("Timestamp") AS "LastSeen", coalesce(array_agg(DISTINCT "ReportId") FILTER (WHERE "ReportId" IS NOT NULL), '{}') AS "Report", count(*) AS "Count"
FROM "DeviceNetworkEvents"
WHERE ("Timestamp" BETWEEN (now() + interval '-5 days') AND now())
  AND ((coalesce("RemoteUrl", '') ~* E'(^|[^[:alnum:]])syncromsp\\.com($|[^[:alnum:]])') OR (coalesce("RemoteUrl", '') ~* E'(^|[^[:alnum:]])servably\\.com($|[^[:alnum:]])') OR (coalesce("RemoteUrl", '') ~* E'(^|[^[:alnum:]])syncroapi\\.com($|[^[:alnum:]])'))
  AND (coalesce("InitiatingProcessVersionInfoCompanyName", '') ~* E'(^|[^[:alnum:]])Servably, Inc\\.')
GROUP BY coalesce("DeviceId", ''), coalesce("DeviceName", ''), coalesce("InitiatingProcessAccountUpn", ''), coalesce("RemoteUrl", '');
