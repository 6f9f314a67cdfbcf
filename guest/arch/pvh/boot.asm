; minios boot: PVH entry, static tables, long mode, drop to CPL3.
;
; The toolstack's PVH builder enters minios_entry32 in 32-bit flat
; protected mode with paging off and ebx = physical address of struct
; hvm_start_info (reference linux-pvh-abi.md §1.2). On kvm_pvm every CPL0
; instruction is interpreted (~1 us each, ARCHITECTURE §1a), so this file
; does as little as it can at CPL0: every table (page tables, GDT, IDT,
; TSS with its I/O bitmap) is assembled as data, with absolute addresses
; computed at assembly time. That works because the linker script places
; this .boot section first, at MINIOS_BASE (it asserts so), which makes
; "label - $$ + MINIOS_BASE" a plain number nasm can split into gate and
; descriptor fields. The whole boot at CPL0 is about 70 instructions:
;   lgdt, PAE, cr3, EFER.LME, paging, far jump to 64-bit code, segments,
;   ltr, lidt, TSS stacks, LAPIC enable, hypercall MSR, iretq to CPL3.
; From then on the kernel proper runs at CPL3 on U/S=1 pages (D12) and
; re-enters CPL0 only through the IDT (traps.asm).
;
; Memory map (identity, virtual = physical):
;   0 - 4 KiB          not present (null pointer dereferences fault)
;   4 KiB - 2 MiB      4 KiB pages, U/S=1, except the pages of this
;                      section (tables, CPL0 handlers): supervisor only
;   2 MiB - 1 GiB      2 MiB pages, U/S=1
;   0xFEE00000         LAPIC, uncached, U/S=1
;   0xFEFF8000 +16 KiB the special pages (console and xenstore rings)

%include "minios/asm-offsets.inc"

default rel

%define MINIOS_BASE 0x100000
%define ABS(l) ((l) - $$ + MINIOS_BASE)

%define PTE_P   0x001
%define PTE_W   0x002
%define PTE_U   0x004
%define PTE_PWT 0x008
%define PTE_PCD 0x010
%define PTE_PS  0x080

%define LAPIC_BASE 0xFEE00000
%define LAPIC_TPR  0x080
%define LAPIC_SVR  0x0F0
%define LAPIC_LVT0 0x350
%define LAPIC_EOI  0x0B0

%define SEL_KCODE 0x08
%define SEL_KDATA 0x10
%define SEL_UDATA 0x1b
%define SEL_UCODE 0x23
%define SEL_TSS   0x28

global minios_entry32
global boot_start_info, boot_xen_base, boot_hcall_msr, boot_hcall_msr_gp
global idt_table, tss64
global hypercall_page, upcall_count, irq_other_count, trap_frame
global probe_resume, probe_vector, probe_error
global pvh_hypercall_raw
extern pvh_start, trap_report, minios_boot_stack

; Declared first so the section's alignment is page-sized from the start.
section .bss nobits alloc noexec write align=4096
section .boot progbits alloc exec write align=4096

; ---- page tables (first, so each is 4 KiB aligned) -------------------------
pml4:
	dq ABS(pdpt) | PTE_P | PTE_W | PTE_U
	times 511 dq 0
pdpt:
	dq ABS(pd_low) | PTE_P | PTE_W | PTE_U
	dq 0, 0
	dq ABS(pd_high) | PTE_P | PTE_W | PTE_U
	times 508 dq 0
pd_low:
	dq ABS(pt_first) | PTE_P | PTE_W | PTE_U
%assign i 1
%rep 511
	dq (i << 21) | PTE_P | PTE_W | PTE_U | PTE_PS
%assign i i+1
%endrep
; 3-4 GiB: only the 2 MiB slot holding the LAPIC and the special pages.
pd_high:
	times 0x1F7 dq 0
	dq ABS(pt_apic) | PTE_P | PTE_W | PTE_U
	times 512 - 0x1F8 dq 0
; First 2 MiB in 4 KiB pages: page 0 absent, this section supervisor-only.
pt_first:
	dq 0
%assign i 1
%rep 511
	dq (i << 12) | PTE_P | PTE_W | \
	   (PTE_U * !(((i << 12) >= MINIOS_BASE) && ((i << 12) < ABS(boot_end))))
