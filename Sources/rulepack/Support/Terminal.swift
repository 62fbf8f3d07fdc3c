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

/// Exit statuses shared by every command.
enum ExitStatus: Int32 {
    case clean = 0
    case findings = 1
    case usage = 2
}

/// Writes a file so that a reader never sees it half-written: into a temporary file beside it,
/// then renamed over the target. `durable` flushes the bytes to disk before the rename, for files
/// a user wrote by hand or cannot regenerate; translations skip it (a flush per file made
/// `convert --out` spend most of its time waiting on the disk).
func writeAtomically(_ text: String, to url: URL, durable: Bool = true) throws {
    let directory = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    func failure(_ action: String, _ reason: String) -> Error {
        CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(action) \(url.path): \(reason)"])
    }
    // The new file keeps the old one's permissions.
    var status = stat()
    let existingMode: mode_t? = stat(url.path, &status) == 0 ? status.st_mode & 0o7777 : nil
    do {
        try NewFile.create(temporary.path, contents: Data(text.utf8), exactMode: existingMode, durable: durable)
    } catch {
        throw failure(error.action, error.reason)
    }
    // rename(2) replaces the target atomically (FileManager.replaceItemAt misreports on Linux).
    if rename(temporary.path, url.path) != 0 {
        let reason = String(cString: strerror(errno))
        unlink(temporary.path)
        throw failure("cannot replace", reason)
    }
}
