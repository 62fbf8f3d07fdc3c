/// What a catalogue of tool descriptions (LOLRMM) observed for one tool: the values a rule's
/// literals can be compared with, each with the file and line it comes from.
public struct ToolEvidence: Hashable, Sendable {
    public struct Value: Hashable, Sendable {
        public var text: String
        public var file: String
        public var position: SourcePosition

        public init(text: String, file: String, position: SourcePosition) {
            self.text = text
            self.file = file
            self.position = position
        }

        /// `syncro.yaml:48:24`, for messages.
        public var origin: String { "\(file.split(separator: "/").last.map(String.init) ?? file):\(position.line):\(position.column)" }
    }

    /// The tool's name and its key (the catalogue's file stem).
    public var name: String
    public var key: String
    /// Certificate signers, and the companies in the signed files' version information.
    public var signers: [Value]
    public var companies: [Value]

    public init(name: String, key: String, signers: [Value], companies: [Value]) {
        self.name = name
        self.key = key
        self.signers = signers
        self.companies = companies
    }

    /// Whether a rule about `tool` (a catalogue-style name's tool) is about this one: the names
    /// agree once lower-cased to letters and digits, or one starts with the other
    /// (`SyncroMSP` and `Syncro`), the shorter having at least four characters.
    public func describes(_ tool: String) -> Bool {
        func normal(_ s: String) -> String { String(s.lowercased().filter { $0.isLetter || $0.isNumber }) }
        let wanted = normal(tool)
        return [normal(name), normal(key)].contains { candidate in
            guard !candidate.isEmpty, !wanted.isEmpty else { return false }
            if candidate == wanted { return true }
            let (short, long) = candidate.count < wanted.count ? (candidate, wanted) : (wanted, candidate)
            return short.count >= 4 && long.hasPrefix(short)
        }
    }
}
