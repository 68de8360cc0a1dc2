#include "CLRBuildInfo.h"

// `make release-static` writes LRCommit.h (`#define LR_COMMIT "abc1234"`) into a folder of its
// scratch path and adds that folder to the include path, so a new commit recompiles this file
// alone; a plain `swift build` has no such header.
#if __has_include(<LRCommit.h>)
#include <LRCommit.h>
#endif

#ifndef LR_COMMIT
#define LR_COMMIT ""
#endif

const char *lr_build_commit(void) { return LR_COMMIT; }
