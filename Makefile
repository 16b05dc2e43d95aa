# appuser — see README.md.  Plain make; warnings and hardening are appended
# with `override +=`, so a packager's CFLAGS, CPPFLAGS or LDFLAGS — even on
# the command line (`make CFLAGS=-O0`), where a plain += is ignored —
# cannot drop them (STYLE.md "Build"; tests/integration/hardening.sh).

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
DESTDIR  ?=
BINOWN   ?= root
BINGRP   ?= root
BINMODE  ?= 0755
CC       ?= cc
PKG_CONFIG ?= pkg-config
# The version's one source: src/version.h (--version, status, dist/ names).
VERSION  := $(shell sed -n 's/^\#define APPUSER_VERSION "\(.*\)"$$/\1/p' src/version.h)
ifeq ($(SANITIZE),1)
B        ?= build/asan
else
B        ?= build
endif

CFLAGS   ?= -O2 -g
override CFLAGS += -std=gnu11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wformat-nonliteral \
            -Wno-unused-parameter
# Project headers are named from src/ ("accounts/store.h"), so a file's
# folder (its layer) shows in every #include.  FORTIFY needs optimisation:
# a -O0 build has everything else.
override CPPFLAGS += -D_GNU_SOURCE -D_FORTIFY_SOURCE=3 -iquote src -I$(B)
# 64-bit off_t, ino_t and time_t on 32-bit targets too (i386, armhf): without
# them stat() fails with EOVERFLOW on overlayfs's 64-bit inode numbers and
# setup cannot read /etc.  No effect on 64-bit targets.
override CPPFLAGS += -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64
override CFLAGS   += -fstack-protector-strong -fPIE -fno-strict-aliasing
# -pie, or for the static binary (its sub-make sets STATIC=1) -static-pie
# where glibc's static-pie works (x86_64, aarch64), plain -static elsewhere:
# the i386 and armhf links fail as static-pie, and Debian's ppc64el, s390x
# and riscv64 glibc ship no rcrt1.o.  SECCOMP_ARCH is the target's ABI.
STATIC_PIE_ARCHES ?= x86_64 aarch64
LINK_PIE ?= $(if $(filter 1,$(STATIC)),$(if $(filter $(STATIC_PIE_ARCHES),$(SECCOMP_ARCH)),-static-pie,-static),-pie)
override LDFLAGS  += $(LINK_PIE) -Wl,-z,relro,-z,now,-z,noexecstack
ifeq ($(WERROR),1)
override CFLAGS   += -Werror
endif
ifeq ($(SANITIZE),1)
override CFLAGS   += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
override LDFLAGS  += -fsanitize=address,undefined
endif

# libseccomp and libselinux: their headers always; linked only into the
# static build.  The dynamic build loads each with dlopen when a call
# needs it (src/dynlib.h): an exec of a built-in profile needs neither.
LIBS_PC   = libseccomp libselinux
override CPPFLAGS += $(shell $(PKG_CONFIG) --cflags $(LIBS_PC) 2>/dev/null)
ifeq ($(STATIC),1)
override CPPFLAGS += -DAPPUSER_STATIC
LDLIBS   += $(shell $(PKG_CONFIG) --static --libs $(LIBS_PC) 2>/dev/null)
endif

# Without a compiler, pkg-config or the headers, plain `make` stops with one
# line naming the packages to install (tests/deps --say), not with a
# compiler error.  demo, check, bench and fuzz install them first.
HAVE_DEPS  := $(shell command -v $(firstword $(CC)) >/dev/null 2>&1 && \
              $(PKG_CONFIG) --exists $(LIBS_PC) 2>/dev/null && echo build)
HAVE_DEPS  += $(if $(filter build,$(HAVE_DEPS)),$(shell $(PKG_CONFIG) --exists cmocka 2>/dev/null && echo unit))
.DEFAULT_GOAL := all
build-deps:
	@$(if $(filter build,$(HAVE_DEPS)),:,$(error $(shell tests/deps --say build 2>&1)))
