import Foundation
import Support
import Testing

/// NewFile.create is how convert, lint --fix, new and sync write file contents.
@Suite("NewFile")
struct NewFileTests {
    let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-newfile-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    @Test func writesTheBytesWithTheExactMode() throws {
        let path = folder.appendingPathComponent("a.yaml").path
        let bytes = Data((0..<200_000).map { UInt8($0 % 251) })
        try NewFile.create(path, contents: bytes, exactMode: 0o640, durable: true)
        #expect(FileManager.default.contents(atPath: path) == bytes)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    @Test func refusesAnExistingFileAndASymbolicLink() throws {
        let existing = folder.appendingPathComponent("existing.yaml").path
        try NewFile.create(existing, contents: Data("old".utf8))
        #expect(throws: NewFile.Failure.self) { try NewFile.create(existing, contents: Data("new".utf8)) }
        #expect(FileManager.default.contents(atPath: existing) == Data("old".utf8))

        let link = folder.appendingPathComponent("link.yaml").path
        let target = folder.appendingPathComponent("target.yaml").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        do {
            try NewFile.create(link, contents: Data("x".utf8))
            Issue.record("wrote through a symbolic link")
        } catch {
            #expect(error.description.hasPrefix("cannot write \(link): "))
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
