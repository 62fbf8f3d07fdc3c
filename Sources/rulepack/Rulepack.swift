import ArgumentParser
import Foundation
import PackSync
import RuleModel

@main
struct Rulepack: ParsableCommand {
    static let version = "0.2.0"

    static let configuration = CommandConfiguration(
        commandName: "rulepack",
        abstract: "Manage, check and translate detection-rule packs (Sentinel YAML with KQL).",
        version: "rulepack \(version) (libgit2 \(LibGit2.version), ATT&CK Enterprise v\(AttackCatalogue.enterpriseVersion))",
        subcommands: [Convert.self, Lint.self, Sync.self, Hunt.self, Test.self, New.self, CoverageCommand.self, Import.self]
    )

    /// ArgumentParser exits 64 on usage errors; rulepack's contract is 2 (0 clean, 1 findings).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success || code.rawValue == 1 {
                exit(withError: error)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
