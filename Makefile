# pagoda: one entry point. ARCH=arm64 (default) or x86; everything is built under build/.
#   make            build build/$(ARCH)/kernel.elf (+ kernel8.img on arm64)
#   make run        boot it in QEMU with the shell on this terminal (Ctrl-A X quits)
#   make test       every test, through prove (host KTAP under ASan/UBSan, QEMU boots)
#   make test-kasan every QEMU test again, booting the arm64 KASAN kernel
#   make bench      host benchmarks;  make gdb: QEMU halted + gdb-multiarch attached
#   make KASAN=1    the arm64 kernel under KASAN (GCC's -fsanitize=kernel-address) in build/arm64-kasan/
ARCH		?= arm64
BUILD		:= build/$(ARCH)$(if $(KASAN),-kasan)
DEPS		:= build/deps
HOSTBUILD	:= build/host
Q		:= $(if $(V),,@)

include arch/$(ARCH)/config.mk

CC		:= $(CROSS_COMPILE)gcc
LD		:= $(CROSS_COMPILE)ld
OBJCOPY		:= $(CROSS_COMPILE)objcopy
NM		:= $(CROSS_COMPILE)nm
GCC_INC		:= $(shell $(CC) -print-file-name=include 2>/dev/null)

WARN		:= -Wall -Wextra -Werror -Wno-unused-parameter -Wmissing-prototypes -Wstrict-prototypes
CFLAGS		:= -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-builtin -nostdinc -isystem $(GCC_INC) \
		   -fno-stack-protector -fno-common -fno-strict-aliasing -fno-tree-loop-distribute-patterns \
		   -fno-omit-frame-pointer \
		   -ffunction-sections -fdata-sections -ffile-prefix-map=$(CURDIR)=. \
		   -Iinclude/libc -Iinclude -Iarch/$(ARCH)/include -Itests/seam $(ARCH_INCLUDES) $(ARCH_CFLAGS) -D__KERNEL__
ASFLAGS		:= $(filter-out -std=gnu11,$(CFLAGS)) -D__ASSEMBLER__ -Wa,--debug-prefix-map=$(CURDIR)=.
LDFLAGS		:= -nostdlib -static --no-dynamic-linker --build-id=none -z noexecstack $(ARCH_LDFLAGS)

# Generic code, the arch, its drivers, and what also runs on the host: the KTAP suites and the
# benches, with the kernel's side of their seam (tests/seam/kernel.c).
SRCS		:= $(wildcard lib/*.c kernel/*.c mm/*.c tests/ktap/*.c bench/*.c) tests/seam/kernel.c \
		   $(wildcard arch/$(ARCH)/*.c arch/$(ARCH)/*.S arch/$(ARCH)/*/*.c arch/$(ARCH)/*/*.S) \
		   $(ARCH_SRCS) kernel/initramfs_data.S
SRCS		:= $(sort $(filter-out %.lds.S,$(SRCS)))

# ---- KASAN=1 (arm64): compiler-instrumented checks, mm/kasan/ and the arch's shadow map -------
# Outline checks (a call to __asan_loadN/__asan_storeN per access, threshold 0): the hook first
# asks whether the address's shadow exists yet (the linear map's and vmalloc's appear after
# paging_init; device memory and the fixmap never have any), which inline checks cannot do.
# Not instrumented: KASAN itself, the exception entry (traps.c), the stack walk and depot it
# calls, kmemleak (its scan reads whole stacks and the image, red zones included), the real
# mem*() (lib/string.c: KASAN's checking memcpy/memset/memmove call them as __memcpy/...), and the allocators' internals that touch free objects and pages on purpose.
ifdef KASAN
$(if $(filter arm64,$(ARCH)),,$(error KASAN=1: the KASAN kernel is arm64 only (README: x86 PAE has no room for the shadow)))
SRCS		+= $(wildcard mm/kasan/*.c)
KASAN_SAN	:= -fsanitize=kernel-address -fasan-shadow-offset=0xdfff800000000000 \
		   --param asan-instrumentation-with-call-threshold=0 --param asan-stack=1 --param asan-globals=1
KASAN_NOSAN_SRCS := $(wildcard mm/kasan/*.c) arch/arm64/kasan_init.c arch/arm64/traps.c kernel/stacktrace.c \
		   lib/stackdepot.c lib/string.c mm/kmemleak.c mm/slab.c mm/slab_debug.c mm/page_alloc_debug.c
# Uninstrumented files call the unchecked mem*() (Linux's __memcpy idea); lib/string.c defines them.
KASAN_NOSAN	:= -Dmemcpy=__memcpy -Dmemset=__memset -Dmemmove=__memmove
CFLAGS		+= -DCONFIG_KASAN
ASFLAGS		+= -DCONFIG_KASAN
kasan_flags	= $(if $(filter $(KASAN_NOSAN_SRCS),$(1)),$(KASAN_NOSAN),$(KASAN_SAN))
else
SRCS		:= $(filter-out arch/arm64/kasan_init.c,$(SRCS))
endif
OBJS		:= $(patsubst %,$(BUILD)/%.o,$(basename $(SRCS)))

# ---- user programs (user/): a tiny libc of our own and the built-in programs ----------------
# Static ELF files (ELF64 aarch64, ELF32 i386) linked at 0x400000 with the kernel's cross compiler,
# packed into a cpio (newc) archive that kernel/initramfs_data.S links into the image (Linux's
# initramfs idea). They use only Linux's syscalls: the same binaries run on Linux (qemu-aarch64,
# qemu-i386, or a Pi running Linux). USER_ARCH (arch/*/config.mk) names user/arch/: crt0 and
# asm/unistd.h (the syscall numbers, and what differs between the arches' test programs).
.DEFAULT_GOAL	:= all
USER_BUILD	:= $(BUILD)/user
USER_PROGS	:= hello demandzero badaccess efault spin cat memhog \
		   mprotecttest page-types virt2phys forktest cowtest usertests oomtest faultlat fptest sharedtest \
		   vmamany fuzz pidpagemap
