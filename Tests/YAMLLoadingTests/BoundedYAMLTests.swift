import YAMLLoading
import Testing
import Yams

/// The loader's bounds, counted rather than timed: node counts stop at the limit, sizes are
/// judged before parsing, and each failure says where and why.
@Suite("Bounded YAML")
struct BoundedYAMLTests {
    /// `levels` levels of ten aliases each: 10^levels leaves once expanded.
    static func bomb(levels: Int) -> String {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in 1..<levels { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]") }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aSmallAliasTreeIsRead() throws {
        // 3 levels: well under the limit once expanded.
        let root = try #require(try BoundedYAML.compose(Self.bomb(levels: 3)))
        #expect(!BoundedYAML.exceedsNodeLimit(root))
        #expect(BoundedYAML.exceedsNodeLimit(root, limit: 100))
    }

    @Test func anAliasBombIsRefused() {
        #expect {
            try BoundedYAML.compose(Self.bomb(levels: 10))
        } throws: { error in
            (error as? BoundedYAML.Failure)?.kind == .tooManyNodes
        }
    }

    @Test func textOverTheSizeBoundIsRefusedBeforeParsing() {
        // Not even valid YAML: the size alone decides.
        let text = "[" + String(repeating: "x", count: BoundedYAML.maximumFileBytes)
        #expect {
            try BoundedYAML.compose(text)
        } throws: { error in
            (error as? BoundedYAML.Failure)?.kind == .tooLarge
        }
    }

    @Test func syntaxErrorsCarryTheirPosition() {
        #expect {
            try BoundedYAML.compose("a: 1\nb: [2\nc: 3\n")
        } throws: { error in
            guard let failure = error as? BoundedYAML.Failure else { return false }
            return failure.kind == .syntax && failure.line == 3 && failure.message.hasPrefix("invalid YAML: ")
        }
    }

    @Test func duplicateKeysAreNamed() {
        #expect {
            try BoundedYAML.compose("a: 1\na: 2\n")
        } throws: { error in
            (error as? BoundedYAML.Failure)?.kind == .duplicateKeys(["a"])
        }
    }
}
