; Tiny `pv` guests for unit-pvproc and pv-hcall-bench. Each is
; position-independent code between gX and gX_end that the test copies
; into guest RAM at GUEST_CODE (guest_mem.h); it lives in .rodata here
; because the host never runs it. Hypercall numbers are the tests' own.
bits 64
default rel

%define HC        0xFEFF6000
%define TR        0xFEFF7000
%define STACK_TOP 0x1F0000
%define FLAG      0x180000
%define COUNTER   0x180008

%macro HCALL 1
	mov eax, HC + (%1) * 32
	call rax
%endmacro

%macro GUEST 1
	global %1, %1_end
%endmacro

section .rodata

; Entry state, all five args and the result, the raw stub. rax must be
; 0 at entry, so lahf/seto leave just the arithmetic flags in it.
GUEST g_hcall
g_hcall:
	lahf
	seto al
	mov r15, rbx
	or r15, rcx
	or r15, rdx
	or r15, rdi
	or r15, rbp
	or r15, rsp
	or r15, r8
	or r15, r9
	or r15, r10
	or r15, r11
	or r15, r12
	or r15, r13
	or r15, r14
	mov r14, rsi
	mov r13, rax
	mov rsp, STACK_TOP
	mov rdi, 0x1111
	mov rsi, 0x2222
	mov rdx, 0x3333
	mov r10, 0x4444
	mov r8, 0x5555
	mov r9, 0x6666
	HCALL 5
	mov rdi, rax
	mov rsi, r14
	mov rdx, r15
	mov r10, r13
	HCALL 6
	mov eax, 300
	mov ecx, TR
	call rcx
	mov rdi, rax
	HCALL 7
.spin:	HCALL 8
	jmp .spin
g_hcall_end:

; Upcall: registers survive the callback, which reports its signal and
; stack alignment, then sets FLAG.
GUEST g_upcall
global g_upcall_cb
g_upcall:
	mov rsp, STACK_TOP
	HCALL 1
	mov rbx, 0x1234567890abcdef
	mov rbp, 0x0fedcba987654321
	mov r12, 0x1212121212121212
	mov r15, 0x1515151515151515
.spin:	mov rax, FLAG
	cmp qword [rax], 0
	je .spin
	mov rdi, rbx
	mov rsi, rbp
	mov rdx, r12
	mov r10, r15
	HCALL 2
	jmp $
g_upcall_cb:
	mov rsi, rsp
	and rsi, 15
	HCALL 3
	mov rax, FLAG
	mov qword [rax], 1
	ret
g_upcall_end:

; No callback: the upcall returns at once; spins a while, then reports.
GUEST g_nocb
g_nocb:
	mov rsp, STACK_TOP
	HCALL 1
	mov rbx, 0x1234567890abcdef
	mov r12, 0x1212121212121212
	mov ecx, 1 << 25
.spin:	dec rcx
	jnz .spin
	mov rdi, rbx
	mov rsi, r12
	HCALL 2
	jmp $
g_nocb_end:

; Forbidden: a `syscall` from RAM with rax = start_info.
GUEST g_sys
g_sys:
	mov rax, rsi
	mov edi, 0x1000
	xor esi, esi
	syscall
	ud2
g_sys_end:

GUEST g_int80
g_int80:
	mov eax, 5
	int 0x80
	ud2
g_int80_end:

GUEST g_sysenter
g_sysenter:
	mov eax, 5
	sysenter
	ud2
g_sysenter_end:

GUEST g_vsyscall
g_vsyscall:
	mov rsp, STACK_TOP
	xor edi, edi
	xor esi, esi
	mov rax, 0xffffffffff600000
	call rax
	ud2
g_vsyscall_end:

GUEST g_wr_hc
g_wr_hc:
	mov eax, HC
	mov byte [rax], 0xc3
	ud2
g_wr_hc_end:

GUEST g_wr_tr
g_wr_tr:
	mov eax, TR + 0xF00
	mov qword [rax], 0
	ud2
g_wr_tr_end:

GUEST g_wild
g_wild:
	mov rax, 0x500000000000
	jmp rax
g_wild_end:

; Counts in RAM forever (stop/cont, signals, latency).
GUEST g_count
g_count:
	mov rax, COUNTER
.l:	inc qword [rax]
	jmp .l
g_count_end:

; Ready, then counts (maps/fd checks run while it waits on "ready").
GUEST g_ready
g_ready:
	mov rsp, STACK_TOP
	HCALL 1
	mov rax, COUNTER
.l:	inc qword [rax]
	jmp .l
g_ready_end:

; Benchmark: hypercall 9 in a loop, rdi = iteration.
GUEST g_bench
g_bench:
	mov rsp, STACK_TOP
	xor ebx, ebx
.l:	mov rdi, rbx
	HCALL 9
	inc rbx
	jmp .l
g_bench_end:

section .note.GNU-stack noalloc noexec nowrite progbits
