/* cpus.h — how many CPUs this process may really use, for the number of
 * threads of an ownership walk (`appuser fix` without -j, setup's remap).
 *
 * The affinity mask (sched_getaffinity: taskset, docker --cpuset-cpus,
 * Kubernetes' static CPU manager), capped by the CPU bandwidth quota of
 * the process's cgroup and of each cgroup above it up to the mount
 * (docker --cpus, Kubernetes limits.cpu): cgroup v2 cpu.max, v1
 * cpu.cfs_quota_us / cpu.cfs_period_us, whichever is mounted.  A quota of
 * 1.5 CPUs gives 2 threads (rounded up, as Go and the JVM do): the walk
 * waits on the disk as much as it computes. */
#ifndef APPUSER_CPUS_H
#define APPUSER_CPUS_H

/* At least 1. */
unsigned cpus_available(void);

/* The smallest quota, in CPUs, on the way from the cgroup that `cgroup`
 * (the text of /proc/self/cgroup) names up to its mount as `mountinfo`
 * (the text of /proc/self/mountinfo) describes it, with every path read
 * under prefix ("" for the real one; the unit tests pass a fake tree).
 * 0 when there is no quota or nothing can be read. */
double cpus_quota(const char *cgroup, const char *mountinfo, const char *prefix);

#endif
