# SPDX-License-Identifier: GPL-2.0
#
# lsdp top-level Makefile.
#
#   make                 kmod/lsdp.ko and userspace/lsdp for KVER
#   make KVER=<release>  build the module for that installed kernel
#   make KDIR=<path>     ... or for that kernel build tree
#   make install         module to /lib/modules/KVER/extra, CLI and lsdp-agent
#                        to /usr/local/sbin
#   make deps            install the Debian packages building and testing need
#   make demo            boot a VM, replay seed 000 (a router, a never-seen host):
#                        first ping lost with holding off, none lost with it on;
#                        then an OVS chassis and an lsdp chassis in a real OVN
#   make check           build for 6.1 and 6.12, run the selftests in a VM each
#   make check-debug     the selftests on a debug kernel (lockdep, KASAN, UBSAN,
#                        kmemleak...), built once from linux-source-6.1 (hours)
#   make lint            sparse + checkpatch --strict over kmod/ and include/
#   make genl            kmod/genl_gen.[ch] (policies, genl_ops) from the YNL spec
#   make bench           per-packet cost vs Linux bridge/routing and OVS, per kernel
#   make fuzz            netlink and frame fuzzers, 1,000,000 inputs each, in a 6.1 VM
#                        (KVER=<release>: that kernel; FUZZ_N, FUZZ_SEED, FUZZ_VM_ARGS)
#   make bench-quick     L2, routed, Geneve at 64 B on 6.1 (icount clock, < 10 min)

# Default kernel: the running one when its headers are installed, else the
# newest installed headers.
KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	else ls -d /lib/modules/*/build 2>/dev/null | sed 's,/lib/modules/,,;s,/build,,' | \
	sort -V | tail -n1; fi)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr/local
DESTDIR ?=
VERSION := 0.1.0

# The test matrix: Debian 12's 6.1 and the newest installed 6.12.
K61 = $(shell ls -d /lib/modules/6.1.*-amd64/build 2>/dev/null | sed 's,/lib/modules/,,;s,/build,,' | sort -V | tail -n1)
K612 = $(shell ls -d /lib/modules/6.12.*-amd64/build 2>/dev/null | sed 's,/lib/modules/,,;s,/build,,' | sort -V | tail -n1)

.PHONY: all kmod userspace install uninstall deps demo check lint clean \
	matrix bench bench-quick help demo-run check-run bench-run bench-quick-run \
	fuzz fuzz-run check-debug check-debug-run genl

all: kmod userspace

kmod:
	@if [ ! -d "$(KDIR)" ]; then \
		echo "Error: no kernel build tree at '$(KDIR)'; run 'make deps' or set KVER/KDIR" >&2; \
		exit 1; fi
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod modules

userspace:
	$(MAKE) -C userspace

# Build the module once per kernel of the matrix into build/<KVER>/, where the
# VM runner's guests find it (build/$(uname -r)/lsdp.ko).
matrix: userspace
	@for k in $(K61) $(K612); do \
		scripts/build-kver.sh "$$k" || exit 1; done

install: all
	install -D -m 0644 kmod/lsdp.ko $(DESTDIR)/lib/modules/$(KVER)/extra/lsdp.ko
	install -D -m 0755 userspace/lsdp $(DESTDIR)$(PREFIX)/sbin/lsdp
	install -D -m 0644 Documentation/lsdp.8 $(DESTDIR)$(PREFIX)/share/man/man8/lsdp.8
	install -D -m 0644 userspace/lsdp.bash-completion \
		$(DESTDIR)/usr/share/bash-completion/completions/lsdp
	install -D -m 0644 include/uapi/linux/lsdp.h $(DESTDIR)$(PREFIX)/include/linux/lsdp.h
	install -D -m 0755 userspace/agent/lsdp-agent $(DESTDIR)$(PREFIX)/sbin/lsdp-agent
	install -D -m 0644 Documentation/lsdp-agent.8 \
		$(DESTDIR)$(PREFIX)/share/man/man8/lsdp-agent.8
	install -d $(DESTDIR)$(PREFIX)/lib/systemd/system
	sed 's|@SBINDIR@|$(PREFIX)/sbin|' userspace/agent/lsdp-agent.service.in \
		>$(DESTDIR)$(PREFIX)/lib/systemd/system/lsdp-agent.service
	install -D -m 0644 userspace/agent/agent.conf.example \
		$(DESTDIR)$(PREFIX)/share/doc/lsdp/agent.conf.example
	[ -n "$(DESTDIR)" ] || depmod -a $(KVER)

uninstall:
	rm -f /lib/modules/$(KVER)/extra/lsdp.ko $(PREFIX)/sbin/lsdp \
		$(PREFIX)/share/man/man8/lsdp.8 \
		/usr/share/bash-completion/completions/lsdp $(PREFIX)/include/linux/lsdp.h \
		$(PREFIX)/sbin/lsdp-agent $(PREFIX)/share/man/man8/lsdp-agent.8 \
		$(PREFIX)/lib/systemd/system/lsdp-agent.service \
		$(PREFIX)/share/doc/lsdp/agent.conf.example
	depmod -a $(KVER)

deps:
	scripts/deps.sh

# demo, check and bench install what is missing first, then go on in a
# sub-make: make expands a recipe's variables before it runs the recipe's
# first line, so K61 and K612 read here would name no kernel on a machine
# whose headers deps.sh has only just installed.
demo:
	scripts/deps.sh
	$(MAKE) demo-run

demo-run: matrix
	selftests/vm-run -k $(or $(K61),$(KVER)) -- $(CURDIR)/scripts/demo.sh

check:
	scripts/deps.sh
	$(MAKE) check-run

check-run: matrix
	scripts/check.sh $(K61) $(K612)

# Not part of check or CI: the first run builds a kernel (cached in
# /var/cache/lsdp/debug-kernel), and the suite runs several times slower.
# CHECK_DEBUG_TESTS="lsdp_l2.sh lsdp_router.sh" runs only those scripts.
check-debug:
	scripts/deps.sh
	$(MAKE) check-debug-run

check-debug-run: userspace
	scripts/check-debug.sh $(CHECK_DEBUG_TESTS)

lint:
	scripts/deps.sh
	scripts/lint.sh

# kmod/genl_gen.[ch] (policies, genl_ops) from Documentation/netlink/lsdp.yaml.
genl:
	scripts/genl-gen.py

# One VM per kernel, one after the other; results in bench/results/.
bench:
	scripts/deps.sh
	$(MAKE) bench-run

bench-run: matrix
	BENCH_BY="make bench" bench/bench.sh $(K61) $(K612)

# One VM, 6.1, the rate scenarios that check a datapath change, on the
# instruction-counting clock; results in build/bench-quick/.
bench-quick:
	scripts/deps.sh
	$(MAKE) bench-quick-run

bench-quick-run: userspace
	scripts/build-kver.sh $(or $(K61),$(KVER))
	BENCH_BY="make bench-quick" bench/bench.sh --quick $(or $(K61),$(KVER))

# The fuzzers (selftests/lsdp_fuzz.sh) at full length, in one VM with two
# vCPUs, on 6.1 unless KVER is given on the command line (e.g. a debug
# kernel's release; FUZZ_VM_ARGS passes further selftests/vm-run options).
# About 2 to 3.5 hours in a TCG guest on these machines, depending on
# their load; the log is kept in build/fuzz-KVER.log.
FUZZ_N ?= 1000000
FUZZ_SEED ?=
FUZZ_TIMEOUT ?= 21600
FUZZ_VM_ARGS ?=
FUZZ_KVER = $(if $(filter command line environment,$(origin KVER)),$(KVER),$(K61))

fuzz:
	scripts/deps.sh
	$(MAKE) fuzz-run

fuzz-run: userspace
	scripts/build-kver.sh $(FUZZ_KVER)
	mkdir -p build
	{ LSDP_FUZZ_N=$(FUZZ_N) LSDP_FUZZ_SEED=$(FUZZ_SEED) KSFT_TIMEOUT=$(FUZZ_TIMEOUT) \
		selftests/vm-run -k $(FUZZ_KVER) -a slab_nomerge -t $$(( $(FUZZ_TIMEOUT) + 300 )) \
		$(FUZZ_VM_ARGS) -- selftests/run.sh lsdp_fuzz.sh 2>&1; \
		echo $$? >build/fuzz-$(FUZZ_KVER).rc; } | tee build/fuzz-$(FUZZ_KVER).log
	@exit $$(cat build/fuzz-$(FUZZ_KVER).rc)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod clean 2>/dev/null
	$(MAKE) -C userspace clean
	rm -rf build

help:
	@sed -n '3,21p' Makefile
