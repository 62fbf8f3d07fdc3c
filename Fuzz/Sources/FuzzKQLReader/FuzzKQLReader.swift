import FuzzDriver
import RuleFuzzing

/// libFuzzer entry: any bytes as a KQL query (FuzzProperties.checkQuery).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKQLReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let failure = FuzzProperties.checkQuery(text) { fatalError(failure) }
    return 0
}

@_cdecl("FuzzKQLReader_main")
public func fuzzKQLReaderMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzKQLReader)
}
