import ArgumentParser
import Foundation
import PackSync
import RuleModel
import RuleReading

/// The local overrides that govern the rules a command reads: those of the `rulepack.yaml`
/// found in the folders holding the paths (walking up), if any. A manifest that does not parse
/// stops the command (exit status 2) with its error at line and column.
enum ProjectOverrides {
    static func load(for paths: [String]) throws -> OverrideSet {
        guard let url = Manifest.find(governing: paths) else { return .none }
        do {
            return try Manifest.load(url).overrideSet
        } catch let error as ManifestError {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
    }

    /// A reader of the rules under `paths`, with their overrides.
    static func reader(for paths: [String]) throws -> SentinelRuleReader {
        SentinelRuleReader(overrides: try load(for: paths))
    }

    /// The note for a rule an override turns off: commands skip it and say so.
    static func skipped(_ file: String, by override: RuleOverride, doing what: String) -> Diagnostic {
        Diagnostic(.note, file: file, at: SourcePosition(line: 1, column: 1), "turned off by the local override at \(override.origin) (\(override.selectorText)); not \(what)")
    }
}
