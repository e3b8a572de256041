/* SPDX-License-Identifier: Apache-2.0 */
/* utf8.c - one UTF-8 decoder (RFC 3629) for every reader and writer of the library. */
#include <stddef.h>

#include "common.h"

size_t cp_utf8_decode(const char *s, size_t n, long *c)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len, i;
	long v;

	if (p[0] < 0x80) {
		*c = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2;
		v = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3;
		v = p[0] & 0x0F;
		if (p[0] == 0xE0)
			lo = 0xA0;      /* no overlong form */
		else if (p[0] == 0xED)
			hi = 0x9F;      /* no surrogate */
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		v = p[0] & 0x07;
		if (p[0] == 0xF0)
			lo = 0x90;      /* no overlong form */
		else if (p[0] == 0xF4)
			hi = 0x8F;      /* nothing above U+10FFFF */
	} else {
		*c = -1;        /* a continuation byte, C0, C1 or F5..FF */
		return 1;
	}
	for (i = 1; i < len; i++) {
		if (i >= n || p[i] < lo || p[i] > hi) {
			*c = -1;
			return i;
		}
		v = v << 6 | (p[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*c = v;
	return len;
}

int cp_utf8_valid(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		long c;

		i += cp_utf8_decode(s + i, n - i, &c);
		if (c < 0)
			return 0;
	}
	return 1;
}

size_t cp_utf8_valid_prefix(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		long c;
		size_t k = cp_utf8_decode(s + i, len - i, &c);

		if (c < 0)
			return i;
		i += k;
	}
	return len;
}
