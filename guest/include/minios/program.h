/*
 * Test programs. The command line picks one (docs/minios.md); each is a
 * tiny program that reports over the console in XTF style, one line per
 * verdict: "PASS <what>", "FAIL <what>: <why>", "SKIP <what>: <why>".
 * Its return value is the exit status minios prints before it powers off
 * (programs that end the domain another way never return).
 */
#ifndef MINIOS_PROGRAM_H
#define MINIOS_PROGRAM_H

#include <stdint.h>

struct program {
	const char *name;
	const char *usage;
	int (*main)(int argc, char **argv);
	int early;   /* runs right after the hypercall page, before any init */
	/* Non-NULL: it binds event channels of its own, which a resume in a
	 * new domain would not rebind; why, for the suspend hold it holds
	 * while it runs (minios/control.h). */
	const char *no_suspend;
};

/* The table, NULL-name terminated (programs/programs.c). */
extern const struct program programs[];
const struct program *program_find(const char *name);

/* Verdict lines; each returns the status it stands for (0 for PASS and
 * SKIP, 1 for FAIL) so programs can "return fail(...)". */
int pass(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses argv[i] as a number, or returns def if absent; -1 on junk. */
int arg_u64(int argc, char **argv, int i, uint64_t def, uint64_t *out);

#endif /* MINIOS_PROGRAM_H */
