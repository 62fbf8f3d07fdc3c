import CLibGit2

/// The libgit2 that rulepack is linked against (the sync command builds on this target).
public enum LibGit2 {
    public static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }
}
