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