%assign i i+1
%endrep
pt_apic:
	dq LAPIC_BASE | PTE_P | PTE_W | PTE_U | PTE_PCD | PTE_PWT
	times 0x1F8 - 1 dq 0
%assign i 0
%rep SPECIAL_PAGES
	dq ((SPECIAL_PFN + i) << 12) | PTE_P | PTE_W | PTE_U
%assign i i+1
%endrep
	times 512 - 0x1F8 - SPECIAL_PAGES dq 0

; ---- IDT: 256 interrupt gates ----------------------------------------------
%macro GATE 3 ; handler, dpl, ist
	dw ABS(%1) & 0xFFFF
	dw SEL_KCODE
	db %3
	db 0x8E | ((%2) << 5)
	dw (ABS(%1) >> 16) & 0xFFFF
	dd ABS(%1) >> 32
	dd 0
%endmacro

idt_table:
%assign v 0
%rep 32
 %if v == 2 || v == 8
	GATE exc_stub_%[v], 0, 1    ; NMI, #DF on IST1
 %elif v == 3 || v == 4
	GATE exc_stub_%[v], 3, 0    ; int3/into from CPL3
 %else
	GATE exc_stub_%[v], 0, 0
 %endif
%assign v v+1
%endrep
%rep 256 - 32
 %if v == UPCALL_VECTOR
	GATE irq_upcall, 0, 0
 %elif v == 0xFF
	GATE irq_spurious, 0, 0
 %else
	GATE irq_other, 0, 0
 %endif
%assign v v+1
%endrep

; ---- GDT ---------------------------------------------------------------------
align 16
gdt:
	dq 0
	dq 0x00AF9A000000FFFF          ; 0x08 kernel code, 64-bit
	dq 0x00CF92000000FFFF          ; 0x10 kernel data
	dq 0x00CFF2000000FFFF          ; 0x18 user data, DPL3
	dq 0x00AFFA000000FFFF          ; 0x20 user code, 64-bit, DPL3
	; 0x28: 16-byte available 64-bit TSS
	dw TSS_LIMIT & 0xFFFF
	dw ABS(tss64) & 0xFFFF
	db (ABS(tss64) >> 16) & 0xFF
	db 0x89
	db (TSS_LIMIT >> 16) & 0x0F
	db (ABS(tss64) >> 24) & 0xFF
	dd ABS(tss64) >> 32
	dd 0
	dq 0x00CF9A000000FFFF          ; 0x38 kernel code, 32-bit (entry)
gdt_end:
gdt_ptr:
	dw gdt_end - gdt - 1
	dq ABS(gdt)
idt_ptr:
	dw 256 * 16 - 1
	dq ABS(idt_table)

; ---- TSS with the I/O permission bitmap ----------------------------------------
; IOPL=3 is not honoured on kvm_pvm (docs/kvm-pvm.md), so CPL3 gets its
; ports here: a clear bit allows a byte port. "out %eax,$port" touches four
; byte ports, so the hypercall port opens four bits. The bitmap covers ports
; 0-0xFF and ends with the required all-ones byte.
align 16
tss64:
	times TSS_IOMAP_BASE_FIELD db 0
	dw TSS_IOMAP_BASE
tss_iomap:
%define PORT_OPEN(p) ((((p) >= HCALL_PORT) && ((p) <= HCALL_PORT + 3)) || ((p) == BENCH_PORT))
%assign b 0
%rep 32
 %assign m 0
 %assign k 0
 %rep 8
  %assign m m | (PORT_OPEN(b * 8 + k) << k)
  %assign k k+1
 %endrep
	db ~m & 0xFF
%assign b b+1
%endrep
	db 0xFF
tss_end:
TSS_LIMIT equ tss_end - tss64 - 1

; ---- 32-bit entry ----------------------------------------------------------------
bits 32
minios_entry32:
	mov [boot_start_info], ebx
	lgdt [gdt_ptr]
	mov eax, cr4
	or eax, 1 << 5                  ; PAE
	mov cr4, eax
	mov eax, ABS(pml4)
	mov cr3, eax
	mov ecx, 0xC0000080             ; EFER
	rdmsr
	or eax, 1 << 8                  ; LME
	wrmsr
	mov eax, cr0
	or eax, 0x80010001              ; PG | WP | PE
	mov cr0, eax
	jmp SEL_KCODE:ABS(entry64)

