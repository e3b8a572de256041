/* common.h - private helpers shared by the library's concerns (prefix cp_). */
#ifndef COPLAN_COMMON_H
#define COPLAN_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include "coplan/errors.h"

#if defined(__GNUC__)
#define CP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CP_PRINTF(f, a)
#endif

#define CP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Set this thread's last error to code and the printf-style message, and
 * return code, so that callers can write `return cp_error(COPLAN_EINVALID, ...)`.
 */
int cp_error(int code, const char *fmt, ...) CP_PRINTF(2, 3);

/* As cp_error(), prefixing "file:line:col: " (col 0 leaves it out, line 0 both). */
int cp_error_at(int code, const char *file, size_t line, size_t col, const char *fmt, ...)
	CP_PRINTF(5, 6);

/* As cp_error(), with a va_list. */
int cp_error_v(int code, const char *fmt, va_list ap);

/* strdup that returns NULL for NULL; the copy is the caller's to free(). */
char *cp_strdup(const char *s);

/* Copy at most n bytes of s and a NUL; the caller frees. */
char *cp_strndup(const char *s, size_t n);

/* 1 if a and b are equal ignoring ASCII case. */
int cp_strcaseeq(const char *a, const char *b);

/* Grow *array (element size elem) so that it holds at least need elements; 0 or COPLAN_ENOMEM. */
int cp_grow(void **array, size_t *cap, size_t need, size_t elem);

/* The English ordinal suffix of n: "st" for 1 and 21, "nd", "rd", "th" (11th-13th). */
const char *cp_ordinal_suffix(int n);

#include "banned.h"

#endif
