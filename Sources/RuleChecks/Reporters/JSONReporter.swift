import Foundation

/// An array of findings: file, line, column, severity, check, message and fix where one exists.
public enum JSONReporter {
    public static func report(_ findings: [Finding]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(findings), as: UTF8.self) + "\n"
    }
}
