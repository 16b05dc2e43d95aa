/* seccomp/bpf_ins.h — classic BPF with absolute jump targets, as the
 * program rewriters (shrink.c, x32fold.c) read and write it. */
#ifndef APPUSER_SECCOMP_BPF_INS_H
#define APPUSER_SECCOMP_BPF_INS_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OP_LD  (BPF_LD | BPF_W | BPF_ABS)
#define OP_AND (BPF_ALU | BPF_AND | BPF_K)
#define OP_JA  (BPF_JMP | BPF_JA)
#define OP_JEQ (BPF_JMP | BPF_JEQ | BPF_K)
#define OP_JGT (BPF_JMP | BPF_JGT | BPF_K)
#define OP_JGE (BPF_JMP | BPF_JGE | BPF_K)
#define OP_JSET (BPF_JMP | BPF_JSET | BPF_K)
#define OP_RET (BPF_RET | BPF_K)

#define NEXT (SIZE_MAX - 1)	/* a new instruction's target: the one after it */

/* An instruction with absolute targets (indexes into the old program). */
struct ins {
	uint16_t code;
	uint32_t k;
	size_t t, f;		/* jumps: where to go (JA uses t) */
};

static inline bool is_jump(uint16_t c) { return BPF_CLASS(c) == BPF_JMP; }
static inline bool is_cond(uint16_t c) { return is_jump(c) && c != OP_JA; }

#endif
