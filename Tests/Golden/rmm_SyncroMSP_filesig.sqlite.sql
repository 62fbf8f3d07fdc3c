-- Remote Management and Monitoring tool - SyncroMSP - File Signature
-- id: 3510a677-6a63-45f5-a0cd-509c5b865e0e
-- translated from KQL by rulepack (dialect: sqlite)
-- warning: false-positive filter of 'System update via SyncroMSP' left out: DeviceFileCertificateInfo has no column for 'process.name'
-- warning: false-positive filter of 'Scheduled job for asset inventory' left out: DeviceFileCertificateInfo has no column for 'process.name', 'event_id'
-- warning: false-positive filter of 'Admin task to deploy configuration profiles' left out: DeviceFileCertificateInfo has no column for 'process.name', 'user.name', 'event_id'
-- warning: false-positive filter of 'File integrity monitoring (FIM) check' left out: DeviceFileCertificateInfo has no column for 'process.name', 'event_id'
-- warning: false-positive filter of 'Remote PowerShell script execution' left out: DeviceFileCertificateInfo has no column for 'process.name', 'parent_process.name', 'script_path'
WITH "query_now" AS MATERIALIZED (
  SELECT julianday('now') AS "instant"
)
SELECT coalesce("DeviceId", '') AS "DeviceId", coalesce("DeviceName", '') AS "DeviceName", min("Timestamp") AS "FirstSeen", max("Timestamp") AS "LastSeen", json_group_array(DISTINCT "ReportId") FILTER (WHERE "ReportId" IS NOT NULL) AS "Report", count(*) AS "Count"
FROM "DeviceFileCertificateInfo" CROSS JOIN "query_now"
WHERE (julianday("Timestamp") BETWEEN julianday("query_now"."instant", '-5 days') AND "query_now"."instant")
  AND (((instr(lower(coalesce("Signer", '')), 'servably inc.') > 0 AND EXISTS (WITH RECURSIVE "occurrence"("h", "at") AS (SELECT "h", instr("h", 'servably inc.') FROM (SELECT lower(coalesce("Signer", '')) AS "h") UNION ALL SELECT "h", "at" + instr(substr("h", "at" + 1), 'servably inc.') FROM "occurrence" WHERE instr(substr("h", "at" + 1), 'servably inc.') > 0) SELECT 1 FROM (SELECT substr("h", "at" - 1, 1) AS "before", substr("h", "at" + 13, 1) AS "after" FROM "occurrence") WHERE ("before" = '' OR NOT ("before" GLOB '[A-Za-z0-9]' OR unicode("before") IN (170, 178, 179, 181, 185, 186, 188, 189, 190) OR (unicode("before") > 191 AND unicode("before") NOT IN (215, 247) AND unicode("before") NOT BETWEEN 8192 AND 8303)))))) OR ((instr(lower(coalesce("Signer", '')), 'servably, inc.') > 0 AND EXISTS (WITH RECURSIVE "occurrence"("h", "at") AS (SELECT "h", instr("h", 'servably, inc.') FROM (SELECT lower(coalesce("Signer", '')) AS "h") UNION ALL SELECT "h", "at" + instr(substr("h", "at" + 1), 'servably, inc.') FROM "occurrence" WHERE instr(substr("h", "at" + 1), 'servably, inc.') > 0) SELECT 1 FROM (SELECT substr("h", "at" - 1, 1) AS "before", substr("h", "at" + 14, 1) AS "after" FROM "occurrence") WHERE ("before" = '' OR NOT ("before" GLOB '[A-Za-z0-9]' OR unicode("before") IN (170, 178, 179, 181, 185, 186, 188, 189, 190) OR (unicode("before") > 191 AND unicode("before") NOT IN (215, 247) AND unicode("before") NOT BETWEEN 8192 AND 8303)))))))
GROUP BY coalesce("DeviceId", ''), coalesce("DeviceName", '');
