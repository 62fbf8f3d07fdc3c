import Foundation
import RuleModel

/// Which ATT&CK techniques, under which tactics, a set of rules covers, with the Defender
/// tables they read and the tools they are about.
public struct CoverageReport: Sendable {
    public struct RuleEntry: Hashable, Sendable {
        public var file: String
        public var id: String?
        public var name: String
        /// The RMM tool, from a catalogue-style name (`... - AnyDesk - ...`).
        public var tool: String?
        public var tables: [String]
        public var techniques: [String]
    }

    /// One technique under one tactic, with the rules that cover it there.
    public struct Cell: Hashable, Sendable {
        public var techniqueID: String
        public var techniqueName: String
        /// ATT&CK tactic short name (`command-and-control`).
        public var tactic: String
        public var rules: [RuleEntry]
    }

    public var attack: AttackCatalogue
    public var rules: [RuleEntry]
    public var cells: [Cell]

    public init(rules: [Rule], attack: AttackCatalogue = .enterprise) {
        self.attack = attack
        self.rules = rules.map(Self.entry)
        var byCell: [String: Cell] = [:]
        for (rule, entry) in zip(rules, self.rules) {
            let ruleTactics = Set(rule.metadata.tactics.compactMap { SentinelTactic.named($0.replacingOccurrences(of: " ", with: ""))?.shortName })
            for id in entry.techniques {
                let technique = attack.technique(id)
                let known = Set(technique?.tactics ?? [])
                // The technique's tactics the rule names; all of them when the rule names none of them.
                var tactics = known.intersection(ruleTactics)
                if tactics.isEmpty { tactics = known.isEmpty ? ruleTactics : known }
                for tactic in tactics where attack.tactic(shortName: tactic) != nil {
                    let key = id + "/" + tactic
                    byCell[key, default: Cell(techniqueID: id, techniqueName: technique?.name ?? id, tactic: tactic, rules: [])].rules.append(entry)
                }
            }
        }
        let tacticOrder = Dictionary(attack.tactics.enumerated().map { ($1.shortName, $0) }, uniquingKeysWith: { first, _ in first })
        cells = byCell.values.sorted {
            ((tacticOrder[$0.tactic] ?? .max), $0.techniqueID) < ((tacticOrder[$1.tactic] ?? .max), $1.techniqueID)
        }
    }

    static func entry(_ rule: Rule) -> RuleEntry {
        let d = rule.detection
        var tables = [d.source.name]
        for statement in d.lets {
            if case .tabular(let t) = statement.value { tables.append(t.source.name) }
        }
        let letNames = Set(d.lets.map(\.name))
        var techniques: [String] = []
        for t in rule.metadata.techniques {
            let id = t.trimmingCharacters(in: .whitespaces).uppercased()
            if id.wholeMatch(of: /T\d{4}(\.\d{3})?/) != nil, !techniques.contains(id) { techniques.append(id) }
        }
        return RuleEntry(
            file: rule.sourceFile, id: rule.metadata.id,
            name: rule.metadata.name ?? URL(fileURLWithPath: rule.sourceFile).deletingPathExtension().lastPathComponent,
            tool: rule.metadata.tool,
            tables: tables.filter { !letNames.contains($0) }.reduce(into: []) { if !$0.contains($1) { $0.append($1) } },
            techniques: techniques
        )
    }

    /// The tactics with covered techniques, in ATT&CK's order.
    public var coveredTactics: [AttackCatalogue.Tactic] {
        attack.tactics.filter { tactic in cells.contains { $0.tactic == tactic.shortName } }
    }

    /// Rule counts per Defender table, most first.
    public var tables: [(name: String, rules: [RuleEntry])] {
        Self.grouped(rules.flatMap { rule in rule.tables.map { ($0, rule) } })
    }

    /// Rule counts per tool, most first; rules without a tool under "(no tool in the name)".
    public var tools: [(name: String, rules: [RuleEntry])] {
        Self.grouped(rules.map { ($0.tool ?? "(no tool in the name)", $0) })
    }

    static func grouped(_ pairs: [(String, RuleEntry)]) -> [(name: String, rules: [RuleEntry])] {
        var groups: [String: [RuleEntry]] = [:]
        for (key, rule) in pairs { groups[key, default: []].append(rule) }
        return groups.map { ($0.key, $0.value) }.sorted { ($1.rules.count, $0.name) < ($0.rules.count, $1.name) }
    }
}
