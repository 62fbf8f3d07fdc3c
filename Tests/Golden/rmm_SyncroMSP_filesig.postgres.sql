-- Remote Management and Monitoring tool - SyncroMSP - File Signature
-- id: 3510a677-6a63-45f5-a0cd-509c5b865e0e
-- translated from KQL by rulepack (dialect: postgres)
-- warning: false-positive filter of 'System update via SyncroMSP' left out: DeviceFileCertificateInfo has no column for 'process.name'
-- warning: false-positive filter of 'Scheduled job for asset inventory' left out: DeviceFileCertificateInfo has no column for 'process.name', 'event_id'
-- warning: false-positive filter of 'Admin task to deploy configuration profiles' left out: DeviceFileCertificateInfo has no column for 'process.name', 'user.name', 'event_id'
-- warning: false-positive filter of 'File integrity monitoring (FIM) check' left out: DeviceFileCertificateInfo has no column for 'process.name', 'event_id'
-- warning: false-positive filter of 'Remote PowerShell script execution' left out: DeviceFileCertificateInfo has no column for 'process.name', 'parent_process.name', 'script_path'
SELECT coalesce("DeviceId", '') AS "DeviceId", coalesce("DeviceName", '') AS "DeviceName", min("Timestamp") AS "FirstSeen", max("Timestamp") AS "LastSeen", coalesce(array_agg(DISTINCT "ReportId") FILTER (WHERE "ReportId" IS NOT NULL), '{}') AS "Report", count(*) AS "Count"
FROM "DeviceFileCertificateInfo"
WHERE ("Timestamp" BETWEEN (now() + interval '-5 days') AND now())
  AND ((coalesce("Signer", '') ~* E'(^|[^[:alnum:]])Servably Inc\\.') OR (coalesce("Signer", '') ~* E'(^|[^[:alnum:]])Servably, Inc\\.'))
GROUP BY coalesce("DeviceId", ''), coalesce("DeviceName", '');
