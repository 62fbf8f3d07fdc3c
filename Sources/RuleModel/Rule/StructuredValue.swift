/// A YAML value kept as written (a mapping, a list or a typed scalar), for rule fields that
/// rulepack carries into deployments unchanged, such as `incidentConfiguration`.
public indirect enum StructuredValue: Hashable, Sendable, Encodable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case list([StructuredValue])
    /// Keys in the order written.
    case mapping([(key: String, value: StructuredValue)])

    public static func == (lhs: StructuredValue, rhs: StructuredValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.mapping(let a), .mapping(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .string(let s): hasher.combine(s)
        case .integer(let n): hasher.combine(n)
        case .bool(let b): hasher.combine(b)
        case .list(let items): hasher.combine(items)
        case .mapping(let entries):
            for entry in entries {
                hasher.combine(entry.key)
                hasher.combine(entry.value)
            }
        }
    }

    /// The value under `key` of a mapping.
    public subscript(key: String) -> StructuredValue? {
        guard case .mapping(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// A copy with the value at `path` (keys of nested mappings) replaced by `transform`'s result.
    public func updating(_ path: [String], _ transform: (StructuredValue) -> StructuredValue) -> StructuredValue {
        guard let first = path.first else { return transform(self) }
        guard case .mapping(let entries) = self else { return self }
        return .mapping(entries.map { entry in
            entry.key == first ? (entry.key, entry.value.updating(Array(path.dropFirst()), transform)) : entry
        })
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .string(let s):
            var container = encoder.singleValueContainer()
            try container.encode(s)
        case .integer(let n):
            var container = encoder.singleValueContainer()
            try container.encode(n)
        case .bool(let b):
            var container = encoder.singleValueContainer()
            try container.encode(b)
        case .list(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .mapping(let entries):
            var container = encoder.container(keyedBy: Key.self)
            for entry in entries { try container.encode(entry.value, forKey: Key(stringValue: entry.key)) }
        }
    }
}
