/// KQL's terms, which `has` and its relatives match: maximal runs of Unicode letters and digits.
/// Everything else (punctuation, spaces, underscores, symbols) separates terms. A needle matches
/// where it stands in the text with a term boundary before it if its first character is a term
/// character, and after it if its last one is.
public enum KQLTerms {
    /// Whether KQL counts a character as part of a term: Unicode letters and digits.
    public static func isTermCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber: true
        default: false
        }
    }

    /// Where a needle needs a term boundary: before it, after it. Nil for the empty needle,
    /// which every string has.
    public static func boundaries(of needle: String) -> (before: Bool, after: Bool)? {
        guard let first = needle.unicodeScalars.first, let last = needle.unicodeScalars.last else { return nil }
        return (isTermCharacter(first), isTermCharacter(last))
    }

    /// Text as KQL's case-insensitive operators (`=~`, `has`, `contains`, `in~`, ...) compare it:
    /// each character lower-cased where Unicode maps it to one character, and kept otherwise.
    public static func folded(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { scalar in
            let lower = scalar.properties.lowercaseMapping.unicodeScalars
            return lower.count == 1 ? lower.first ?? scalar : scalar
        }))
    }

    /// Whether `haystack` has `needle` as KQL's `has` (and `has_cs`) decide: the needle stands in
    /// the text with a term boundary wherever its own first or last character is a term
    /// character. The executable definition the writers' translations are tested against.
    public static func has(_ haystack: String, _ needle: String, caseSensitive: Bool = false) -> Bool {
        guard let (before, after) = boundaries(of: needle) else { return true }
        let h = Array((caseSensitive ? haystack : folded(haystack)).unicodeScalars)
        let n = Array((caseSensitive ? needle : folded(needle)).unicodeScalars)
        guard n.count <= h.count else { return false }
        for start in 0...(h.count - n.count) where Array(h[start..<(start + n.count)]) == n {
            let leftOK = !before || start == 0 || !isTermCharacter(h[start - 1])
            let rightOK = !after || start + n.count == h.count || !isTermCharacter(h[start + n.count])
            if leftOK && rightOK { return true }
        }
        return false
    }

    /// A needle as a regular expression matching itself: every character that any common
    /// flavour (POSIX ERE, PCRE, RE2, Java, Python) treats specially is escaped.
    public static func regexEscaped(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if "\\^$.|?*+()[]{}-".unicodeScalars.contains(c) { out += "\\" }
            out.unicodeScalars.append(c)
        }
        return out
    }
}
