/* SPDX-License-Identifier: Apache-2.0 */
/* lsan_canary.c - leaks on purpose: under the sanitizers it must fail, proving leak checks are on. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	char *lost = malloc(64);

	if (!lost)
		return 1;
	snprintf(lost, 64, "never freed");
	printf("%s\n", lost);
	lost = NULL; /* the only pointer gone: LeakSanitizer reports 64 bytes at exit */
	return 0;
}
