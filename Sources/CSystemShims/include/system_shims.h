#ifndef RULEPACK_SYSTEM_SHIMS_H
#define RULEPACK_SYSTEM_SHIMS_H

/// Atomically exchanges two paths (renameat2 with RENAME_EXCHANGE, Linux 3.15+), so a
/// directory is replaced with no moment at which neither the old nor the new one is there.
/// Returns 0, or -1 with errno set.
int rulepack_exchange_paths(const char *first, const char *second);

/// Flushes the file system holding `path` to disk (syncfs(2)): one flush for a folder of new
/// files instead of one per file. Returns 0, or -1 with errno set.
int rulepack_flush_file_system(const char *path);

#endif
