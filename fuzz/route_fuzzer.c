/* SPDX-License-Identifier: Apache-2.0 */
/* route_fuzzer.c - the server's router on arbitrary methods and paths; a match must rebuild the path. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* "METHOD PATH": the first space splits them; NUL bytes end the path as C strings do */
	char params[CPS_PARAMS_MAX][CPS_PARAM_MAX];
	char *text = malloc(size + 1), *sp, rebuilt[CPS_PATH_MAX + 2];
	size_t index = 0, n = 0, k = 0, j = 0;
	const char *p;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (!(sp = strchr(text, ' '))) {
		free(text);
		return 0;
	}
	*sp = '\0';
	if (cps_route_match(text, sp + 1, &index, params, &n)) {
		free(text);
		return 0;
	}
	if (index >= cps_n_routes || n > CPS_PARAMS_MAX)
		abort();
	/* the pattern with its parameters put back is the path */
	for (p = cps_routes[index].pattern; *p && j < CPS_PATH_MAX; p++) {
		if (*p == '{') {
			size_t l = strlen(params[k]);

			if (l == 0 || l >= CPS_PARAM_MAX || strchr(params[k], '/') || j + l > CPS_PATH_MAX)
				abort();
			memcpy(rebuilt + j, params[k++], l);
			j += l;
			p = strchr(p, '}');
			continue;
		}
		rebuilt[j++] = *p;
	}
	rebuilt[j] = '\0';
	if (k != n || strcmp(rebuilt, sp + 1))
		abort();
	free(text);
	return 0;
}
