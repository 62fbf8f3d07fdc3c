/// The lines of a text, split at LF in its UTF-8 bytes (in Swift "\r\n" is one Character, so a
/// Character split would miss CRLF files), each without its CR.
func sourceLines(_ text: String) -> [String] {
    var text = text
    return text.withUTF8 { bytes in
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            let content = line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
            return String(decoding: content, as: UTF8.self)
        }
    }
}
