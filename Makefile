# pagoda: one entry point. ARCH=arm64 (default) or x86; everything is built under build/.
#   make            build build/$(ARCH)/kernel.elf (+ kernel8.img on arm64)
#   make run        boot it in QEMU with the shell on this terminal (Ctrl-A X quits)
#   make test       every test, through prove (host KTAP under ASan/UBSan, QEMU boots)
#   make bench      host benchmarks;  make gdb: QEMU halted + gdb-multiarch attached
ARCH		?= arm64
BUILD		:= build/$(ARCH)
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
		   -Iinclude/libc -Iinclude -Iarch/$(ARCH)/include $(ARCH_INCLUDES) $(ARCH_CFLAGS) -D__KERNEL__
ASFLAGS		:= $(filter-out -std=gnu11,$(CFLAGS)) -D__ASSEMBLER__ -Wa,--debug-prefix-map=$(CURDIR)=.
LDFLAGS		:= -nostdlib -static --no-dynamic-linker --build-id=none -z noexecstack $(ARCH_LDFLAGS)

# Generic code, the arch, its drivers and the KTAP suites that also run on the host.
SRCS		:= $(wildcard lib/*.c kernel/*.c mm/*.c tests/ktap/*.c) \
		   $(wildcard arch/$(ARCH)/*.c arch/$(ARCH)/*.S arch/$(ARCH)/*/*.c arch/$(ARCH)/*/*.S) \
		   $(ARCH_SRCS)
SRCS		:= $(sort $(filter-out %.lds.S,$(SRCS)))
OBJS		:= $(patsubst %,$(BUILD)/%.o,$(basename $(filter-out $(EXCLUDE),$(SRCS))))
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
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

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
gdb: $(BUILD)/kernel.elf
	gdb-multiarch -q $(BUILD)/kernel.elf -ex 'target remote :1234'

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

# ---- host build: generic code natively, under AddressSanitizer and UBSan --------------------
HOST_CC		:= gcc
HOST_SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
HOST_CFLAGS	:= -std=gnu11 -O1 -g $(WARN) -Wno-missing-prototypes -fno-strict-aliasing $(HOST_SAN) \
		   -Itests/host/include -Iinclude -D__HOST__
HOST_LIB_SRCS	:= lib/string.c lib/vsprintf.c lib/strtoul.c tests/ktap/lib_test.c
HOST_SRCS	:= $(filter-out $(HOST_LIB_SRCS),$(wildcard lib/*.c mm/*.c tests/ktap/*.c tests/host/*.c)) \
		   kernel/kunit.c kernel/debugfs.c kernel/printk_capture.c $(wildcard drivers/of/*.c)
HOST_ARCHES	:= $(patsubst arch/%/config.mk,%,$(wildcard arch/*/config.mk))

# host_ktap ARCH: build/host/ARCH/ktap, the KTAP suites against ARCH's descriptor format.
define host_ktap
$(HOSTBUILD)/$(1)/%.o: %.c $(DEPS)/.bootstrapped
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCC  $$< ($(1))"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -Iarch/$(1)/include -MMD -MP \
		$$(if $$(filter $(HOST_LIB_SRCS),$$<),-fno-builtin -include tests/host/lib_rename.h) -c $$< -o $$@
$(HOSTBUILD)/$(1)/ktap: $(patsubst %.c,$(HOSTBUILD)/$(1)/%.o,$(HOST_SRCS) $(HOST_LIB_SRCS))
	$(Q)$(HOST_CC) $(HOST_SAN) -o $$@ $$^ -lfdt
endef
$(foreach a,$(HOST_ARCHES),$(eval $(call host_ktap,$(a))))

host-test: $(foreach a,$(HOST_ARCHES),$(HOSTBUILD)/$(a)/ktap)

# ---- tests --------------------------------------------------------------------------------
test: $(DEPS)/.bootstrapped
	$(MAKE) host-test
	$(MAKE) ARCH=arm64 all
	$(if $(wildcard arch/x86/config.mk),$(MAKE) ARCH=x86 all)
	prove -v -j2 tests/host/*.t tests/qemu/*.t

check: test

# newcomer-check RELEASE=bookworm|trixie [REPO=path]: make test on a freshly debootstrapped
# Debian of that release, in a chroot (root; many minutes). See tools/newcomer-check.
.PHONY: newcomer-check
newcomer-check:
	$(if $(RELEASE),,$(error make newcomer-check: say which Debian, e.g. RELEASE=trixie))
	tools/newcomer-check $(RELEASE) $(REPO)

bench: $(DEPS)/.bootstrapped
	$(MAKE) -C bench

# fuzz: the slab allocator under libFuzzer (clang, ASan + UBSan); tests/host/fuzz.t runs it.
FUZZ_SRCS	:= tests/fuzz/slab_fuzz.c mm/slab.c mm/kmalloc.c mm/slab_debug.c mm/page_alloc.c \
		   mm/page_alloc_debug.c mm/mm_init.c mm/memblock.c mm/vmstat.c lib/seq_buf.c \
		   tests/host/physmem.c tests/host/host_env.c kernel/printk_capture.c tests/host/mm_machine.c
.PHONY: fuzz
fuzz: build/fuzz/slab_fuzz
build/fuzz/slab_fuzz: $(FUZZ_SRCS) $(wildcard include/mm/*.h mm/*.h) $(DEPS)/.bootstrapped
	@mkdir -p $(dir $@)
	@echo "  CLANG   $@ (libFuzzer)"
	$(Q)clang -std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-Wall -Wno-unused-parameter -fno-strict-aliasing -Itests/host/include -Iinclude \
		-Iarch/arm64/include -D__HOST__ -o $@ $(FUZZ_SRCS)

clean:
	rm -rf build/arm64 build/x86 build/host
distclean:
	rm -rf build

-include $(OBJS:.o=.d)
-include $(foreach a,$(HOST_ARCHES),$(wildcard $(HOSTBUILD)/$(a)/*/*.d $(HOSTBUILD)/$(a)/*/*/*.d))
