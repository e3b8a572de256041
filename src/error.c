/* SPDX-License-Identifier: Apache-2.0 */
/* error.c - the thread-local last error and the code tables. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "coplan/coplan.h"
#include "common.h"

#define CP_ERROR_MAX 1024

static _Thread_local char last_message[CP_ERROR_MAX];
static _Thread_local int last_code;

const char *coplan_error_last(void)
{
	return last_message;
}

int coplan_error_last_code(void)
{
	return last_code;
}

void coplan_error_clear(void)
{
	last_message[0] = '\0';
	last_code = COPLAN_OK;
}

const char *coplan_error_str(int code)
{
	switch (code) {
	case COPLAN_OK: return "no error";
	case COPLAN_ERROR: return "error";
	case COPLAN_ENOMEM: return "out of memory";
	case COPLAN_EINVALID: return "invalid input";
	case COPLAN_EUSAGE: return "bad usage";
	case COPLAN_ENOTFOUND: return "not found";
	case COPLAN_EIO: return "input/output error";
	case COPLAN_ESTORE: return "database error";
	case COPLAN_ERANGE: return "out of range";
	case COPLAN_ELIMIT: return "input too large";
	case COPLAN_EEXISTS: return "already exists";
	case COPLAN_ECONFLICT: return "refused by a rule of the record";
	case COPLAN_ECANCELLED: return "cancelled";
	case COPLAN_EDENIED: return "not allowed";
	case COPLAN_EAUTH: return "not logged in";
	}
	return "unknown error";
}

int coplan_error_exit_status(int code)
{
	if (code == COPLAN_OK)
		return 0;
	if (code == COPLAN_EUSAGE)
		return 2;
	return 1;
}

int cp_error_v(int code, const char *fmt, va_list ap)
{
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	last_code = code;
	return code;
}

int cp_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cp_error_v(code, fmt, ap);
	va_end(ap);
	return code;
}

int cp_error_at(int code, const char *file, size_t line, size_t col, const char *fmt, ...)
{
	char msg[CP_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line && col)
		return cp_error(code, "%s:%zu:%zu: %s", file, line, col, msg);
	if (line)
		return cp_error(code, "%s:%zu: %s", file, line, msg);
	return cp_error(code, "%s: %s", file, msg);
}

char *cp_strdup(const char *s)
{
	return s ? cp_strndup(s, strlen(s)) : NULL;
}

char *cp_strndup(const char *s, size_t n)
{
	char *copy;

	if (!s)
		return NULL;
	copy = malloc(n + 1);
	if (!copy)
		return NULL;
	memcpy(copy, s, n);
	copy[n] = '\0';
	return copy;
}

int cp_strcaseeq(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

int cp_grow(void **array, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > ((size_t)-1) / 2 / elem)
			return cp_error(COPLAN_ENOMEM, "out of memory");
		ncap *= 2;
	}
	p = realloc(*array, ncap * elem);
	if (!p)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	*array = p;
	*cap = ncap;
	return 0;
}

const char *coplan_version(void)
{
	return COPLAN_VERSION;
}
