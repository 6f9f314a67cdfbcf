/* The shim's ELF image inside pvxd (pvproc_spawn.c executes it from a
 * sealed memfd). hypervisor/pvproc.mk puts its directory on the
 * assembler's include path. */
	.section .rodata
	.balign 16
	.globl pvproc_shim_image
	.globl pvproc_shim_image_end
pvproc_shim_image:
	.incbin "pvproc-shim"
pvproc_shim_image_end:
	.section .note.GNU-stack,"",@progbits
