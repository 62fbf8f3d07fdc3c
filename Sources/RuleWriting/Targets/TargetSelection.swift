import Foundation
import Support

/// The targets one `convert` writes: `--to` is a comma-separated list of languages (`sql`),
/// full names (`sql-postgres`) or `all`; `--dialect` a list of dialects for the languages that
/// have several (the default dialect when absent).
public enum TargetSelection {
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var description: String { message }
    }

    public static func targets(to: String, dialect: String?) throws(Problem) -> [OutputTarget] {
        let names = to.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let dialects = dialect.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        guard !names.isEmpty else { throw Problem(message: "--to names no target: \(choices)") }
        var chosen: [OutputTarget] = []
        var dialectsUsed = false
        for name in names {
            if name == "all" {
                chosen += OutputTarget.all
            } else if let exact = OutputTarget.all.first(where: { $0.name == name && $0.dialect != nil }) {
                chosen.append(exact)
            } else if OutputTarget.languages.contains(name) {
                let available = OutputTarget.dialects(of: name)
                if available.isEmpty {
                    chosen += OutputTarget.all.filter { $0.language == name }
                    continue
                }
                dialectsUsed = dialectsUsed || dialects != nil
                for wanted in dialects ?? [available[0]] {
                    guard let target = OutputTarget.named(name, dialect: wanted) else {
                        throw Problem(message: "unknown \(name) dialect '\(wanted)'\(Suggestion.hint(for: wanted, among: available)); dialects: \(available.joined(separator: ", "))")
                    }
                    chosen.append(target)
                }
            } else {
                throw Problem(message: "unknown target '\(name)'\(Suggestion.hint(for: name, among: OutputTarget.languages + OutputTarget.all.map(\.name) + ["all"])); targets: \(choices)")
            }
        }
        if dialects != nil, !dialectsUsed {
            let withDialects = OutputTarget.languages.filter { !OutputTarget.dialects(of: $0).isEmpty }
            let named = names.contains { name in OutputTarget.all.contains { $0.name == name && $0.dialect != nil } }
            throw Problem(message: named && !names.contains(where: withDialects.contains)
                ? "--to \(to) names its dialect; leave out --dialect"
                : "--dialect applies to --to \(withDialects.joined(separator: ", ")) only")
        }
        // Each target once, in the order asked.
        var seen: Set<String> = []
        return chosen.filter { seen.insert($0.name).inserted }
    }

    /// What `--to` takes, for messages.
    public static var choices: String {
        (OutputTarget.languages + ["all"]).joined(separator: ", ") + " (or a list, such as kql,sql-postgres,sigma)"
    }
}