; ---- 64-bit, CPL0 ------------------------------------------------------------------
bits 64
entry64:
	mov eax, SEL_KDATA
	mov ds, eax
	mov es, eax
	mov ss, eax
	xor eax, eax
	mov fs, eax
	mov gs, eax
	mov rsp, kstack_top
	mov eax, SEL_TSS
	ltr ax
	lidt [idt_ptr]
	mov rax, kstack_top
	mov [tss64 + TSS_RSP0], rax
	mov rax, ist1_stack_top
	mov [tss64 + TSS_IST1], rax
	; LAPIC: software-enable with spurious vector 0xFF, accept every
	; priority, and mask LINT0 so a legacy PIC line can never reach us.
	mov eax, LAPIC_BASE
	mov dword [rax + LAPIC_SVR], 0x1FF
	mov dword [rax + LAPIC_TPR], 0
	mov dword [rax + LAPIC_LVT0], 0x10000
	call find_xen
	; Hand control to C at CPL3: rdi = hvm_start_info physical address,
	; on the boot stack (main.c: the same one the pv entry uses).
	mov edi, [boot_start_info]
	push SEL_UDATA
	push minios_boot_stack + BOOT_STACK_SIZE
	push 0x202                      ; IF=1, IOPL=0
	push SEL_UCODE
	push pvh_start
	iretq

; find_xen: looks for "XenVMMXenVMM" in the first 16 hypervisor CPUID bases
; and, if found, writes the hypercall page's address to the MSR from leaf
; base+2 so the hypervisor fills it. A #GP on that wrmsr (an MSR the VMM
; does not trap) is skipped by the trap stub (..@hcall_msr_wrmsr: a label
; that does not end the scope of find_xen's local labels), leaving the
; page empty; C then fills it itself (hypercall.c).
; In: nothing. Clobbers rax, rbx, rcx, rdx, rsi.
find_xen:
	mov esi, 0x40000000
.next:
	mov eax, esi
	cpuid
	cmp ebx, 0x566E6558             ; "XenV"
	jne .skip
	cmp ecx, 0x65584D4D             ; "MMXe"
	jne .skip
	cmp edx, 0x4D4D566E             ; "nVMM"
	jne .skip
	sub eax, esi
	cmp eax, 2
	jb .none
	mov [boot_xen_base], esi
	lea eax, [rsi + 2]
	cpuid
	mov [boot_hcall_msr], ebx
	mov ecx, ebx
	mov rax, hypercall_page
	mov rdx, rax
	shr rdx, 32
..@hcall_msr_wrmsr:
	wrmsr
	ret
.skip:
	add esi, 0x100
	cmp esi, 0x40001000
	jb .next
.none:
	ret

%include "arch/pvh/traps.inc"

align 4096
boot_end:

; ---- stacks and the hypercall page (ordinary U/S=1 memory) ------------------------
; What the CPL0 boot found, for C at CPL3 (so not in the supervisor-only
; .boot pages).
section .data
align 8
boot_start_info: dd 0
boot_xen_base:   dd 0
boot_hcall_msr:  dd 0
boot_hcall_msr_gp: db 0                ; 1: the MSR write raised #GP

section .bss
alignb 4096
hypercall_page:  resb 4096
ist1_stack:      resb 4096
ist1_stack_top:
kstack:          resb 8192           ; TSS.RSP0: every CPL3 -> CPL0 entry
kstack_top:
crash_stack:     resb 8192           ; trap_report runs here, at CPL3
crash_stack_top:

; ---- raw hypercall entry (hypercall.h: hypercall_raw_entry), CPL3 -----------------
; In: rax = hypercall number, Xen's argument registers. Out: rax.
section .text
pvh_hypercall_raw:
	out HCALL_PORT, eax
	ret

; ---- PVH entry note (Xen, XEN_ELFNOTE_PHYS32_ENTRY, 8-byte value) ---------------
section .note.Xen note alloc noexec nowrite align=4
	dd 4
	dd 8
	dd ELFNOTE_PHYS32_ENTRY
	db "Xen", 0
	dq minios_entry32