unit-deps: build-deps
	@$(if $(filter unit,$(HAVE_DEPS)),:,$(error $(shell tests/deps --say unit 2>&1)))

# src/ holds the core; each subsystem is one folder below it (README
# "Where things are").  policyc is a build-host tool, not part of appuser.
POLICYC_MAIN := src/seccomp/policyc.c
SRCS     := $(filter-out $(POLICYC_MAIN),$(sort $(wildcard src/*.c src/*/*.c)))
OBJS     := $(SRCS:src/%.c=$(B)/obj/%.o)
# Objects with no main(): what unit tests and fuzzers link against.
LIBOBJS  := $(filter-out $(B)/obj/main.o,$(OBJS))

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c tests/unit/*/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/unit/%)

.PHONY: build-deps unit-deps all static check check-unit check-integration demo bench install \
        uninstall clean lint fuzz fuzz-build check-engines
all: $(B)/appuser

# --- seccomp profiles ---
# policy/seccomp/*.policy are compiled to BPF at build time by policyc, a
# build-host tool linked with libseccomp, into $(B)/gen/seccomp_profiles.c,
# which is linked into appuser like any object: `appuser exec` loads a
# profile with one seccomp(2) call and never parses policy text.
# SECCOMP_ARCH is the binary's own ABI in libseccomp's words, from the
# compiler's target (i686 is "x86", powerpc64le "ppc64le"); each filter
# covers every ABI of that kernel: x86_64 and i386 builds x86_64 + x32 +
# i386, arm64 and armhf builds aarch64 + arm (seccomp/arch.h).  policyc
# runs on the build host: HOSTCC, and HOST_PKG_CONFIG for the host's
# libseccomp, which a cross build's PKG_CONFIG (the target's) is not.
HOSTCC       ?= cc
HOST_PKG_CONFIG ?= pkg-config
POLICYC      ?= $(B)/policyc
SECCOMP_ARCH ?= $(shell $(CC) -dumpmachine 2>/dev/null | cut -d- -f1 | \
                  sed 's/^i[3-6]86$$/x86/; s/^arm.*/arm/; s/^powerpc64le$$/ppc64le/')
