import Foundation

/// A team's local tuning of a synced rule, written in `rulepack.yaml` under a pack's
/// `overrides` and applied whenever the rule is read, never into the synced files, so
/// `sync --update` cannot lose it.
public struct RuleOverride: Hashable, Sendable {
    /// Which rules it tunes: one by id, or every rule whose name matches a glob (`*`, `?`, `[...]`).
    public enum Selector: Hashable, Sendable {
        case id(String)
        case names(String)
    }

    public var selector: Selector
    public var disable = false
    /// Informational, Low, Medium or High.
    public var severity: String?
    /// False-positive scenarios added to the rule, in the false-positive filter language.
    public var exclusions: [FalsePositive] = []
    /// Tools the team runs on purpose: rules about them (by their catalogue-style names) are off.
    public var sanctionedTools: [String] = []
    /// The manifest it is written in, and where.
    public var file: String
    public var position: SourcePosition

    public init(selector: Selector, file: String, position: SourcePosition) {
        self.selector = selector
        self.file = file
        self.position = position
    }

    /// `rulepack.yaml:12:5`, for messages and output headers.
    public var origin: String { "\((file as NSString).lastPathComponent):\(position.line):\(position.column)" }

    public var selectorText: String {
        switch selector {
        case .id(let id): "id \(id)"
        case .names(let glob): "names '\(glob)'"
        }
    }

    public func selects(_ rule: Rule) -> Bool {
        switch selector {
        case .id(let id): rule.metadata.id?.lowercased() == id.lowercased()
        case .names(let glob): fnmatch(glob, rule.metadata.name ?? "", 0) == 0
        }
    }

    /// What it does to a rule it selects, for headers: `severity High`, `exclusion 'Admin hosts'`.
    public func effects(on rule: Rule) -> [String] {
        var effects: [String] = []
        if disable { effects.append("disabled") }
        if let tool = rule.metadata.tool, sanctionedTools.contains(where: { $0.lowercased() == tool.lowercased() }) {
            effects.append("disabled: \(tool) is a sanctioned tool")
        }
        if let severity { effects.append("severity \(severity)") }
        effects += exclusions.map { "exclusion '\($0.scenario)'" }
        return effects
    }

    /// Whether it turns the rule off.
    public func disables(_ rule: Rule) -> Bool {
        disable || rule.metadata.tool.map { tool in sanctionedTools.contains { $0.lowercased() == tool.lowercased() } } == true
    }
}

/// The overrides of a project's packs, each pack's for the rules under its folder.
public struct OverrideSet: Sendable {
    public struct Pack: Sendable {
        public var name: String
        /// The pack's folder, absolute and standardized.
        public var folder: String
        public var overrides: [RuleOverride]

        public init(name: String, folder: String, overrides: [RuleOverride]) {
            self.name = name
            self.folder = folder
            self.overrides = overrides
        }
    }

    public var packs: [Pack]

    public init(packs: [Pack] = []) {
        self.packs = packs
    }

    public static let none = OverrideSet()

    /// The pack whose folder holds the file at `path`.
    public func pack(holding path: String) -> Pack? {
        // Most projects have no overrides: no path work per rule file then.
        if packs.isEmpty { return nil }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return packs.first { absolute.hasPrefix($0.folder + "/") }
    }

    /// The overrides that select `rule`, read from `path`.
    public func overrides(for rule: Rule, at path: String) -> [RuleOverride] {
        pack(holding: path)?.overrides.filter { $0.selects(rule) } ?? []
    }
}

extension Rule {
    /// The rule as `overrides` tune it, and the override that turns it off, if one does.
    public func applying(_ overrides: [RuleOverride]) -> (rule: Rule, disabledBy: RuleOverride?) {
        var rule = self
        for override in overrides {
            if let severity = override.severity { rule.metadata.severity = severity }
            rule.falsePositives += override.exclusions
            rule.metadata.overrides += override.effects(on: self).map { "\($0) (\(override.origin))" }
        }
        return (rule, overrides.first { $0.disables(self) })
    }
}

extension RuleMetadata {
    /// The RMM tool a catalogue-style name is about: `Remote Management and Monitoring tool -
    /// SyncroMSP - Create Process` → SyncroMSP (`<kind> - <tool> - <what>`).
    public var tool: String? {
        guard let parts = name?.components(separatedBy: " - "), parts.count >= 3 else { return nil }
        let tool = parts[1].trimmingCharacters(in: .whitespaces)
        return tool.isEmpty ? nil : tool
    }
}
