import Foundation
import RuleModel

/// JSON output of the deployment targets: a `StructuredValue` through Foundation's encoder,
/// keys sorted so the same rule always gives the same bytes.
public enum JSONDocument {
    public static func text(_ value: StructuredValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, numbers, booleans, lists and string-keyed maps cannot fail.
        guard let data = try? encoder.encode(value) else { return "" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

extension StructuredValue {
    /// A mapping of the pairs whose value is present, in the order given.
    public static func object(_ pairs: [(String, StructuredValue?)]) -> StructuredValue {
        .mapping(pairs.compactMap { key, value in value.map { (key, $0) } })
    }

    public static func strings(_ items: [String]) -> StructuredValue { .list(items.map(StructuredValue.string)) }
}
