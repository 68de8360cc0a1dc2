#ifndef CLRBUILDINFO_H
#define CLRBUILDINFO_H

/// The git commit lr was built from: `make dist` and `make install` compile it in with
/// `-Xcc -DLR_COMMIT='"abc1234"'`; empty in a plain `swift build`.
const char *lr_build_commit(void);

#endif
