-- Remote Management and Monitoring tool - SyncroMSP - Create Process
-- id: d22805c7-d987-48d3-bb98-5e1d4bb053af
-- translated from KQL by rulepack (dialect: spark)
SELECT coalesce(`DeviceId`, '') AS `DeviceId`, coalesce(`DeviceName`, '') AS `DeviceName`, coalesce(`AccountUpn`, '') AS `AccountUpn`, min(`Timestamp`) AS `FirstSeen`, max(`Timestamp`) AS `LastSeen`, collect_set(`ReportId`) AS `Report`, count(*) AS `Count`
FROM `DeviceProcessEvents`
WHERE (`Timestamp` BETWEEN (current_timestamp() + INTERVAL '-5 days') AND current_timestamp())
  AND (coalesce(`ProcessVersionInfoCompanyName`, '') RLIKE '(?iu)(^|[^\\p{L}\\p{N}])Servably, Inc\\.')
  AND (coalesce(`ProcessVersionInfoProductName`, '') RLIKE '(?iu)(^|[^\\p{L}\\p{N}])Syncro($|[^\\p{L}\\p{N}])')
GROUP BY coalesce(`DeviceId`, ''), coalesce(`DeviceName`, ''), coalesce(`AccountUpn`, '');
