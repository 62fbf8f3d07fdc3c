import ArgumentParser
import Foundation
import RuleTesting

/// Expands the PATH arguments of a command into rule files: a file as given, a folder as
/// every `*.yaml`/`*.yml` below it but detection tests (`*.tests.yaml`), sorted so runs are
/// deterministic.
enum RuleFiles {
    struct MissingPath: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path):1:1: error: no such file or folder" }
    }

    static func expand(_ paths: [String]) throws -> [String] {
        try expand(paths) { ["yaml", "yml"].contains($0.pathExtension.lowercased()) && !RuleTestFile.isTestFile($0.path) }
    }

    /// The files below the PATH arguments that `include` accepts (a file given by name is kept).
    static func expand(_ paths: [String], include: (URL) -> Bool) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw MissingPath(path: path)
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            var found: [String] = []
            let base = URL(fileURLWithPath: path)
            if let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) {
                for case let url as URL in enumerator where include(url) {
                    let relative = url.path.dropFirst(base.path.count).drop { $0 == "/" }
                    found.append((path as NSString).appendingPathComponent(String(relative)))
                }
            }
            files += found.sorted()
        }
        return files
    }

    /// `expand`, with a missing path reported on stderr as a usage error (exit status 2).
    static func expandOrExit(_ paths: [String], include: ((URL) -> Bool)? = nil) throws -> [String] {
        do {
            return try include.map { try expand(paths, include: $0) } ?? expand(paths)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
    }
}
