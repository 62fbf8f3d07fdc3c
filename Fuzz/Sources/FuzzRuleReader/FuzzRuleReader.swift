import RuleChecks
import RuleModel
import RuleReading
import RuleWriting

/// libFuzzer entry: any bytes as a rule file, through the reader, every lint check and the
/// writers. Nothing may crash; a rule that reads must round-trip through KQL.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRuleReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let file = LintFile(path: "fuzz.yaml", text: text)
    _ = Linter().lint([file])
    guard let rule = file.read.rule else { return 0 }
    let written = KQLWriter.query(rule.detection)
    guard let reread = try? KQLParser.parse(written), reread == rule.detection else {
        fatalError("KQL round trip failed for:\n\(text)\n--- wrote ---\n\(written)")
    }
    _ = KQLWriter().write(rule)
    _ = try? SQLWriter(dialect: .sqlite).write(rule)
    _ = try? SigmaWriter().write(rule)
    return 0
}

/// SwiftPM links an executable's entry point as `FuzzRuleReader_main`; this one hands over to
/// libFuzzer's driver (the target is built with -parse-as-library and -sanitize=fuzzer).
@_cdecl("FuzzRuleReader_main")
public func fuzzRuleReaderMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzRuleReader)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt
