/// The lines of a text, split at LF at the Unicode-scalar level (in Swift "\r\n" is one
/// Character, so a Character split would miss CRLF files), each without its CR.
func sourceLines(_ text: String) -> [String] {
    var lines: [String] = []
    var current = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        if scalar == "\n" {
            if current.last == "\r" { current.removeLast() }
            lines.append(String(current))
            current = String.UnicodeScalarView()
        } else {
            current.append(scalar)
        }
    }
    if current.last == "\r" { current.removeLast() }
    lines.append(String(current))
    return lines
}
