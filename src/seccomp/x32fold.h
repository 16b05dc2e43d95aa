/* seccomp/x32fold.h — one syscall-number tree for x86_64 and x32.
 *
 * x32 calls arrive as x86_64 ones with bit 30 (0x40000000) set in the
 * number, and libseccomp gives them a tree of their own inside the x86_64
 * one: `default` repeats its 60-odd x86_64 rules as x32 numbers (70
 * instructions of 243).  Yet almost every x32 call is its x86_64 twin
 * with the bit set (the "common" lines of the kernel's syscall_64.tbl);
 * only a few numbers go elsewhere: the x32-only calls from 512 on, and the
 * x86_64-only numbers below 512, which x32 does not have.
 *
 * x32_fold_plan() works out, from the program itself, exactly which x32
 * numbers the tree sends elsewhere than their twin (it compares where the
 * tree sends every interval of numbers; no syscall table involved) and,
 * when they are few, plans this block after the x86_64 `ld [0]`:
 *
 *     jge #0x40000000        else the x86_64 tree, as it was
 *     jgt #0x7fffffff        -> where the tree sends 0x80000000 and up
 *     jeq #each such number  -> where the tree sends it
 *     and #0x3fffffff        then the x86_64 tree, with the twin's number
 *
 * The tree below it is then reached only with numbers below 0x40000000,
 * and its x32 half is dead (shrink.c's range pass drops it).  Every input
 * gets the verdict it had: the unit tests prove each profile equal to
 * libseccomp's program on every input. */
#ifndef APPUSER_SECCOMP_X32FOLD_H
#define APPUSER_SECCOMP_X32FOLD_H

#include "seccomp/bpf_ins.h"

#define X32_BIT 0x40000000u	/* __X32_SYSCALL_BIT */
#define X32_FOLD_MAX 32		/* numbers listed before the fold is not worth it */

struct x32_fold {
	size_t at;		/* the x86_64 `ld [0]`; the tree starts at at + 1 */
	size_t hi;		/* where numbers >= 0x80000000 go */
	size_t n;
	uint32_t nr[X32_FOLD_MAX];	/* x32 numbers not going where their twin goes */
	size_t to[X32_FOLD_MAX];	/* ... and where they go */
};

/* Plan the fold for p[0..len) (absolute targets, incoming[i] the jumps
 * to i).  Returns false, and plans nothing, when the program has no x86_64
 * tree of that shape or too many numbers differ. */
bool x32_fold_plan(const struct ins *p, size_t len, const unsigned *incoming,
		   struct x32_fold *fx);

/* The block (ld [0] first) into out (X32_FOLD_MAX + 4); targets are old
 * indexes or NEXT.  Returns its length. */
size_t x32_fold_emit(const struct x32_fold *fx, struct ins *out);

#endif
