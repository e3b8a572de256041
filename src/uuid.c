/* SPDX-License-Identifier: Apache-2.0 */
/* uuid.c - random UUIDs (RFC 9562 version 4) for plans and activities. */
#include <errno.h>
#include <stdio.h>
#include <sys/random.h>

#include "coplan/errors.h"
#include "coplan/model.h"
#include "common.h"

int coplan_uuid_v4(char out[COPLAN_UUID_LEN])
{
	unsigned char b[16];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return cp_error(COPLAN_EIO, "no random bytes for a new identity");
		got += (size_t)n;
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* variant 10 (RFC 9562 section 4.1) */
	snprintf(out, COPLAN_UUID_LEN,
	         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
	return 0;
}

int coplan_uuid_valid(const char *s)
{
	if (!s)
		return 0;
	for (int i = 0; i < COPLAN_UUID_LEN - 1; i++) {
		char c = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
			return 0;
		}
	}
	return s[COPLAN_UUID_LEN - 1] == '\0';
}
