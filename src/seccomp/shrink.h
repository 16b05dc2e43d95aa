/* seccomp/shrink.h — fewer instructions for the same filter.
 *
 * The kernel's cost of loading a filter grows with its length (about
 * 0.2 µs per instruction here, paid at every `appuser exec`: checking,
 * converting to eBPF, JIT-compiling), and libseccomp can only express a
 * condition as a chain of masked equalities: `personality arg0 not in
 * {5 values}` is 32 of them (96 instructions, the minimum for that form),
 * `clone arg0 & FLAGS != 0` one per flag, and a 32-bit comparison on a
 * 64-bit ABI starts with `ld hi; and #0; jeq #0` that always holds.
 *
 * bpf_shrink() finds such chains — one 32-bit word of seccomp_data
 * compared against masked values, every match going to one place and the
 * rest to another — works out exactly which words match (a split on each
 * bit; no guessing), and writes the shortest of: the few words that do
 * not match (`jeq` each), one `jset` for "any of these bits", or one `ja`
 * when the outcome does not depend on the word.  Nothing else changes:
 * the syscall-number tree, the architecture checks, every return value.
 * A chain is rewritten only when both places it leads to ignore the
 * accumulator (they load a word or return), and the program only when
 * every jump still fits; otherwise it is left as libseccomp made it. */
#ifndef APPUSER_SECCOMP_SHRINK_H
#define APPUSER_SECCOMP_SHRINK_H

#include <linux/filter.h>
#include <stddef.h>

/* Rewrite prog[0..len) in place; returns the new length (<= len). */
size_t bpf_shrink(struct sock_filter *prog, size_t len);

#endif
