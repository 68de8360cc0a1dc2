#include "CLRBuildInfo.h"

#ifndef LR_COMMIT
#define LR_COMMIT ""
#endif

const char *lr_build_commit(void) { return LR_COMMIT; }
