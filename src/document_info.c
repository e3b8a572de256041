/* SPDX-License-Identifier: Apache-2.0 */
/* document_info.c - what a document says it is: its reference from a pattern, and the line under its title. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/document.h"
#include "coplan/report.h"
#include "buf.h"
#include "common.h"
#include "translation.h"

#define EM_DASH "\xE2\x80\x94"

/* Append the series: the talks' series, else the parties joined with "-". */
static int put_series(cp_buf *b, const coplan_plan *plan)
{
	int rc = 0;

	if (plan->has_talks && plan->talks.series && *plan->talks.series)
		return cp_buf_puts(b, plan->talks.series);
	for (size_t i = 0; i < plan->n_nations && !rc; i++)
		rc = cp_buf_printf(b, "%s%s", i ? "-" : "", plan->nations[i]);
	return rc;
}

int coplan_document_reference(char *out, size_t size, const char *pattern, const coplan_plan *plan,
                              int version)
{
	cp_buf b = CP_BUF_INIT(COPLAN_DOCUMENT_REF_LEN * 4);
	int rc = 0;

	if (size)
		out[0] = '\0';
	if (version < 1)
		return cp_error(COPLAN_EUSAGE, "a document reference needs a saved version, got %d", version);
	if (!pattern || !*pattern)
		pattern = COPLAN_DOCUMENT_REF_DEFAULT;
	for (const char *p = pattern; *p && !rc;) {
		const char *close;
		size_t n;

		if (*p != '<' || !(close = strchr(p, '>'))) {
			rc = cp_buf_add(&b, p, 1);
			p++;
			continue;
		}
		n = (size_t)(close - p + 1);
		if (n == 8 && !strncmp(p, "<series>", n))
			rc = put_series(&b, plan);
		else if (n == 6 && !strncmp(p, "<year>", n))
			rc = cp_buf_printf(&b, "%d", plan->year);
		else if (n == 3 && !strncmp(p, "<N>", n))
			rc = cp_buf_printf(&b, "%d", version);
		else if (n == 7 && !strncmp(p, "<title>", n))
			rc = cp_buf_puts(&b, plan->title ? plan->title : "");
		else
			rc = cp_error(COPLAN_EUSAGE, "unknown placeholder '%.*s' in the reference pattern '%s' "
			              "(expected <series>, <year>, <N> or <title>)", (int)(n > 64 ? 64 : n), p, pattern);
		p = close + 1;
	}
	if (!rc && !b.len)
		rc = cp_buf_puts(&b, "");
	if (!rc && b.len + 1 > size)
		rc = cp_error(COPLAN_ELIMIT, "the document reference is longer than %zu octets",
		              size ? size - 1 : 0);
	if (!rc)
		memcpy(out, b.data, b.len + 1);
	cp_buf_release(&b);
	return rc;
}

int cp_document_info_line(char **out, const coplan_document_info *info, const cp_translation *labels)
{
	static const char *const states[] = { "state.draft", "state.agreed", "state.signed" };
	cp_buf b = CP_BUF_INIT(4096);
	char date[64], number[16];
	const char *state = cp_translate(labels, states[info->state <= COPLAN_VERSION_SIGNED ? info->state : 0]);
	int rc;

	*out = NULL;
	if (info->version > 0 && info->reference[0]) {
		const char *args[] = { info->reference, number, state };

		snprintf(number, sizeof(number), "%d", info->version);
		rc = cp_translate_fill(&b, labels, "info.version", args, 3);
	} else {
		rc = cp_translate_fill(&b, labels, "info.unsaved", &state, 1);
	}
	if (!rc && info->issued != COPLAN_DATE_NONE) {
		const char *arg = coplan_report_date_range(date, sizeof(date), info->issued, info->issued);

		rc = cp_translate_fill(&b, labels, "info.issued", &arg, 1);
	}
	if (!rc && info->amendment > 0) {
		const char *arg = number;

		snprintf(number, sizeof(number), "%d", info->amendment);
		rc = cp_translate_fill(&b, labels, "info.amended", &arg, 1);
	}
	if (!rc && !(*out = cp_buf_detach(&b, NULL)))
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
	cp_buf_release(&b);
	return rc;
}

int coplan_document_info_line(char **out, const coplan_document_info *info)
{
	cp_translation *english = NULL;
	int rc;

	*out = NULL;
	if ((rc = cp_translation_load(&english, "en")))
		return rc;
	rc = cp_document_info_line(out, info, english);
	cp_translation_free(english);
	return rc;
}
