/* SPDX-License-Identifier: Apache-2.0 */
/* label_fuzzer.c - labels in register form and label policy files on arbitrary bytes; what parses must round-trip. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/label.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input's first byte picks the reader: even, a label under the shipped policy; odd, a policy file. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	coplan_label_policy *policy = NULL;
	coplan_label label, again, both;
	char text[COPLAN_LABEL_TEXT_MAX + 1], out[2 * COPLAN_LABEL_TEXT_MAX], out2[2 * COPLAN_LABEL_TEXT_MAX];

	if (size == 0)
		return 0;
	if (data[0] & 1) {
		if (coplan_label_policy_parse(&policy, (const char *)data + 1, size - 1, "fuzz.json") == 0) {
			/* every level's name reads back as that level */
			for (int i = 0; i < coplan_label_policy_levels(policy); i++)
				if (coplan_label_level_parse(policy, coplan_label_level_name(policy, i)) != i)
					abort();
			coplan_label_policy_free(policy);
		}
		return 0;
	}
	if (size - 1 > COPLAN_LABEL_TEXT_MAX)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (coplan_label_policy_load(&policy, coplan_label_policy_default_path()) != 0)
		abort();
	if (coplan_label_parse(&label, policy, text) == 0) {
		/* printed and read again: the same label; combined with itself: the same label */
		if (coplan_label_format(out, sizeof(out), policy, &label) != 0 ||
		    coplan_label_parse(&again, policy, out) != 0 ||
		    coplan_label_format(out2, sizeof(out2), policy, &again) != 0 || strcmp(out, out2) != 0)
			abort();
		if (coplan_label_combine(&both, &label, &again) != 0 || !coplan_label_dominates(&both, &label) ||
		    !coplan_label_dominates(&label, &both))
			abort();
	}
	coplan_label_policy_free(policy);
	return 0;
}
