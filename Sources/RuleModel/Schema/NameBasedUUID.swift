import Support

/// RFC 4122 version-5 (SHA-1, name-based) UUIDs, so derived Sigma ids are stable across runs.
public enum NameBasedUUID {
    /// The namespace is a UUID (any text that is not one counts as the nil UUID).
    public static func make(namespace: String, name: String) -> String {
        let namespaceBytes = bytes(ofUUID: namespace) ?? Array(repeating: 0, count: 16)
        var hash = SHA1.digest(namespaceBytes + Array(name.utf8))
        hash[6] = (hash[6] & 0x0F) | 0x50
        hash[8] = (hash[8] & 0x3F) | 0x80
        let hex = hash.prefix(16).map { byte in
            let h = String(byte, radix: 16)
            return h.count == 1 ? "0" + h : h
        }.joined()
        let c = Array(hex)
        return [c[0..<8], c[8..<12], c[12..<16], c[16..<20], c[20..<32]].map { String($0) }.joined(separator: "-")
    }

    public static func bytes(ofUUID text: String) -> [UInt8]? {
        let hex = text.filter { $0 != "-" }
        guard hex.count == 32 else { return nil }
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }
}
