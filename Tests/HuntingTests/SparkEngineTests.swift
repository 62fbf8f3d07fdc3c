import Foundation
@testable import Hunting
import Testing

/// What rulepack decides before Spark starts: which spark-submit runs, and each events
/// path's format. (Spark itself runs in the oracle suite, test_spark_hunt.py.)
@Suite("Spark engine")
struct SparkEngineTests {
    @Test func formatsComeFromTheExtension() {
        #expect(SparkEngine.EventsFormat(path: "s3a://lake/DeviceNetworkEvents.parquet") == .parquet)
        #expect(SparkEngine.EventsFormat(path: "DeviceNetworkEvents.jsonl") == .json)
        #expect(SparkEngine.EventsFormat(path: "/x/DeviceNetworkEvents.NDJSON") == .json)
        #expect(SparkEngine.EventsFormat(path: "DeviceProcessEvents.csv") == .csv)
        #expect(SparkEngine.EventsFormat(path: "abfss://c@a.dfs.core.windows.net/DeviceProcessEvents") == nil)
    }

    @Test func aFolderTakesTheFormatOfItsDataFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-spark-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let table = folder.appendingPathComponent("DeviceNetworkEvents")
        try FileManager.default.createDirectory(at: table, withIntermediateDirectories: true)
        for name in ["_SUCCESS", ".part-00000.parquet.crc", "part-00000.parquet", "part-00001.parquet"] {
            try Data().write(to: table.appendingPathComponent(name))
        }
        #expect(SparkEngine.EventsFormat.detect(table.path) == .parquet)
        try Data().write(to: table.appendingPathComponent("part-00002.csv"))
        #expect(SparkEngine.EventsFormat.detect(table.path) == nil, "two formats in one folder: the user says which")
    }

    @Test func sparkSubmitComesFromSparkHomeThenPath() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-spark-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let submit = bin.appendingPathComponent("spark-submit")
        try Data("#!/bin/sh\n".utf8).write(to: submit)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: submit.path)

        #expect(try SparkEngine.submitCommand(environment: ["SPARK_HOME": folder.path, "PATH": "/nowhere"]) == submit.path)
        #expect(try SparkEngine.submitCommand(environment: ["PATH": "/nowhere:\(bin.path)"]) == submit.path)
        #expect(throws: SparkError.self) { try SparkEngine.submitCommand(environment: ["PATH": "/nowhere"]) }
        do {
            _ = try SparkEngine.submitCommand(environment: ["SPARK_HOME": "/nowhere", "PATH": bin.path])
            Issue.record("a SPARK_HOME without spark-submit is an error, not a fallback to PATH")
        } catch let error as SparkError {
            #expect(error.message.hasPrefix("SPARK_HOME is /nowhere, but /nowhere/bin/spark-submit is not an executable spark-submit"))
        }
    }
}
