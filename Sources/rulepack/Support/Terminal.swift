import Foundation
import RuleModel

/// Writes diagnostics to stderr in the compiler form `path:line:col: severity: message`,
/// coloured only when stderr is a terminal.
struct DiagnosticPrinter {
    let colour = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    let colourOut = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    func print(_ diagnostic: Diagnostic) {
        printLine(diagnostic.description, severity: diagnostic.severity, toStandardOutput: false)
    }

    /// A `path:line:col: severity: ...` line, its severity coloured when the stream is a terminal.
    func printLine(_ text: String, severity: DiagnosticSeverity, toStandardOutput: Bool) {
        var line = text
        if toStandardOutput ? colourOut : colour {
            let code = switch severity {
            case .error: "31"
            case .warning: "33"
            case .note: "36"
            }
            let label = "\(severity.rawValue):"
            if let range = line.range(of: " \(label) ") {
                line.replaceSubrange(range, with: " \u{1B}[1;\(code)m\(label)\u{1B}[0m ")
            }
        }
        (toStandardOutput ? FileHandle.standardOutput : FileHandle.standardError).write(Data((line + "\n").utf8))
    }
}
