import Foundation
import RuleModel
import RuleTemplates
import Support
import ToolCatalogues

/// Packs whose source holds tool descriptions (`generate: lolrmm`): the included files of the
/// pinned commit are turned into rules through the templates, and those rules are what is
/// swapped in, locked (the source commit and the generated content's hash) and reported, in
/// tools and rules. Rule ids are name-based from the tool and the rule kind, so a sync that
/// regenerates the same tool writes the same ids.
extension PackSyncer {
    func syncGenerated(
        _ spec: PackSpec, commit: String, locked: Lockfile.Entry?, source: String, selection: Selection, blobs: BlobCache, into: URL, lock: inout Lockfile
    ) throws -> PackSyncReport {
        let templates: TemplateSet
        do {
            templates = try TemplateSet.load(manifest.root.appendingPathComponent(spec.templates))
        } catch {
            throw SyncError("\(spec.name): generate: \(spec.generate?.rawValue ?? "") needs the templates folder \(spec.templates) beside the manifest: \(error)")
        }
        let texts = try selection.files.map { file in (path: file.path, text: String(decoding: try blobs.data(file.objectID), as: UTF8.self)) }
        let results = LOLRMMImport(templates: templates).run(texts: texts)
        // The tool files themselves go beside the rules, in a hidden folder that rule commands
        // skip, so that lint can compare the rules with them (lint --evidence) after a sync.
        let generated = LOLRMMImport.files(of: results).map { (path: $0.path, data: Data($0.text.utf8)) }
            + texts.map { (path: PackSpec.evidenceFolder + "/" + $0.path, data: Data($0.text.utf8)) }
        let hash = Lockfile.contentHash(generated.map { ($0.path, GitRepository.blobID(of: $0.data)) })

        var report = PackSyncReport(
            name: spec.name, ref: spec.ref, commit: commit, previousCommit: locked?.commit, files: generated.count,
            changes: nil, refused: selection.refused, upToDate: false, into: into
        )
        report.notes = results.compactMap(\.problem)
        // Changes against the rules on disk, which are the previous sync's.
        let old = Dictionary((PackFolderScan(folder: into, cacheFile: statCache(of: into)).files ?? []).map { ($0.path, $0.objectID) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(generated.map { ($0.path, (GitRepository.blobID(of: $0.data), $0.data)) }, uniquingKeysWith: { first, _ in first })
        func isRule(_ path: String) -> Bool { !path.contains("/tests/") && !path.hasPrefix(PackSpec.evidenceFolder + "/") }
        var changes: [RuleFileChange] = []
        for path in Set(old.keys).union(new.keys).sorted() where isRule(path) {
            switch (old[path], new[path]) {
            case (nil, let added?): changes.append(RuleFileChange(kind: .added, path: path, ruleID: Self.ruleID(added.1)))
            case (_?, nil): changes.append(RuleFileChange(kind: .removed, path: path, ruleID: Self.ruleID(FileManager.default.contents(atPath: into.appendingPathComponent(path).path) ?? Data())))
            case (let before?, let after?) where before != after.0: changes.append(RuleFileChange(kind: .modified, path: path, ruleID: Self.ruleID(after.1)))
            default: break
            }
        }
        report.changes = changes
        func tool(_ path: String) -> String { String(path.prefix { $0 != "/" }) }
        let oldTools = Set(old.keys.filter(isRule).map(tool)), newTools = Set(new.keys.filter(isRule).map(tool))
        let changedTools = Set(changes.map { tool($0.path) })
        report.tools = oldTools.union(newTools).sorted().compactMap { key in
            if !oldTools.contains(key) { return RuleFileChange(kind: .added, path: key, ruleID: nil) }
            if !newTools.contains(key) { return RuleFileChange(kind: .removed, path: key, ruleID: nil) }
            return changedTools.contains(key) ? RuleFileChange(kind: .modified, path: key, ruleID: nil) : nil
        }

        try removeLeftovers(of: into)
        if locked?.commit == commit, locked?.contentHash == hash, folderHolds(into, hash: hash) {
            report.upToDate = true
        } else {
            do {
                try FolderSwap.replace(into) { staging in try FolderSwap.write(generated, into: staging) }
            } catch {
                throw SyncError("\(spec.name): \(error)")
            }
            PackFolderScan.record(folder: into, files: generated.map { ($0.path, GitRepository.blobID(of: $0.data)) }, cacheFile: statCache(of: into))
        }
        lock.set(Lockfile.Entry(name: spec.name, source: source, ref: spec.ref, commit: commit, files: generated.count, contentHash: hash))
        return report
    }
}
