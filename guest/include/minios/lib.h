/*
 * The freestanding C library minios needs: string functions (gcc may
 * emit memcpy/memset calls itself), number parsing, and a small
 * vsnprintf (%d %i %u %x %X %p %s %c %%, flags '-' '0', width, l/ll/z).
 */
#ifndef MINIOS_LIB_H
#define MINIOS_LIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)     ((a) < (b) ? (a) : (b))
#define MAX(a, b)     ((a) > (b) ? (a) : (b))

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* Parses an unsigned number (decimal, or 0x hex); -XEN_EINVAL unless the
 * whole string is a number that fits. */
int parse_u64(const char *s, uint64_t *out);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* MINIOS_LIB_H */
