import RuleModel
import RuleReading
import RuleWriting

/// libFuzzer entry: any bytes as a KQL query. A query that reads must write back to KQL that
/// reads as the same detection, and must not crash the SQL or Sigma writers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKQLReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let detection = try? KQLParser.parse(text) else { return 0 }
    let written = KQLWriter.query(detection)
    guard let reread = try? KQLParser.parse(written), reread == detection else {
        fatalError("KQL round trip failed:\n\(text)\n--- wrote ---\n\(written)")
    }
    let rule = Rule(metadata: RuleMetadata(id: "00000000-0000-4000-8000-000000000000", name: "fuzz"), detection: detection, sourceFile: "fuzz.yaml")
    for dialect in [SQLDialect.sqlite, .postgres, .duckdb, .spark] {
        _ = try? SQLWriter(dialect: dialect).write(rule)
    }
    _ = try? SigmaWriter().write(rule)
    return 0
}

/// SwiftPM links an executable's entry point as `FuzzKQLReader_main`; this one hands over to
/// libFuzzer's driver (the target is built with -parse-as-library and -sanitize=fuzzer).
@_cdecl("FuzzKQLReader_main")
public func fuzzKQLReaderMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzKQLReader)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt
