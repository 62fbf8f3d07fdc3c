import Foundation

/// Writes a file so that a reader never sees it half-written: into a temporary file beside it,
/// then renamed over the target. `durable` flushes the bytes to disk before the rename, for files
/// a user wrote by hand or cannot regenerate; translations skip it (a flush per file made
/// `convert --out` spend most of its time waiting on the disk).
public func writeAtomically(_ text: String, to url: URL, durable: Bool = true) throws {
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
