; Cooperative context switch (sched.c). Runs at CPL3.

%include "minios/asm-offsets.inc"

default rel
global sched_switch

section .text

; void sched_switch(struct sched_context *from, const struct sched_context *to)
; In: rdi = from, rsi = to. Saves the SysV callee-saved registers on the
; current stack and the stack pointer in from->rsp, then resumes `to`,
; whose stack holds the same six registers and a return address (a new
; thread's stack is prepared that way by thread_create). Returns, later,
; when someone switches back to `from`. Clobbers the caller-saved set.
sched_switch:
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	mov [rdi + THREAD_CTX_RSP], rsp
	mov rsp, [rsi + THREAD_CTX_RSP]
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	ret
