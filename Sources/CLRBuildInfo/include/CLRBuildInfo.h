#ifndef CLRBUILDINFO_H
#define CLRBUILDINFO_H

/// The git commit lr was built from: `make release-static` (behind `make dist` and
/// `make install`) compiles it in from a generated `LRCommit.h`; empty in a plain `swift build`.
const char *lr_build_commit(void);

#endif
