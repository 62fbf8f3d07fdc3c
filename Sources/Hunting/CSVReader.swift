/// Reads CSV (RFC 4180): comma-separated fields, double-quoted fields that may hold commas,
/// doubled quotes and line breaks, CRLF or LF line ends.
struct CSVReader {
    struct Record {
        var fields: [String]
        /// The 1-based line the record starts on.
        var line: Int
    }

    enum Failure: Error {
        case unterminatedQuote(line: Int)
        case textAfterQuote(line: Int)
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1

    init(_ bytes: [UInt8]) {
        // A UTF-8 byte order mark is not data.
        self.bytes = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    }

    var consumedBytes: Int { index }

    /// The next record, nil at the end. A malformed record throws; the reader then continues
    /// at the next line.
    mutating func next() throws(Failure) -> Record? {
        guard index < bytes.count else { return nil }
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        while true {
            guard index < bytes.count else {
                fields.append(String(decoding: field, as: UTF8.self))
                return Record(fields: fields, line: start)
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") && field.isEmpty {
                index += 1
                while true {
                    guard index < bytes.count else {
                        throw .unterminatedQuote(line: start)
                    }
                    let b = bytes[index]
                    index += 1
                    if b == UInt8(ascii: "\"") {
                        if index < bytes.count && bytes[index] == UInt8(ascii: "\"") {
                            field.append(b)
                            index += 1
                            continue
                        }
                        break
                    }
                    if b == UInt8(ascii: "\n") { line += 1 }
                    field.append(b)
                }
                // After a closing quote: a separator, a line end or the end.
                if index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[index]) {
                    skipLine()
                    throw .textAfterQuote(line: start)
                }
                continue
            }
            index += 1
            switch byte {
            case UInt8(ascii: ","):
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            case UInt8(ascii: "\r") where index < bytes.count && bytes[index] == UInt8(ascii: "\n"):
                continue
            case UInt8(ascii: "\n"):
                line += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return Record(fields: fields, line: start)
            default:
                field.append(byte)
            }
        }
    }

    private mutating func skipLine() {
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
        if index < bytes.count {
            index += 1
            line += 1
        }
    }
}
