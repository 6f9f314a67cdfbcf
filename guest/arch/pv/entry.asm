; minios pv entry (pvx/pv.h): the whole arch-specific boot of the `pv`
; platform. pvxd's sandboxed process jumps here in 64-bit user mode with
; rsi = address of struct hvm_start_info, rsp = 0 and every other
; general register 0. Nothing privileged may run here (it would fault and
; end the domain): load the boot stack (shared with pvh, main.c) and call
; pv_start(start_info) in pv.c, which never returns.
;
; The PVX note tells the toolstack this kernel runs as `pv` and where:
; name "PVX\0", type PVX_ELFNOTE_PV_ENTRY, an 8-byte entry address. It
; sits next to boot.asm's Xen PVH note in the same PT_NOTE segment.

%include "minios/asm-offsets.inc"

default rel
global pv_entry
extern pv_start, minios_boot_stack

section .text
pv_entry:
	lea rsp, [minios_boot_stack + BOOT_STACK_SIZE]
	xor ebp, ebp
	mov rdi, rsi
	call pv_start                   ; rsp = 16n - 8 in pv_start, as after a call
	ud2                             ; not reached: pv_start does not return

section .note.PVX note alloc noexec nowrite align=4
	dd 4                            ; namesz: "PVX\0"
	dd 8                            ; descsz: one 64-bit address
	dd PVX_NOTE_PV_ENTRY
	db "PVX", 0
	dq pv_entry
