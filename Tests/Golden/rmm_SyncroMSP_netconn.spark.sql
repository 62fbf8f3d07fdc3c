-- Remote Management and Monitoring tool - SyncroMSP - Network Connection
-- id: b9e378d6-850c-4b7d-9133-b4be3c7433eb
-- translated from KQL by rulepack (dialect: spark)
SELECT coalesce(`DeviceId`, '') AS `DeviceId`, coalesce(`DeviceName`, '') AS `DeviceName`, coalesce(`InitiatingProcessAccountUpn`, '') AS `AccountUpn`, coalesce(`RemoteUrl`, '') AS `RemoteUrl`, min(`Timestamp`) AS `FirstSeen`, max(`Timestamp`) AS `LastSeen`, collect_set(`ReportId`) AS `Report`, count(*) AS `Count`
FROM `DeviceNetworkEvents`
WHERE (`Timestamp` BETWEEN (current_timestamp() + INTERVAL '-5 days') AND current_timestamp())
  AND ((coalesce(`RemoteUrl`, '') RLIKE '(?iu)(^|[^\\p{L}\\p{N}])syncromsp\\.com($|[^\\p{L}\\p{N}])') OR (coalesce(`RemoteUrl`, '') RLIKE '(?iu)(^|[^\\p{L}\\p{N}])servably\\.com($|[^\\p{L}\\p{N}])') OR (coalesce(`RemoteUrl`, '') RLIKE '(?iu)(^|[^\\p{L}\\p{N}])syncroapi\\.com($|[^\\p{L}\\p{N}])'))
  AND (coalesce(`InitiatingProcessVersionInfoCompanyName`, '') RLIKE '(?iu)(^|[^\\p{L}\\p{N}])Servably, Inc\\.')
GROUP BY coalesce(`DeviceId`, ''), coalesce(`DeviceName`, ''), coalesce(`InitiatingProcessAccountUpn`, ''), coalesce(`RemoteUrl`, '');
