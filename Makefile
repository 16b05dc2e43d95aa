# appuser — see README.md.  Plain make; warnings and hardening are appended
# with += so a packager's CFLAGS cannot drop them (STYLE.md "Build").

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
DESTDIR  ?=
BINOWN   ?= root
BINGRP   ?= root
BINMODE  ?= 0755
CC       ?= cc
PKG_CONFIG ?= pkg-config
ifeq ($(SANITIZE),1)
B        ?= build/asan
else
B        ?= build
endif

CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wformat-nonliteral \
            -Wno-unused-parameter
CPPFLAGS += -D_GNU_SOURCE -D_FORTIFY_SOURCE=3 -Isrc -I$(B)
CFLAGS   += -fstack-protector-strong -fPIE -fno-strict-aliasing
LDFLAGS  += -pie -Wl,-z,relro,-z,now,-z,noexecstack
ifeq ($(WERROR),1)
CFLAGS   += -Werror
endif
ifeq ($(SANITIZE),1)
CFLAGS   += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif

LIBS_PC   = libcap-ng libseccomp libselinux
CPPFLAGS += $(shell $(PKG_CONFIG) --cflags $(LIBS_PC))
LDLIBS   += $(shell $(PKG_CONFIG) --libs $(LIBS_PC))

SRCS     := $(sort $(wildcard src/*.c))
OBJS     := $(SRCS:src/%.c=$(B)/obj/%.o)
# Objects with no main(): what unit tests and fuzzers link against.
LIBOBJS  := $(filter-out $(B)/obj/main.o,$(OBJS))

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)

.PHONY: all static check check-unit check-integration demo bench install \
        uninstall clean lint fuzz check-image
all: $(B)/appuser

$(B)/obj/%.o: src/%.c | $(B)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/appuser: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(B)/obj $(B)/tests $(B)/static:
	mkdir -p $@

# A fully static binary for scratch/Alpine/Debian images alike.  It never
# calls NSS (accounts are parsed from the files), so static glibc is safe.
static: $(B)/appuser-static
$(B)/appuser-static: $(SRCS) | $(B)/static
	$(MAKE) B=$(B)/static $(B)/static/appuser \
	    LDFLAGS="$(filter-out -pie,$(LDFLAGS)) -static-pie" \
	    LDLIBS="$(shell $(PKG_CONFIG) --static --libs $(LIBS_PC))"
	cp $(B)/static/appuser $@

$(B)/tests/test_%: tests/unit/test_%.c $(LIBOBJS) | $(B)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJS) $(LDLIBS) -lcmocka

# The README's test command: installs (or asks for) what it needs, builds,
# runs every test, ends with "N passed, N failed".
# With SANITIZE=1 the static binary is skipped (ASan needs the dynamic
# loader) and every test runs against the instrumented build/appuser.
CHECK_BINS = all $(if $(filter 1,$(SANITIZE)),,static) $(UNIT_BINS)
check:
	tests/deps check
	$(MAKE) $(CHECK_BINS)
	B=$(abspath $(B)) tests/run

check-unit: $(UNIT_BINS)
	tests/run unit/

demo:
	tests/deps demo
	$(MAKE) all static
	tests/demo

bench:
	tests/deps bench
	$(MAKE) all static
	tests/bench/run

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

-include $(OBJS:.o=.d)