USER_CFLAGS	:= -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-builtin -nostdinc -isystem $(GCC_INC) \
		   -Iuser/include -Iuser/arch/$(USER_ARCH) -fno-stack-protector -fno-pic -fno-asynchronous-unwind-tables \
		   -ffile-prefix-map=$(CURDIR)=.
USER_LDFLAGS	:= -static -nostdlib -no-pie -Wl,-Ttext-segment=0x400000 -Wl,--build-id=none \
		   -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack
USER_LIB_SRCS	:= $(wildcard user/lib/*.c user/arch/$(USER_ARCH)/*.S)
USER_LIB_OBJS	:= $(patsubst %,$(USER_BUILD)/%.o,$(basename $(USER_LIB_SRCS)))
USER_BINS	:= $(if $(USER_ARCH),$(addprefix $(USER_BUILD)/bin/,$(USER_PROGS)))
INITRAMFS	:= $(USER_BUILD)/initramfs.cpio

$(USER_BUILD)/%.o: %.c $(DEPS)/.bootstrapped $(BUILD_FILES)
	@mkdir -p $(dir $@)
	@echo "  UCC     $<"
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@
$(USER_BUILD)/%.o: %.S $(DEPS)/.bootstrapped $(BUILD_FILES)
	@mkdir -p $(dir $@)
	@echo "  UAS     $<"
	$(Q)$(CC) $(USER_CFLAGS) -D__ASSEMBLER__ -MMD -MP -c $< -o $@
$(USER_BUILD)/bin/%: $(USER_BUILD)/user/%.o $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  ULD     $@"
	$(Q)$(CC) $(USER_LDFLAGS) -o $@ $^ $(LIBGCC)
# The archive: the programs without their debug info (build/ARCH/user/bin keeps it, for gdb),
# and badelf (a program cut short: its program headers lie past its end) so the loader's
# refusal is tested. Owner root, fixed times: the same bytes each build.
$(INITRAMFS): $(USER_BINS) $(BUILD_FILES)
	@mkdir -p $(USER_BUILD)/root
	@echo "  CPIO    $@"
	$(Q)$(foreach p,$(if $(USER_ARCH),$(USER_PROGS)),$(OBJCOPY) --strip-debug $(USER_BUILD)/bin/$(p) $(USER_BUILD)/root/$(p) &&) true
	$(Q)$(if $(USER_ARCH),head -c 160 $(USER_BUILD)/bin/hello > $(USER_BUILD)/root/badelf)
	$(Q)cd $(USER_BUILD)/root && $(if $(USER_ARCH),printf '%s\n' $(USER_PROGS) badelf,true) | \
		cpio -o -H newc -R 0:0 --reproducible --quiet > $(CURDIR)/$@.tmp
	$(Q)mv $@.tmp $@
$(BUILD)/kernel/initramfs_data.o: $(INITRAMFS)
$(BUILD)/kernel/initramfs_data.o: ASFLAGS += -DINITRAMFS_PATH='"$(INITRAMFS)"'
.PHONY: user
user: $(INITRAMFS)
.PRECIOUS: $(USER_BUILD)/%.o
-include $(USER_LIB_OBJS:.o=.d) $(patsubst %,$(USER_BUILD)/user/%.d,$(USER_PROGS))
# A change of flags rebuilds everything: objects depend on the files that set them.
BUILD_FILES	:= Makefile arch/$(ARCH)/config.mk
LIBGCC		:= $(shell $(CC) -print-libgcc-file-name 2>/dev/null)

.PHONY: all run test check host-test bench gdb clean distclean bootstrap sdcard
all: $(BUILD)/kernel.elf $(IMAGE)

# tools/bootstrap installs what is missing (Debian's archive only); it leaves a stamp.
$(DEPS)/.bootstrapped: tools/bootstrap
	tools/bootstrap
bootstrap:
	tools/bootstrap

$(BUILD)/%.o: %.c $(DEPS)/.bootstrapped $(BUILD_FILES)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(call kasan_flags,$<) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.S $(DEPS)/.bootstrapped $(BUILD_FILES)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/kernel.lds: arch/$(ARCH)/kernel.lds.S $(DEPS)/.bootstrapped
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ASFLAGS) -E -P -x c $< -o $@

# Two links: the first with an empty symbol table, the second with the table of the first's
# text symbols (tools/kallsyms). The table lives in .rodata, after .text, so text addresses
# do not move between the passes (checked: the link fails if they did).
$(BUILD)/kernel.elf: $(OBJS) $(BUILD)/kernel.lds tools/kallsyms
	@echo "  LD      $@"
	$(Q)tools/kallsyms $(NM) > $(BUILD)/kallsyms0.S
	$(Q)$(CC) $(ASFLAGS) -c $(BUILD)/kallsyms0.S -o $(BUILD)/kallsyms0.o
	$(Q)$(LD) $(LDFLAGS) -T $(BUILD)/kernel.lds -o $(BUILD)/.tmp_kernel.elf $(OBJS) $(BUILD)/kallsyms0.o $(ARCH_LIBS) $(LIBGCC)
	$(Q)tools/kallsyms $(NM) $(BUILD)/.tmp_kernel.elf > $(BUILD)/kallsyms.S
	$(Q)$(CC) $(ASFLAGS) -c $(BUILD)/kallsyms.S -o $(BUILD)/kallsyms.o
	$(Q)$(LD) $(LDFLAGS) -T $(BUILD)/kernel.lds -Map $(BUILD)/kernel.map -o $@ $(OBJS) $(BUILD)/kallsyms.o $(ARCH_LIBS) $(LIBGCC)
	$(Q)tools/kallsyms $(NM) $@ | cmp -s - $(BUILD)/kallsyms.S || { echo "kallsyms: text moved between link passes" >&2; rm -f $@; exit 1; }

$(BUILD)/kernel8.img: $(BUILD)/kernel.elf
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@

run: all
	$(QEMU) $(QEMU_ARGS) -serial mon:stdio -display none $(if $(CMDLINE),-append '$(CMDLINE)') \
		$(if $(GDB),-s -S)

# make run GDB=1 in one terminal (QEMU halted, gdb stub on :1234), make gdb in another.
# tools/gdb/pagoda-gdb.py adds the `pagoda` commands (pagoda ptdump, pagoda walk VA, ...; README).
gdb: $(BUILD)/kernel.elf
	gdb-multiarch -q $(BUILD)/kernel.elf -ex 'source tools/gdb/pagoda-gdb.py' -ex 'target remote :1234'

# memmap: boots a fresh kernel that prints its memory views, then draws them (tools/memmap).
MEMMAP_VIEWS	:= cat /proc/iomem; cat /sys/kernel/debug/memblock/memory; \
		   cat /sys/kernel/debug/memblock/reserved; cat /proc/zoneinfo; cat /proc/buddyinfo; \
		   cat /sys/kernel/debug/kernel_page_tables; cat /proc/vmallocinfo
.PHONY: memmap
memmap: all
	$(QEMU) $(QEMU_ARGS) -display none -monitor none -serial stdio -append 'run="$(MEMMAP_VIEWS)"' \
		</dev/null >$(BUILD)/memmap.log 2>&1 || true
	tools/memmap -o $(BUILD)/memmap.svg $(BUILD)/memmap.log
	@echo "  MEMMAP  $(BUILD)/memmap.svg"

# ---- boot media (arm64): the SD-card image and the U-Boot path (boot/, tools/mksdcard) --------
#   make sdcard [BOOTARGS='run="cmd; cmd"']  build/arm64/sdcard.img: firmware, U-Boot, boot.scr, kernel8.img
#               [UBOOT_QUICK=1]              + uboot.env: no USB scan, no bootdelay (~1 s to the kernel, not ~5)
#   make run BOOT=uboot [CMDLINE=...]        QEMU runs U-Boot (-kernel u-boot.bin), which boots the SD
#                                            image; its console and ours are on the mini UART (2nd -serial)
UBOOT_BIN	:= $(DEPS)/u-boot-rpi/usr/lib/u-boot/rpi_arm64/u-boot.bin
SDCARD		:= $(BUILD)/sdcard.img
sdcard: $(SDCARD)
$(SDCARD): $(IMAGE) boot/config.txt boot/boot.cmd tools/mksdcard $(BUILD)/sdcard.bootargs
	$(if $(filter arm64,$(ARCH)),,$(error make sdcard: the SD card is for ARCH=arm64))
	$(Q)tools/mksdcard -o $@ -k $(IMAGE) -a '$(BOOTARGS)' $(if $(UBOOT_QUICK),-q)
# Rewritten only when BOOTARGS or UBOOT_QUICK change, so the image is rebuilt exactly then.
$(BUILD)/sdcard.bootargs: FORCE
	@mkdir -p $(dir $@)
	$(Q)printf '%s\n' '$(BOOTARGS)' '$(UBOOT_QUICK)' | cmp -s - $@ || printf '%s\n' '$(BOOTARGS)' '$(UBOOT_QUICK)' > $@
FORCE:
ifeq ($(BOOT),uboot)
run: $(SDCARD)
QEMU_ARGS	:= -M raspi3b -kernel $(UBOOT_BIN) -dtb $(DTB) -drive file=$(SDCARD),if=sd,format=raw \
		   -semihosting -no-reboot -serial null
endif

# ---- boot media (x86): a GRUB 2 image for a CD, a USB stick or QEMU (boot/grub.cfg, tools/mkiso) --
#   make ARCH=x86 iso [CMDLINE='run="cmd; cmd"'] [GRUB_TIMEOUT=S]
#       build/x86/pagoda.iso: GRUB for BIOS loads kernel.elf (Multiboot) with CMDLINE; GRUB's menu
#       waits GRUB_TIMEOUT seconds (default 3, 0: none). A hybrid image: dd it to a USB stick.
#   qemu-system-i386 -cdrom build/x86/pagoda.iso -serial stdio -display none   (or -drive file=...,format=raw)
ISO		:= $(BUILD)/pagoda.iso
GRUB_TIMEOUT	?= 3
.PHONY: iso
ifeq ($(ARCH),x86)
iso: $(ISO)
else
iso:
	@echo "make iso: the ISO boots the x86 kernel; run make ARCH=x86 iso" >&2; exit 1
endif
$(ISO): $(BUILD)/kernel.elf boot/grub.cfg tools/mkiso $(BUILD)/iso.cmdline
	$(Q)tools/mkiso -o $@ -k $(BUILD)/kernel.elf -a '$(CMDLINE)' -t '$(GRUB_TIMEOUT)'
# Rewritten only when CMDLINE or GRUB_TIMEOUT change, so the image is rebuilt exactly then.
$(BUILD)/iso.cmdline: FORCE
	@mkdir -p $(dir $@)
	$(Q)printf '%s\n' '$(CMDLINE)' '$(GRUB_TIMEOUT)' | cmp -s - $@ || printf '%s\n' '$(CMDLINE)' '$(GRUB_TIMEOUT)' > $@

# ---- host builds: the generic code natively, one recipe and one set of flags -----------------
# Three programs per descriptor format (HOST_ARCHES: arm64 and x86 headers), each linking the
# generic code with the host side of the seam (tests/seam/host/: simulated RAM, printk, TLB log):
#   build/host/ARCH/ktap        the KTAP suites, -O1 under ASan + UBSan (tests/host/ktap.t)
#   build/fuzz/ARCH/slab_fuzz   the slab allocator under libFuzzer, clang (tests/host/fuzz.t)
#   build/bench/ARCH/mm_bench   the benches of bench/, -O2 without sanitizers (make bench)
#   build/tsan/ARCH/ktap        the KTAP suites again under ThreadSanitizer: the concurrent suites
#                               run their "CPUs" as threads (tests/host/tsan.t)
HOST_CFLAGS	:= -std=gnu11 -g $(WARN) -Wno-missing-prototypes -fno-strict-aliasing -fno-omit-frame-pointer \
		   -Itests/seam/host/include -Itests/seam -Iinclude
HOST_SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=undefined
HOST_ARCHES	:= $(patsubst arch/%/config.mk,%,$(wildcard arch/*/config.mk))
SEAM_SRCS	:= $(addprefix tests/seam/host/,physmem.c host_env.c mm_machine.c tlbflush.c cache_log.c smp_seam.c stacktrace.c) \
		   kernel/printk_capture.c
