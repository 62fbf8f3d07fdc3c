import Foundation

/// An events file (CSV with a header line, or JSON Lines) as records of column → text, for
/// callers that load rows into an engine themselves (detection tests). JSON numbers and
/// booleans become their text; nested values their JSON. Empty CSV fields are left out, so the
/// column is null (or "" for a string).
public enum EventRecords {
    public struct Failure: Error, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public static func read(fileAt path: String) throws -> [[String: String]] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let file = EventFile(argument: path)
        return file.isJSONLines ? try jsonLines(bytes) : try csv(bytes)
    }

    static func csv(_ bytes: [UInt8]) throws -> [[String: String]] {
        var reader = CSVReader(bytes)
        guard let header = try reader.next() else { return [] }
        var records: [[String: String]] = []
        while let record = try reader.next() {
            guard record.fields.count == header.fields.count else {
                throw Failure(line: record.line, message: "\(record.fields.count) fields where the header has \(header.fields.count)")
            }
            var row: [String: String] = [:]
            for (name, field) in zip(header.fields, record.fields) where !field.isEmpty { row[name] = field }
            records.append(row)
        }
        return records
    }

    static func jsonLines(_ bytes: [UInt8]) throws -> [[String: String]] {
        var records: [[String: String]] = []
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
                throw Failure(line: index + 1, message: "not a JSON object")
            }
            var row: [String: String] = [:]
            for (name, value) in object {
                switch value {
                case is NSNull: continue
                case let s as String: row[name] = s
                case let n as NSNumber: row[name] = n.stringValue
                default:
                    let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
                    row[name] = String(decoding: data, as: UTF8.self)
                }
            }
            records.append(row)
        }
        return records
    }
}
