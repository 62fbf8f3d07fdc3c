import Foundation
import Yams

/// The one way rulepack reads YAML: rule files, manifests and lock files may come from
/// repositories its users do not control, so every read is bounded.
///
/// - size: a file over `maximumFileBytes` is refused from its size on disk, before it is read;
/// - nesting: libyaml stops at 1,000 levels ("Maximum nesting level reached");
/// - aliases: Yams resolves aliases while composing, with no limit, so a "billion laughs" file
///   composes into a small shared tree that any full walk would never finish. After composing,
///   nodes are counted with aliases expanded, and the count stops at `maximumNodes`.
public enum BoundedYAML {
    /// Sentinel rule files are a few kilobytes (a query is at most 10,000 characters); manifests
    /// and locks are smaller still.
    public static let maximumFileBytes = 1 << 20
    /// Nodes after alias expansion.
    public static let maximumNodes = 100_000

    /// Why a YAML text was not read, with the 1-based position it concerns.
    public struct Failure: LocalizedError, Sendable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable {
            case unreadable, tooLarge, notUTF8, syntax, tooManyNodes
            /// Keys written twice in one mapping (Yams names them, but not where they are).
            case duplicateKeys([String])
        }

        public var kind: Kind
        public var message: String
        public var line: Int
        public var column: Int

        public init(_ kind: Kind, _ message: String, line: Int = 1, column: Int = 1) {
            self.kind = kind
            self.message = message
            self.line = line
            self.column = column
        }

        public var description: String { message }
        public var errorDescription: String? { message }
    }

    /// Every scalar is read as text (readers convert what they need), so no YAML tag is
    /// resolved: resolving runs regular expressions over every key and value.
    public static let textResolver = Resolver.basic
    /// Made once: Yams builds a new constructor, and reads the environment for the encoding,
    /// on every call that is not given one.
    nonisolated(unsafe) public static let constructor = Constructor.default

    public static func tooLargeMessage(bytes: Int) -> String {
        "the file is \(bytes) bytes; rulepack reads YAML files of at most \(maximumFileBytes) bytes"
    }

    public static let tooManyNodesMessage = "the YAML expands to more than \(maximumNodes) nodes once its aliases are resolved (an alias bomb?); not read"

    /// A file's bytes as UTF-8 text; a file over the size bound is refused from its size alone.
    public static func text(ofFileAt path: String) throws(Failure) -> String {
        let data = try bytes(ofFileAt: path)
        guard let text = String(data: data, encoding: .utf8) else { throw Failure(.notUTF8, "the file is not UTF-8 text") }
        return text
    }

    /// A file's bytes, refused from its size on disk when over the bound.
    public static func bytes(ofFileAt path: String) throws(Failure) -> Data {
        var status = stat()
        if stat(path, &status) == 0, Int(status.st_size) > maximumFileBytes {
            throw Failure(.tooLarge, tooLargeMessage(bytes: Int(status.st_size)))
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw Failure(.unreadable, "cannot read the file: \(error.localizedDescription)")
        }
        // The file may have grown between the stat and the read.
        guard data.count <= maximumFileBytes else { throw Failure(.tooLarge, tooLargeMessage(bytes: data.count)) }
        return data
    }

    /// The document of `text` (nil when it is empty), within every bound.
    public static func compose(_ text: String, resolver: Resolver = textResolver) throws(Failure) -> Node? {
        let bytes = text.utf8.count
        guard bytes <= maximumFileBytes else { throw Failure(.tooLarge, tooLargeMessage(bytes: bytes)) }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, resolver, constructor, .utf8)
        } catch {
            throw failure(describing: error)
        }
        if let root, exceedsNodeLimit(root) { throw Failure(.tooManyNodes, tooManyNodesMessage) }
        return root
    }

    /// A file's text and document, within every bound.
    public static func load(fileAt path: String, resolver: Resolver = textResolver) throws(Failure) -> (text: String, root: Node?) {
        let text = try text(ofFileAt: path)
        return (text, try compose(text, resolver: resolver))
    }

    /// Whether the document, aliases expanded, has more than `limit` nodes. Counts with an
    /// explicit stack and stops at the limit, so the work is bounded however large the bomb.
    public static func exceedsNodeLimit(_ root: Node, limit: Int = maximumNodes) -> Bool {
        var stack = [root]
        var count = 0
        while let node = stack.popLast() {
            count += 1
            if count > limit { return true }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    stack.append(key)
                    stack.append(value)
                }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence)
            case .scalar, .alias:
                break
            }
        }
        return false
    }

    static func failure(describing error: Error) -> Failure {
        guard let yamlError = error as? YamlError else { return Failure(.syntax, "invalid YAML: \(error)") }
        switch yamlError {
        case .duplicatedKeysInMapping(let keys, _):
            return Failure(.duplicateKeys(keys), "keys appear twice: \(keys.joined(separator: ", "))")
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            // libyaml reports a runaway scalar at the end of the stream; its context says where it began.
            let text = context.map { "\(problem) (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? problem
            return Failure(.syntax, "invalid YAML: \(text)", line: mark.line, column: mark.column)
        case .reader(let problem, _, _, _):
            return Failure(.syntax, "invalid YAML: \(problem)")
        default:
            return Failure(.syntax, "invalid YAML: \(yamlError)")
        }
    }
}
