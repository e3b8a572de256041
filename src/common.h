/* SPDX-License-Identifier: Apache-2.0 */
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

/* c in upper case when it is an ASCII letter a-z, else c: codes and refs are ASCII, locale aside. */
static inline char cp_ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* c in lower case when it is an ASCII letter A-Z, else c. */
static inline char cp_ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

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

/*
 * Decode the UTF-8 character starting s[0..n), n > 0: set *c to its code
 * point and return its length in octets (1 to 4).  A malformed sequence
 * (stray continuation byte, overlong form, surrogate, above U+10FFFF, cut
 * short) sets *c to -1 and returns the length of its maximal subpart
 * (Unicode 15.0, section 3.9, "U+FFFD Substitution of Maximal Subparts"),
 * so that one U+FFFD replaces it.
 */
size_t cp_utf8_decode(const char *s, size_t n, long *c);

/* 1 if s[0..n) is well-formed UTF-8 (RFC 3629), else 0. */
int cp_utf8_valid(const char *s, size_t n);

/* Length of the valid UTF-8 (RFC 3629) prefix of s[0..len): len when all is valid. */
size_t cp_utf8_valid_prefix(const char *s, size_t len);

/* The English ordinal suffix of n: "st" for 1 and 21, "nd", "rd", "th" (11th-13th). */
const char *cp_ordinal_suffix(int n);

/*
 * The ISO 3166-1 alpha-2 code of a nation given its alpha-3 code ("ITA" ->
 * "IT"), from the same iso-codes data as coplan_nation_valid(); NULL for a
 * code that is not a current nation.  Static storage (read once a process).
 */
const char *cp_nation_alpha2(const char *code);

/* The reverse: the alpha-3 code of an alpha-2 code ("IT" -> "ITA"), or NULL; static storage. */
const char *cp_nation_from_alpha2(const char *alpha2);

#include "banned.h"

#endif
