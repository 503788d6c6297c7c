# config.mk (arm64): toolchain, flags, drivers and QEMU command for the Raspberry Pi 3 build.
CROSS_COMPILE	?= aarch64-linux-gnu-
ARCH_CFLAGS	:= -mgeneral-regs-only -mstrict-align -mcmodel=small -fno-pic -fno-jump-tables -mno-outline-atomics
# The Pi 3's Cortex-A53 r0p4 has erratum 843419 (an ADRP at the end of a 4 KiB page can compute
# a wrong address); GCC passes the fix to ld only when it drives the link, and we call ld directly.
ARCH_LDFLAGS	:= -z max-page-size=4096 --fix-cortex-a53-843419
LIBFDT_DIR	:= $(DEPS)/libfdt-arm64/usr
ARCH_INCLUDES	:= -I$(LIBFDT_DIR)/include
ARCH_LIBS	:= $(LIBFDT_DIR)/lib/aarch64-linux-gnu/libfdt.a
ARCH_SRCS	:= $(wildcard drivers/serial/pl011.c drivers/serial/mini_uart.c \
		     drivers/serial/serial_core.c drivers/serial/bcm283x_console.c drivers/of/*.c \
		     drivers/mailbox/*.c)
IMAGE		:= $(BUILD)/kernel8.img
DTB		:= $(DEPS)/bcm2837-rpi-3-b.dtb
QEMU		:= qemu-system-aarch64
QEMU_ARGS	:= -M raspi3b -kernel $(IMAGE) -dtb $(DTB) -semihosting -no-reboot
# user/arch/aarch64: the user programs' crt0 and syscall stub (Makefile: user programs)
USER_ARCH	:= aarch64
