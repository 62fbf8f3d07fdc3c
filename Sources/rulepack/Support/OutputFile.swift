import ArgumentParser
import Foundation
import Support

/// Writes a command's output file through a temporary file and a rename, so a failed run
/// leaves the old file whole; an I/O error is reported at the file and is exit status 2.
enum OutputFile {
    static func write(_ text: String, to path: String) throws {
        do {
            try writeAtomically(text, to: URL(fileURLWithPath: path), durable: false)
        } catch {
            FileHandle.standardError.write(Data("\(path):1:1: error: cannot write: \(error.localizedDescription)\n".utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
    }
}
