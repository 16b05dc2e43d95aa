/* tests/filters/scmp_table.h — an ABI's syscall numbers as libseccomp
 * knows them, where no kernel headers for it are at hand. */
#ifndef APPUSER_TESTS_SCMP_TABLE_H
#define APPUSER_TESTS_SCMP_TABLE_H

#include "expect.h"

int systable_libseccomp(struct systable *t, const struct abi *a);

#endif
