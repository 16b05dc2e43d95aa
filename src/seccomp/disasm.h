/* seccomp/disasm.h — a seccomp BPF program as text, for review
 * (`appuser policy dump`).  Pure: reads the program, writes to a FILE.
 * It follows the program's jumps to know what the accumulator holds, so
 * it can name the architecture, the syscall and the argument each
 * comparison is about. */
#ifndef APPUSER_SECCOMP_DISASM_H
#define APPUSER_SECCOMP_DISASM_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Name syscall nr of audit arch `arch` into buf; false if unknown. */
typedef bool (*disasm_syscall_fn)(uint32_t arch, uint32_t nr, char *buf, size_t len);

void bpf_disasm(FILE *out, const struct sock_filter *prog, size_t len, disasm_syscall_fn name);

/* "ALLOW", "ERRNO(EPERM)", "KILL_PROCESS", ... */
const char *bpf_ret_name(uint32_t k, char *buf, size_t len);
/* "x86_64", "i386", "aarch64", "arm", "ppc64le", "s390x", "riscv64", or
 * NULL. */
const char *bpf_arch_name(uint32_t audit_arch);

#endif