POLICIES     := $(sort $(wildcard policy/seccomp/*.policy))
POLICYC_SRCS := $(POLICYC_MAIN) src/seccomp/policy.c src/seccomp/policy_lex.c \
                src/seccomp/policy_names.c src/seccomp/policy_format.c src/seccomp/expand.c \
                src/seccomp/compile.c src/seccomp/shrink.c src/seccomp/x32fold.c src/seccomp/source.c src/seccomp/arch.c
PROFILES_OBJ := $(B)/obj/seccomp_profiles.o
OBJS         += $(PROFILES_OBJ)
LIBOBJS      += $(PROFILES_OBJ)
TEST_HELPERS += $(B)/tests/appuser-probe $(B)/tests/appuser-reach $(B)/tests/appuser-landlock \
                $(B)/tests/appuser-swap

$(POLICYC): $(POLICYC_SRCS) $(wildcard src/seccomp/*.h) | $(B)/obj build-deps
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -g -D_GNU_SOURCE -iquote src -Wall -Wextra -Wshadow \
	    -Wmissing-prototypes -Wformat=2 -o $@ $(POLICYC_SRCS) \
	    $(shell $(HOST_PKG_CONFIG) --cflags --libs libseccomp)

# policyc for the target too, static (make dist): what a build on that
# architecture runs, e.g. in `docker build --platform` under qemu-user;
# tests/integration/release.sh runs it there and compares its output.
$(B)/policyc-target: $(POLICYC_SRCS) $(wildcard src/seccomp/*.h) | build-deps
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(POLICYC_SRCS) \
	    $(shell $(PKG_CONFIG) --static --libs libseccomp)

$(B)/gen/seccomp_profiles.c: $(POLICIES) $(POLICYC)
	@mkdir -p $(@D)
	$(POLICYC) -a $(SECCOMP_ARCH) -o $@ $(POLICIES)

$(PROFILES_OBJ): $(B)/gen/seccomp_profiles.c | $(B)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/appuser-static: $(POLICIES)

# The syscall probe the seccomp tests run under `appuser exec`; plain
# flags, no sanitizers: it must see the filter, not ASan's own syscalls.
$(B)/tests/appuser-probe: tests/probe/probe.c | $(B)/tests
	$(CC) -std=gnu11 -O2 -g -D_GNU_SOURCE -Wall -Wextra -o $@ $< -pthread
# A service reaching into its neighbours (tests/integration/exec/isolation.sh).
$(B)/tests/appuser-reach: tests/probe/reach.c | $(B)/tests
	$(CC) -std=gnu11 -O2 -g -D_GNU_SOURCE -Wall -Wextra -o $@ $<
# A racer swapping two names (tests/integration/setup/swaps.sh).
$(B)/tests/appuser-swap: tests/probe/swap.c | $(B)/tests
	$(CC) -std=gnu11 -O2 -g -D_GNU_SOURCE -Wall -Wextra -o $@ $<
# appuser's own exec/landlock.o at a chosen ABI (the same test).
$(B)/tests/appuser-landlock: tests/probe/landlock.c $(B)/obj/exec/landlock.o | $(B)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/obj/exec/landlock.o

# `make fuzz`: every tests/fuzz/fuzz_NAME.c, built with clang's libFuzzer,
# ASan and UBSan against all objects but main.o, run FUZZ_SECONDS each
# from the seeds in tests/fuzz/corpus/NAME (new inputs go to $(B)/fuzz).
FUZZ_SECONDS ?= 30
FUZZ_SRCS    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS     = $(FUZZ_SRCS:tests/fuzz/%.c=$(B)/%)
FUZZ_CFLAGS  := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
fuzz:
	tests/deps fuzz
	CFLAGS="$(FUZZ_CFLAGS)" $(MAKE) B=$(B)/fuzz CC=clang fuzz-build
	set -e; for src in $(FUZZ_SRCS); do \
	    t=$$(basename $$src .c); n=$${t#fuzz_}; \
	    mkdir -p $(B)/fuzz/corpus/$$n; \
	    echo "=== $$t ($(FUZZ_SECONDS)s)"; \
	    $(B)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        -artifact_prefix=$(B)/fuzz/$$t- \
	        $(B)/fuzz/corpus/$$n $$( [ -d tests/fuzz/corpus/$$n ] && echo tests/fuzz/corpus/$$n ); \
	done
fuzz-build: $(FUZZ_BINS)
$(B)/fuzz_%: tests/fuzz/fuzz_%.c $(LIBOBJS)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(LIBOBJS) $(LDLIBS)
# --- end seccomp profiles ---

$(B)/obj/%.o: src/%.c | build-deps
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/appuser: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(B)/obj $(B)/tests $(B)/static:
	mkdir -p $@

# A fully static binary for scratch/Alpine/Debian images alike.  It never
# calls NSS (accounts are parsed from the files), so static glibc is safe.
static: $(B)/appuser-static
$(B)/appuser-static: $(SRCS) | $(B)/static
	$(MAKE) B=$(B)/static STATIC=1 $(B)/static/appuser
	cp $(B)/static/appuser $@

# --- release binaries ---
# `make dist`: one static binary per architecture,
# dist/appuser-$(VERSION)-linux-{amd64,arm64,...}, and dist/SHA256SUMS.
# Each is `make static` with Debian's cross compiler (gcc-aarch64-linux-gnu
# ...) against the target's libseccomp, libselinux, libsepol and libpcre2
# static libraries.  Those are not installed: dpkg --add-architecture could
# need host packages upgraded, so each target's -dev packages are fetched
# with `apt-get download PKG:ARCH` through a private apt state (its own
# lists, cache and sources.list of $(DIST_MIRROR) under
# build/sysroot/ARCH/apt: the host's apt state is never written) and
# unpacked with `dpkg-deb -x` into build/sysroot/ARCH, which CPPFLAGS,
# LDFLAGS and a PKG_CONFIG with PKG_CONFIG_SYSROOT_DIR point at.  policyc
# is built once, for the build host.  Reproducible: no -g, no build path
# (-ffile-prefix-map, relative build folders), SOURCE_DATE_EPOCH from the
# last commit, stripped; dist/BUILDINFO names the compilers and the
# packages, whose versions are what makes another build byte-identical.
# DIST_ARCHES picks a subset; make check builds CHECK_ARCHES into
# $(B)/dist and runs them under qemu-user (tests/integration/release.sh);
# make check-dist checks all seven (filters, qemu) and runs the unit tests
# cross-built for CROSS_UNIT_ARCHES under qemu-user.
DIST         ?= dist
DIST_ARCHES  ?= amd64 arm64 armhf i386 ppc64el s390x riscv64
CHECK_ARCHES ?= arm64 armhf
DIST_B       ?= build/cross
DIST_MIRROR  ?= http://deb.debian.org/debian
DIST_SECURITY ?= http://deb.debian.org/debian-security
DIST_SUITE   ?= bookworm
DIST_KEYRING ?= /usr/share/keyrings/debian-archive-keyring.gpg
DIST_DEBS    := libseccomp-dev libselinux1-dev libsepol-dev libpcre2-dev
# and for the unit tests cross-built (make check-dist): shared libraries
DIST_DEBS    += libcmocka-dev libcmocka0 libseccomp2 libselinux1 libsepol2 libpcre2-8-0
# riscv64 is a Debian release architecture from 13 (trixie) on: bookworm has
# no riscv64 packages, so its libraries come from trixie.  trixie's
# libselinux and libsepol call glibc 2.38's C23 strtol family and sscanf
# (which also read "0b" binary numbers), and Debian 12's cross glibc is
# 2.36: they are linked to the classic functions, which read everything
# SELinux context and policy files hold, and libselinux's strlcpy (2.38)
# comes from contrib/release/glibc236.c.
DIST_SUITE_riscv64   ?= trixie
DIST_COMPAT_riscv64  := contrib/release/glibc236.c
DIST_LDFLAGS_riscv64 ?= $(foreach f,strtol strtoul strtoull sscanf,-Wl,--defsym=__isoc23_$(f)=$(f)) \
                        $(DIST_B)/riscv64/glibc236.o
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
triplet       = $(patsubst $(1):%,%,$(filter $(1):%,amd64:x86_64-linux-gnu \
                  arm64:aarch64-linux-gnu armhf:arm-linux-gnueabihf i386:i686-linux-gnu \
                  ppc64el:powerpc64le-linux-gnu s390x:s390x-linux-gnu riscv64:riscv64-linux-gnu))
DIST_CC       = $(call triplet,$(1))-gcc
multiarch     = $(subst i686,i386,$(call triplet,$(1)))
suite         = $(or $(DIST_SUITE_$(1)),$(DIST_SUITE))
SR            = build/sysroot/$(1)
DIST_APT      = -o APT::Architecture=$(1) -o APT::Architectures::=$(1) \
                -o Dir::State=$(CURDIR)/$(call SR,$(1))/apt -o Dir::State::status=/dev/null \
                -o Dir::Cache=$(CURDIR)/$(call SR,$(1))/apt \
                -o Dir::Etc::SourceList=$(CURDIR)/$(call SR,$(1))/apt/sources.list \
                -o Dir::Etc::SourceParts=/nonexistent -o APT::Sandbox::User=root
.PHONY: dist check-dist dist-one
dist:
	tests/deps dist $(DIST_ARCHES)
	@rm -f $(DIST)/appuser-*-linux-* $(DIST)/SHA256SUMS $(DIST)/BUILDINFO
	$(MAKE) $(POLICYC)
	set -e; for a in $(DIST_ARCHES); do $(MAKE) --no-print-directory dist-one ARCH=$$a; done
	cd $(DIST) && sha256sum appuser-$(VERSION)-linux-* > SHA256SUMS
	{ echo "appuser $(VERSION), SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH)"; \
	  $(foreach a,$(DIST_ARCHES),echo "$(a): $$($(call DIST_CC,$(a)) --version | head -1)"; \
	    dpkg-query -W -f '$(a):   $${Package} $${Version} $${Architecture}\n' \
	        $(if $(filter amd64,$(a)),libc6-dev binutils-x86-64-linux-gnu,libc6-dev-$(a)-cross \
	        binutils-$(call triplet,$(a))) 2>/dev/null; \
	    sed 's/^/$(a):   /' $(call SR,$(a))/packages;) } > $(DIST)/BUILDINFO
	cat $(DIST)/SHA256SUMS

# One architecture: ARCH=arm64.  SANITIZE= : never ASan in a release.
dist-one: $(call SR,$(ARCH))/.stamp
	$(if $(DIST_COMPAT_$(ARCH)),mkdir -p $(DIST_B)/$(ARCH) && $(call DIST_CC,$(ARCH)) -O2 -Wall -c \
	    -o $(DIST_B)/$(ARCH)/$(basename $(notdir $(DIST_COMPAT_$(ARCH)))).o $(DIST_COMPAT_$(ARCH)))
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(MAKE) --no-print-directory STATIC=1 SANITIZE= \
	    B=$(DIST_B)/$(ARCH) POLICYC=$(POLICYC) CC=$(call DIST_CC,$(ARCH)) \
	    PKG_CONFIG="env PKG_CONFIG_SYSROOT_DIR=$(CURDIR)/$(call SR,$(ARCH)) \
	        PKG_CONFIG_LIBDIR=$(CURDIR)/$(call SR,$(ARCH))/usr/lib/$(call multiarch,$(ARCH))/pkgconfig pkg-config" \
	    CFLAGS="-O2 -ffile-prefix-map=$(CURDIR)/=" \
	    CPPFLAGS="-isystem $(call SR,$(ARCH))/usr/include" \
	    LDFLAGS="-L$(call SR,$(ARCH))/usr/lib/$(call multiarch,$(ARCH)) $(DIST_LDFLAGS_$(ARCH))" \
	    $(DIST_B)/$(ARCH)/appuser $(DIST_B)/$(ARCH)/policyc-target
	@mkdir -p $(DIST)
	$(call triplet,$(ARCH))-strip -o $(DIST)/appuser-$(VERSION)-linux-$(ARCH) $(DIST_B)/$(ARCH)/appuser

# The unit tests, cross-built (dynamic, against the sysroot's cmocka and
# libseccomp, found through an rpath) for CROSS_UNIT_ARCHES: a 32-bit and a
# big-endian target; tests/integration/release.sh runs them under qemu-user.
CROSS_UNIT_ARCHES ?= armhf s390x
.PHONY: unit-bins cross-unit-one
unit-bins: $(UNIT_BINS)
cross-unit-one: $(call SR,$(ARCH))/.stamp
	$(MAKE) --no-print-directory SANITIZE= B=$(DIST_B)/$(ARCH)/unit POLICYC=$(POLICYC) \
	    CC=$(call DIST_CC,$(ARCH)) \
	    PKG_CONFIG="env PKG_CONFIG_SYSROOT_DIR=$(CURDIR)/$(call SR,$(ARCH)) \
	        PKG_CONFIG_LIBDIR=$(CURDIR)/$(call SR,$(ARCH))/usr/lib/$(call multiarch,$(ARCH))/pkgconfig pkg-config" \
	    CPPFLAGS="-isystem $(call SR,$(ARCH))/usr/include" \
	    LDFLAGS="-L$(call SR,$(ARCH))/usr/lib/$(call multiarch,$(ARCH)) \
	        $(foreach d,usr/lib lib,-Wl,-rpath,$(CURDIR)/$(call SR,$(ARCH))/$(d)/$(call multiarch,$(ARCH)))" \
	    unit-bins

# The target's -dev packages, unpacked (see above).  Needs the archive.
build/sysroot/%/.stamp:
	rm -rf $(@D) && mkdir -p $(@D)/apt/lists/partial $(@D)/apt/archives/partial $(@D)/debs
	printf 'deb [signed-by=%s] %s %s main\n' $(DIST_KEYRING) $(DIST_MIRROR) $(call suite,$*) \
	    $(DIST_KEYRING) $(DIST_MIRROR) $(call suite,$*)-updates \
	    $(DIST_KEYRING) $(DIST_SECURITY) $(call suite,$*)-security > $(@D)/apt/sources.list
	apt-get -q=2 $(call DIST_APT,$*) update
	cd $(@D)/debs && apt-get -q=2 $(call DIST_APT,$*) download $(DIST_DEBS:%=%:$*)
	for d in $(@D)/debs/*.deb; do dpkg-deb -x $$d $(@D); \
	    dpkg-deb -W --showformat='$${Package} $${Version} $${Architecture}\n' $$d; done > $(@D)/packages
	rm -rf $(@D)/apt
	touch $@

# Each ABI's syscall numbers from its kernel headers (the cross compilers'
# linux-libc-dev; x86 from the host's), for filtercheck on the release
# binaries (tests/filters/systable; an ABI without its compiler falls back
# to libseccomp's own table).
DIST_TABLES  := $(DIST_B)/tables
ABI_CC       := x86_64:$(HOSTCC) x32:$(HOSTCC) i386:$(HOSTCC) aarch64:aarch64-linux-gnu-gcc \
                arm:arm-linux-gnueabihf-gcc ppc64le:powerpc64le-linux-gnu-gcc \
                s390x:s390x-linux-gnu-gcc riscv64:riscv64-linux-gnu-gcc
.PHONY: dist-tables
dist-tables:
	@mkdir -p $(DIST_TABLES)
	@for p in $(ABI_CC); do abi=$${p%%:*} cc=$${p#*:}; \
	    command -v $$cc >/dev/null && tests/filters/systable $$abi $$cc > $(DIST_TABLES)/$$abi.tbl 2>/dev/null || \
	    rm -f $(DIST_TABLES)/$$abi.tbl; done

# The release binaries' filters and behaviour: tests/integration/seccomp/
# filters.sh (each target's embedded programs, with its kernel headers'
# numbers) and tests/integration/release.sh (qemu-user).
DIST_TEST_ENV = APPUSER_DIST_TABLES=$(abspath $(DIST_TABLES)) APPUSER_DIST_BUILD=$(abspath $(DIST_B))
check-dist: dist all $(B)/tests/filtercheck dist-tables
	set -e; for a in $(CROSS_UNIT_ARCHES); do $(MAKE) --no-print-directory cross-unit-one ARCH=$$a; done
	B=$(abspath $(B)) APPUSER_DIST=$(abspath $(DIST)) APPUSER_CROSS_UNIT=1 $(DIST_TEST_ENV) \
	    tests/run seccomp/filters release

# tests/filters/: the classic-BPF interpreter and the policy's table that
# the filter tests check the compiled profiles against (test_filters.c).
# filtercheck checks the programs of any build, any architecture: policyc
# images and dist binaries (tests/integration/seccomp/filters.sh).
TEST_LIB_OBJS := $(patsubst tests/%.c,$(B)/tests/obj/%.o,$(filter-out tests/filters/filtercheck.c,\
                   $(sort $(wildcard tests/filters/*.c))))
TEST_HELPERS  += $(B)/tests/filtercheck
$(B)/tests/obj/%.o: tests/%.c | unit-deps
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<
$(B)/tests/filtercheck: $(B)/tests/obj/filters/filtercheck.o $(LIBOBJS) $(TEST_LIB_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(shell $(PKG_CONFIG) --libs libseccomp)

# Unit tests may call libseccomp themselves (ownership/test_remap's filters, the
# syscall tables of tests/filters/), so they link it; appuser's own calls
# still go through seccomp/libseccomp.c.
# tests/unit/fixture.c: what the unit tests share ("fixture.h").
UNIT_FIXTURE := $(B)/tests/obj/unit/fixture.o
$(UNIT_FIXTURE): override CPPFLAGS += -iquote tests/unit
$(B)/tests/unit/%: tests/unit/%.c $(LIBOBJS) $(TEST_LIB_OBJS) $(UNIT_FIXTURE) | unit-deps
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -iquote tests/unit $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJS) \
	    $(TEST_LIB_OBJS) $(UNIT_FIXTURE) $(LDLIBS) $(shell $(PKG_CONFIG) --libs libseccomp) -lcmocka

# The README's test command: installs (or asks for) what it needs, builds,
# runs every test, ends with "N passed, N failed, N skipped".
# With SANITIZE=1 the static binary is skipped (ASan needs the dynamic
# loader) and every test runs against the instrumented build/appuser.
# The release binaries of CHECK_ARCHES (arm64, armhf) are built into
# $(B)/dist and run under qemu-user; their filters are checked too.
CHECK_BINS = all $(if $(filter 1,$(SANITIZE)),,static) $(UNIT_BINS) $(TEST_HELPERS)
check:
	tests/deps check
	$(MAKE) $(CHECK_BINS)
	$(MAKE) dist dist-tables DIST=$(B)/dist DIST_ARCHES="$(CHECK_ARCHES)"
	B=$(abspath $(B)) APPUSER_DIST=$(abspath $(B))/dist $(DIST_TEST_ENV) tests/run

check-unit: $(UNIT_BINS)
	B=$(abspath $(B)) tests/run unit/

check-integration:
	tests/deps check
	$(MAKE) $(filter-out $(UNIT_BINS),$(CHECK_BINS))
	$(MAKE) dist dist-tables DIST=$(B)/dist DIST_ARCHES="$(CHECK_ARCHES)"
	B=$(abspath $(B)) APPUSER_DIST=$(abspath $(B))/dist $(DIST_TEST_ENV) tests/run integration/

demo:
	tests/deps demo
	$(MAKE) all static
	tests/demo

bench:
	tests/deps bench
	$(MAKE) all static
	tests/bench/run

# --- real engines ---
# contrib/docker/Dockerfile.debian built, unchanged, by a private dockerd on
# a mmdebstrap base (cached under /var/cache/appuser-test), and run under
# every runtime context in Docker, rootful and rootless Podman, Compose and
# `podman kube play` (tests/engines/run); ends with "N passed, N failed".
# ENGINES_ARM64=1 adds the real arm64 build under qemu-user (tests/engines/arm64.sh).
# The image builds appuser itself, from this checkout.
check-engines:
	tests/deps engines
	tests/engines/run
# --- end real engines ---

lint:
	mandoc -T lint -W warning man/*.[0-9]

install: $(B)/appuser
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5
	install -m 0755 $(B)/appuser $(DESTDIR)$(BINDIR)/appuser
	# chown clears the setuid bit, so the mode comes last (OpenDoas).
	chown $(BINOWN):$(BINGRP) $(DESTDIR)$(BINDIR)/appuser
	chmod $(BINMODE) $(DESTDIR)$(BINDIR)/appuser
	install -m 0644 man/appuser.8 $(DESTDIR)$(MANDIR)/man8/
	for m in man/*.5; do [ -e "$$m" ] && install -m 0644 "$$m" $(DESTDIR)$(MANDIR)/man5/ || :; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/appuser $(DESTDIR)$(MANDIR)/man8/appuser.8 \
	      $(DESTDIR)$(MANDIR)/man5/appuser.conf.5 $(DESTDIR)$(MANDIR)/man5/appuser-policy.5

clean:
	rm -rf $(B)

-include $(OBJS:.o=.d) $(TEST_LIB_OBJS:.o=.d) $(UNIT_FIXTURE:.o=.d)
