import Foundation
import RuleModel

/// Writes diagnostics to stderr in the compiler form `path:line:col: severity: message`,
/// coloured only when stderr is a terminal.
struct DiagnosticPrinter {
    let colour = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    func print(_ diagnostic: Diagnostic) {
        var line = diagnostic.description
        if colour {
            let code = switch diagnostic.severity {
            case .error: "31"
            case .warning: "33"
            case .note: "36"
            }
            let label = "\(diagnostic.severity.rawValue):"
            line = line.replacingOccurrences(of: " \(label) ", with: " \u{1B}[1;\(code)m\(label)\u{1B}[0m ")
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// Exit statuses shared by every command.
enum ExitStatus: Int32 {
    case clean = 0
    case findings = 1
    case usage = 2
}

/// Writes a file so that a reader never sees it half-written: into a temporary file beside it,
/// then renamed over the target.
func writeAtomically(_ text: String, to url: URL) throws {
    let directory = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    do {
        try Data(text.utf8).write(to: temporary)
        if FileManager.default.fileExists(atPath: url.path) {
            _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary)
        } else {
            try FileManager.default.moveItem(at: temporary, to: url)
        }
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw error
    }
}
