import Foundation
import RuleModel
import Support
import YAMLLoading
import Yams

/// One pack of the manifest: where its rules come from and where they go.
public struct PackSpec: Hashable, Sendable {
    public var name: String
    public var source: String
    public var ref: String
    public var include: [String]
    public var into: String
    public var limits: Limits
    public var position: SourcePosition

    /// Size limits, so a hostile or mistaken source cannot fill the disk.
    public struct Limits: Hashable, Sendable {
        public var fileBytes = 1 << 20
        public var packBytes = 64 << 20
        public var files = 20_000
    }
}

/// A problem in the manifest or lock file, at its line and column.
public struct ManifestError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var position: SourcePosition
    public var message: String
    public var description: String { "\(file):\(position.line):\(position.column): error: \(message)" }
}

/// `rulepack.yaml`: the packs a project syncs (see README, "Syncing catalogues").
public struct Manifest: Sendable {
    public var packs: [PackSpec]
    /// The folder the manifest is in; `into` paths and local sources are relative to it.
    public var root: URL
    public var path: String

    static let packKeys: Set<String> = ["name", "source", "ref", "include", "into", "limits"]

    public static func load(_ url: URL) throws -> Manifest {
        let path = url.path
        func fail(_ message: String, _ position: SourcePosition = SourcePosition(line: 1, column: 1)) -> ManifestError {
            ManifestError(file: path, position: position, message: message)
        }
        func at(_ node: Node) -> SourcePosition {
            node.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? SourcePosition(line: 1, column: 1)
        }
        let root: Node?
        do {
            root = try BoundedYAML.load(fileAt: path).root
        } catch {
            throw fail(error.message, SourcePosition(line: error.line, column: error.column))
        }
        guard case .mapping(let top)? = root, let packsNode = top["packs"] else {
            throw fail("expected a mapping with a 'packs' list")
        }
        guard case .sequence(let items) = packsNode else { throw fail("'packs' must be a list", at(packsNode)) }
        var packs: [PackSpec] = []
        for item in items {
            guard case .mapping(let m) = item else { throw fail("each pack is a mapping (name, source, ref, include, into)", at(item)) }
            for (key, _) in m {
                guard let k = key.string, packKeys.contains(k) else {
                    let k = key.string ?? "?"
                    let near = Suggestion.hint(for: k, among: packKeys)
                    throw fail("unknown key '\(k)'\(near)", at(key))
                }
            }
            func string(_ key: String, required: Bool = true) throws -> String? {
                guard let node = m[key] else {
                    if required { throw fail("the pack needs '\(key)'", at(item)) }
                    return nil
                }
                guard case .scalar(let s) = node, !s.string.isEmpty else { throw fail("'\(key)' must be a non-empty string", at(node)) }
                return s.string
            }
            let name = try string("name") ?? ""
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }), !name.hasPrefix(".") else {
                throw fail("pack name '\(name)' may hold only letters, digits, '.', '_' and '-'", at(m["name"] ?? item))
            }
            var include = ["**/*.yaml", "**/*.yml"]
            if let node = m["include"] {
                guard case .sequence(let patterns) = node, !patterns.isEmpty, patterns.allSatisfy({ $0.string.map { !$0.isEmpty } ?? false }) else {
                    throw fail("'include' must be a list of glob patterns", at(node))
                }
                include = patterns.compactMap(\.string)
            }
            let into = try string("into", required: false) ?? "packs/\(name)"
            let components = into.split(separator: "/")
            if into.hasPrefix("/") || components.contains("..") || components.contains(".") || components.isEmpty || components.first == ".rulepack" {
                throw fail("'into' must be a folder inside the project (relative, without '..'), not '\(into)'", at(m["into"] ?? item))
            }
            var limits = PackSpec.Limits()
            if let node = m["limits"] {
                guard case .mapping(let l) = node else { throw fail("'limits' must map fileBytes, packBytes and files to numbers", at(node)) }
                for (key, value) in l {
                    guard let k = key.string, let n = value.string.flatMap(Int.init), n > 0 else {
                        throw fail("limits take positive whole numbers", at(value))
                    }
                    switch k {
                    case "fileBytes": limits.fileBytes = n
                    case "packBytes": limits.packBytes = n
                    case "files": limits.files = n
                    default: throw fail("unknown limit '\(k)' (fileBytes, packBytes, files)", at(key))
                    }
                }
            }
            let spec = PackSpec(name: name, source: try string("source") ?? "", ref: try string("ref", required: false) ?? "main", include: include, into: components.joined(separator: "/"), limits: limits, position: at(item))
            if let other = packs.first(where: { $0.name == spec.name }) {
                throw fail("pack name '\(name)' is also used on line \(other.position.line)", at(item))
            }
            if let other = packs.first(where: { $0.into == spec.into || $0.into.hasPrefix(spec.into + "/") || spec.into.hasPrefix($0.into + "/") }) {
                throw fail("'into' \(spec.into) overlaps pack '\(other.name)' (\(other.into))", at(m["into"] ?? item))
            }
            packs.append(spec)
        }
        return Manifest(packs: packs, root: url.deletingLastPathComponent(), path: path)
    }
}

/// Glob patterns for `include`: `*` and `?` within a path segment, `[...]` classes, and `**`
/// for any number of segments.
public enum Glob {
    public static func matches(_ pattern: String, _ path: String) -> Bool {
        match(pattern.split(separator: "/", omittingEmptySubsequences: false)[...], path.split(separator: "/", omittingEmptySubsequences: false)[...])
    }

    private static func match(_ pattern: ArraySlice<Substring>, _ path: ArraySlice<Substring>) -> Bool {
        guard let head = pattern.first else { return path.isEmpty }
        if head == "**" {
            let rest = pattern.dropFirst()
            return (0...path.count).contains { match(rest, path.dropFirst($0)) }
        }
        // FNM_PERIOD: a hidden file or folder matches only a pattern that names its dot.
        guard let segment = path.first, fnmatch(String(head), String(segment), FNM_PERIOD) == 0 else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }
}