# pagoda's own lib/ string functions are renamed on the host (lib_rename.h), so the suites test them.
HOST_LIB_SRCS	:= lib/string.c lib/vsprintf.c lib/strtoul.c tests/ktap/lib_test.c
MM_SRCS		:= $(filter-out mm/paging.c,$(wildcard mm/*.c)) lib/seq_buf.c
# init_mm, vmalloc and the kmap window (real host addresses for kmap slots: mm/highmem.c is
# built with -DHOST_KMAP_SLOTS) over the simulated machine.
VM_SEAM_SRCS	:= tests/seam/host/vm_machine.c tests/seam/host/kmap_window.c

# mm/paging.c is boot glue (linker symbols, the board, the arch's root switch): kernel only.
KTAP_SRCS	:= $(filter-out $(HOST_LIB_SRCS) mm/paging.c,$(wildcard lib/*.c mm/*.c tests/ktap/*.c tests/host/*.c)) \
		   kernel/kunit.c kernel/debugfs.c kernel/walk_cmd.c kernel/initramfs.c kernel/elf.c $(wildcard drivers/of/*.c) \
		   $(SEAM_SRCS) $(VM_SEAM_SRCS) tests/seam/host/ktap_main.c $(HOST_LIB_SRCS)
SLAB_SRCS	:= $(addprefix mm/,slab.c slab_array.c kmalloc.c slab_debug.c page_alloc.c page_alloc_debug.c mm_init.c \
		   memblock.c vmstat.c fault_inject.c page_owner.c kfence.c kmemleak.c) lib/seq_buf.c lib/stackdepot.c lib/spinlock_debug.c
FUZZ_SRCS	:= tests/fuzz/slab_fuzz.c $(SLAB_SRCS) $(SEAM_SRCS)
FUZZ_FLAGS	:= -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
BENCH_SRCS	:= bench/page_alloc_bench.c bench/vmalloc_bench.c kernel/bench.c $(MM_SRCS) lib/stackdepot.c lib/spinlock_debug.c lib/rbtree.c \
		   $(SEAM_SRCS) $(VM_SEAM_SRCS) tests/seam/host/bench_host.c tests/seam/host/bench_main.c

# host_prog KIND,ARCH,CC,FLAGS,PROG,SRCS,LIBS: objects in build/KIND/ARCH/, linked into PROG.
define host_prog
build/$(1)/$(2)/%.o: %.c $(DEPS)/.bootstrapped $(BUILD_FILES)
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCC  $$< ($(1), $(2))"
	$(Q)$(3) $(HOST_CFLAGS) $(4) -Iarch/$(2)/include -MMD -MP \
		$$(if $$(filter $(HOST_LIB_SRCS),$$<),-fno-builtin -include tests/seam/host/lib_rename.h) \
		$$(if $$(filter mm/highmem.c,$$<),-DHOST_KMAP_SLOTS) -c $$< -o $$@
$(5): $(patsubst %.c,build/$(1)/$(2)/%.o,$(6))
	@echo "  HOSTLD  $$@"
	$(Q)$(3) $(4) -o $$@ $$^ $(7)
-include $$(patsubst %.c,build/$(1)/$(2)/%.d,$(6))
endef
$(foreach a,$(HOST_ARCHES),$(eval $(call host_prog,host,$(a),gcc,-O1 $(HOST_SAN),$(HOSTBUILD)/$(a)/ktap,$(KTAP_SRCS),-lfdt)))
$(foreach a,$(HOST_ARCHES),$(eval $(call host_prog,tsan,$(a),gcc,-O1 -fsanitize=thread,build/tsan/$(a)/ktap,$(KTAP_SRCS),-lfdt)))
$(foreach a,$(HOST_ARCHES),$(eval $(call host_prog,fuzz,$(a),clang,$(FUZZ_FLAGS),build/fuzz/$(a)/slab_fuzz,$(FUZZ_SRCS))))
$(foreach a,$(HOST_ARCHES),$(eval $(call host_prog,bench,$(a),gcc,-O2,build/bench/$(a)/mm_bench,$(BENCH_SRCS))))
# The slab bench and its malloc peers: one binary per peer (jemalloc's and mimalloc's malloc
# replace glibc's), with arm64's headers (the slab allocator does not see the descriptor format).
# local-exec TLS: the seam's per-CPU offset and interrupt mask are thread-locals of the executable,
# one %fs load each, as the kernel's are one mrs (the default model adds a GOT load to each).
$(eval $(call host_prog,bench,arm64,gcc,-O2 -ftls-model=local-exec,build/bench/slab_bench,bench/host/slab_bench.c $(SLAB_SRCS) $(SEAM_SRCS)))
PEER_FLAGS	:= -O2 -fno-builtin-malloc -fno-builtin-free
$(eval $(call host_prog,bench,peer,gcc,$(PEER_FLAGS),build/bench/malloc_glibc,bench/host/malloc_peer.c))
build/bench/malloc_%: build/bench/peer/bench/host/malloc_peer.o
	@echo "  HOSTLD  $@"
	$(Q)gcc $(PEER_FLAGS) -o $@ $< -l$*

host-test: $(foreach a,$(HOST_ARCHES),$(HOSTBUILD)/$(a)/ktap build/tsan/$(a)/ktap)

# ---- tests --------------------------------------------------------------------------------
test: $(DEPS)/.bootstrapped
	$(MAKE) host-test
	$(MAKE) ARCH=arm64 all
	$(MAKE) ARCH=arm64 KASAN=1 all
	$(if $(wildcard arch/x86/config.mk),$(MAKE) ARCH=x86 all)
	prove -v -j2 tests/host/*.t tests/qemu/*.t

check: test

# test-kasan: every QEMU test with the arm64 KASAN kernel (PAGODA_KASAN=1: tests/qemu/lib/Pagoda.pm's
# arm64_image() boots build/arm64-kasan/, kasan() picks the KASAN figures). Not part of make test (time).
.PHONY: test-kasan
test-kasan: $(DEPS)/.bootstrapped
	$(MAKE) ARCH=arm64 KASAN=1 all
	$(if $(wildcard arch/x86/config.mk),$(MAKE) ARCH=x86 all)
	PAGODA_KASAN=1 prove -v -j2 tests/qemu/*.t

# newcomer-check RELEASE=bookworm|trixie [REPO=path]: make test on a freshly debootstrapped
# Debian of that release, in a chroot (root; many minutes). See tools/newcomer-check.
.PHONY: newcomer-check
newcomer-check:
	$(if $(RELEASE),,$(error make newcomer-check: say which Debian, e.g. RELEASE=trixie))
	tools/newcomer-check $(RELEASE) $(REPO)

# fuzz: the slab allocator under libFuzzer for each descriptor format; tests/host/fuzz.t runs them.
.PHONY: fuzz
fuzz: $(foreach a,$(HOST_ARCHES),build/fuzz/$(a)/slab_fuzz)

# bench: the shared benches per descriptor format, then the slab bench against its peers.
bench: $(foreach a,$(HOST_ARCHES),build/bench/$(a)/mm_bench) build/bench/slab_bench \
       $(addprefix build/bench/malloc_,glibc jemalloc mimalloc)
	$(foreach a,$(HOST_ARCHES),build/bench/$(a)/mm_bench &&) build/bench/slab_bench

# linux-compare: user/faultlat on pagoda and on Debian's arm64 Linux under the same QEMU (a
# benchmark, not in make test; it downloads the kernel package once into build/deps/linux).
.PHONY: linux-compare
linux-compare:
	$(MAKE) ARCH=arm64 all
	tools/linux-compare

clean:
	rm -rf build/arm64 build/x86 build/host build/tsan build/fuzz build/bench build/linux-compare
distclean:
	rm -rf build

-include $(OBJS:.o=.d)
