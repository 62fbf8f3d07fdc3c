import ArgumentParser
import Foundation
import PackSync
import Support

/// Writes a folder of outputs (one target of `convert --to all`) as a whole: the files go into
/// a new folder beside it, written on every core, which then takes the old one's place in one
/// rename. A failed run leaves the old folder as it was; files the new run does not write
/// (rules since removed) do not linger. An I/O error is reported at the folder, exit status 2.
enum OutputFolder {
    static func replace(_ folder: URL, with files: [(name: String, text: String)]) throws {
        do {
            try FolderSwap.replace(folder, durable: false) { staging in
                // Plain path strings: building a URL per file cost more than writing it.
                let prefix = staging.path + "/"
                let failures = files.concurrentMap { file -> String? in
                    do {
                        try NewFile.create(prefix + file.name, contents: Data(file.text.utf8))
                        return nil
                    } catch {
                        return "\(error)"
                    }
                }
                if let failure = failures.lazy.compactMap({ $0 }).first { throw FolderSwap.Failure(reason: failure) }
            }
        } catch {
            FileHandle.standardError.write(Data("\(folder.path):1:1: error: cannot write: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
    }
}
