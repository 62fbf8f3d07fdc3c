import FuzzDriver
import RuleFuzzing

/// libFuzzer entry: any bytes as a rule file (FuzzProperties.checkRuleFile).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRuleReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let failure = FuzzProperties.checkRuleFile(text) { fatalError(failure) }
    return 0
}

@_cdecl("FuzzRuleReader_main")
public func fuzzRuleReaderMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzRuleReader)
}
