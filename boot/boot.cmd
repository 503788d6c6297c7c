# boot.cmd: U-Boot script that starts kernel8.img with booti (tools/mksdcard compiles it to boot.scr).
#
# U-Boot's distro boot finds boot.scr on the FAT partition and sources it, with devtype, devnum
# and distro_bootpart naming where it was found. tools/mksdcard substitutes the boot arguments
# (make sdcard BOOTARGS='...'); with none, the lines naming them are dropped and the kernel sees the
# /chosen/bootargs already in U-Boot's device tree (the firmware's cmdline.txt, or QEMU -append).

if test -z "${devtype}"; then setenv devtype mmc; setenv devnum 0; setenv distro_bootpart 1; fi

setenv bootargs '@BOOTARGS@'
echo 'pagoda: bootargs @BOOTARGS@'

# Load the image away from 0x80000, where it will run: U-Boot keeps data just above 0x80000 and a
# large image loaded there would overwrite it. booti reads text_offset from the arm64 Image header
# and moves the image to its place ("Moving Image from 0x200000 to 0x80000").
setenv pagoda_kernel_addr 0x200000
echo "pagoda: loading kernel8.img from ${devtype} ${devnum}:${distro_bootpart} to ${pagoda_kernel_addr}"
if load ${devtype} ${devnum}:${distro_bootpart} ${pagoda_kernel_addr} kernel8.img; then
	# Linux arm64 boot protocol: EL2, MMU off, x0 = the device tree U-Boot itself runs on (the
	# firmware's, or QEMU's -dtb), after U-Boot has written /chosen/bootargs and /memory into it.
	booti ${pagoda_kernel_addr} - ${fdtcontroladdr}
	echo 'pagoda: booti failed - is kernel8.img an arm64 Image (magic ARMd at offset 56)?'
else
	echo 'pagoda: kernel8.img not found on the boot partition'
fi
