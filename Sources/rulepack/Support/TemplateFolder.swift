import ArgumentParser
import Foundation
import RuleTemplates

/// The templates folder of `--template`; one that cannot be read is a usage error (exit 2).
enum TemplateFolder {
    static func load(_ path: String) throws -> TemplateSet {
        do {
            return try TemplateSet.load(URL(fileURLWithPath: path))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
    }
}
