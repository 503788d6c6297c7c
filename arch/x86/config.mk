# config.mk (x86): toolchain, flags, drivers and QEMU command for the 32-bit PAE build.
CROSS_COMPILE	?= i686-linux-gnu-
ARCH_CFLAGS	:= -march=i686 -mgeneral-regs-only -fno-pic -fno-pie -fcf-protection=none \
		   -fno-asynchronous-unwind-tables -mno-red-zone
ARCH_LDFLAGS	:= -m elf_i386 -z max-page-size=4096
ARCH_INCLUDES	:=
ARCH_LIBS	:=
ARCH_SRCS	:= $(wildcard drivers/serial/8250.c)
IMAGE		:= $(BUILD)/kernel.elf
# -cpu Nehalem: NX and 40 physical address bits while running 32-bit PAE code (-lm,-syscall:
# long mode is off anyway in qemu-system-i386; this silences TCG's warnings about them).
# isa-debug-exit: arch_poweroff(V) makes QEMU exit with status (V << 1) | 1.
# -smp 4: the APs come up as on the Pi's four cores (QEMU_SMP=1 for one CPU).
QEMU		:= qemu-system-i386
QEMU_MEM	?= 512
QEMU_CPU	?= Nehalem,-lm,-syscall
QEMU_SMP	?= 4
QEMU_ARGS	:= -kernel $(IMAGE) -m $(QEMU_MEM) -cpu $(QEMU_CPU) -smp $(QEMU_SMP) \
		   -device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot
# The user programs (user/, Makefile): i386 static ELF32 with crt0 and numbers from user/arch/i386.
USER_ARCH	:= i386
