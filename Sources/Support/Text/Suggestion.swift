/// "Did you mean" for every misspelt name rulepack reports (columns, tables, keys, tactics,
/// entity types, filter fields), with one rule so the hints agree everywhere:
///
/// 1. a candidate equal to the name but for case;
/// 2. else the shortest candidate that contains the name, ignoring case (a column named
///    without its prefix: `AccountUpn` for `InitiatingProcessAccountUpn`), for names of three
///    or more characters;
/// 3. else the candidate fewest edits away, ignoring case, if that is at most a third of the
///    name's length, and at least 2 edits for short names.
///
/// Ties go to the candidate first in sorted order, so a hint never depends on hashing order.
public enum Suggestion {
    public static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        let sorted = candidates.sorted()
        let lowered = name.lowercased()
        if let sameExceptCase = sorted.first(where: { $0.lowercased() == lowered }) { return sameExceptCase }
        if lowered.count >= 3, let containing = sorted.filter({ $0.lowercased().contains(lowered) }).min(by: { $0.count < $1.count }) {
            return containing
        }
        var best: (candidate: String, distance: Int)?
        for candidate in sorted {
            let distance = editDistance(candidate.lowercased(), lowered)
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best, best.distance <= max(2, name.count / 3) else { return nil }
        return best.candidate
    }

    /// ` (did you mean 'x'?)`, or "" when no candidate is close.
    public static func hint(for name: String, among candidates: some Sequence<String>) -> String {
        closest(to: name, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// Levenshtein distance.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
