import Foundation
@testable import PackSync
import RuleTestSupport
import Testing

/// The stat cache that makes a no-op sync read no file: every kind of local change is still
/// seen, by the scan and by a sync, which then writes the pack back as the lock says.
@Suite("Pack stat cache")
struct StatCacheTests {
    /// A synced pack with its cache written strictly after its files' last change: the wait
    /// outlasts any file system's clock tick, so the cache's entries are trusted, not "racy".
    func syncedPack() throws -> GitFixture {
        let f = try GitFixture()
        try f.write("RMM/A/a.yaml", GitFixture.rule(id: "aaaaaaaa-0000-4000-8000-000000000001"))
        try f.write("RMM/B/b.yaml", GitFixture.rule(id: "bbbbbbbb-0000-4000-8000-000000000002"))
        try f.commit("first")
        try f.manifest()
        let r = try f.sync()
        guard r.status == 0 else { throw TestFailure(r.stderr) }
        Thread.sleep(forTimeInterval: 0.05)
        // Rewrites the cache now that the files are older than it.
        _ = scan(f)
        Thread.sleep(forTimeInterval: 0.05)
        return f
    }

    var pack: (GitFixture) -> URL { { $0.project.appendingPathComponent("packs/rmm") } }

    func scan(_ f: GitFixture) -> PackFolderScan {
        let folder = pack(f)
        let syncer = PackSyncer(manifest: Manifest(packs: [], root: f.project, path: ""))
        return PackFolderScan(folder: folder, cacheFile: syncer.statCache(of: folder))
    }

    /// The sync's verdict: the pack left alone, or written again from the lock's commit.
    func resync(_ f: GitFixture) throws -> String {
        let r = try f.sync()
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.contains("up to date") ? "up to date" : "written"
    }

    @Test func anUntouchedPackIsNotReadAgain() throws {
        let f = try syncedPack()
        let again = scan(f)
        #expect(again.hashed == 0)
        #expect(again.files?.map(\.path) == ["RMM/A/a.yaml", "RMM/B/b.yaml"])
        #expect(try resync(f) == "up to date")
    }

    @Test func touchIsHashedAgainButNotAChange() throws {
        let f = try syncedPack()
        let file = pack(f).appendingPathComponent("RMM/A/a.yaml").path
        #expect(utimes(file, nil) == 0)
        #expect(scan(f).hashed == 1)
        #expect(try resync(f) == "up to date", "same content: nothing to write")
    }

    @Test func anEditWithTheSameSizeAndMtimeIsSeen() throws {
        let f = try syncedPack()
        let file = pack(f).appendingPathComponent("RMM/A/a.yaml").path
        var before = stat()
        #expect(stat(file, &before) == 0)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "x.exe", with: "y.exe")
        #expect(edited.utf8.count == text.utf8.count)
        try Data(edited.utf8).write(to: URL(fileURLWithPath: file))
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, file, &times, 0) == 0)
        var after = stat()
        #expect(stat(file, &after) == 0)
        #expect(after.st_size == before.st_size && after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)
        #expect(scan(f).hashed == 1)
        #expect(try resync(f) == "written")
        #expect(try f.packText("RMM/A/a.yaml") == text)
    }

    @Test func chmodIsSeen() throws {
        let f = try syncedPack()
        let file = pack(f).appendingPathComponent("RMM/B/b.yaml").path
        #expect(chmod(file, 0o755) == 0)
        #expect(scan(f).files?.first { $0.path == "RMM/B/b.yaml" }?.mode == 0o755)
        #expect(try resync(f) == "written")
        var status = stat()
        #expect(stat(file, &status) == 0 && status.st_mode & 0o7777 == 0o644)
    }

    @Test func aFileReplacedByASymlinkIsSeen() throws {
        let f = try syncedPack()
        let file = pack(f).appendingPathComponent("RMM/B/b.yaml")
        let elsewhere = f.folder.appendingPathComponent("b.yaml")
        try FileManager.default.copyItem(at: file, to: elsewhere)
        try FileManager.default.removeItem(at: file)
        try FileManager.default.createSymbolicLink(at: file, withDestinationURL: elsewhere)
        #expect(scan(f).files?.map(\.path) == ["RMM/A/a.yaml"], "a symbolic link is not a pack file")
        #expect(try resync(f) == "written")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: file.path)) == nil)
    }

    @Test func addedAndRemovedFilesAreSeen() throws {
        let f = try syncedPack()
        try Data("extra".utf8).write(to: pack(f).appendingPathComponent("RMM/A/extra.yaml"))
        #expect(try resync(f) == "written")
        #expect(f.packFiles == ["RMM/A/a.yaml", "RMM/B/b.yaml"])
        Thread.sleep(forTimeInterval: 0.05)
        try FileManager.default.removeItem(at: pack(f).appendingPathComponent("RMM/A/a.yaml"))
        #expect(try resync(f) == "written")
        #expect(f.packFiles == ["RMM/A/a.yaml", "RMM/B/b.yaml"])
    }

    @Test func aBrokenCacheIsIgnored() throws {
        let f = try syncedPack()
        let syncer = PackSyncer(manifest: Manifest(packs: [], root: f.project, path: ""))
        try Data("rulepack-stat-cache 1\nnot\ta\tcache\n".utf8).write(to: syncer.statCache(of: pack(f)))
        #expect(scan(f).hashed == 2)
        #expect(try resync(f) == "up to date")
    }
}
