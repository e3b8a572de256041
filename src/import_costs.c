/* SPDX-License-Identifier: Apache-2.0 */
/* import_costs.c - a sheet of the activities' costs (a plan folder's costs.csv), all or nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coplan/cost.h"
#include "coplan/import.h"
#include "common.h"

enum { C_REF, C_ESTIMATE, C_ACTUAL, C_CURRENCY, C_PAID_BY, C_FUNDING_LINE, C_COUNT };

static const char *const names[C_COUNT] = {
	"ref", "cost_estimate", "cost_actual", "currency", "paid_by", "funding_line"
};

/* The header cell as a key: lower case, spaces and '-' as '_', trimmed. */
static void key_of(char *out, size_t size, const char *s)
{
	size_t n = 0;

	while (*s == ' ')
		s++;
	for (; *s && n + 1 < size; s++)
		out[n++] = *s == ' ' || *s == '-' ? '_' : (*s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s);
	while (n && out[n - 1] == '_')
		n--;
	out[n] = '\0';
}

/* A copy of s without spaces at the ends; NULL when out of memory. */
static char *trimmed(const char *s)
{
	size_t n;

	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	return cp_strndup(s, n);
}

/* The costs of one row into scratch (a copy of the activity's cost fields): 0 or an error at its cell. */
static int read_row(coplan_activity *scratch, const coplan_csv_record *rec, const int *col,
                    const char *path)
{
	char *v[C_COUNT] = { NULL }, why[512], was[COPLAN_CURRENCY_LEN];
	int rc = 0;

	memcpy(was, scratch->currency, sizeof(was));

	for (int k = 1; k < C_COUNT && !rc; k++)
		if (col[k] >= 0 && (size_t)col[k] < rec->n_fields && !(v[k] = trimmed(rec->fields[col[k]])))
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
#define AT(k_) cp_error_at(COPLAN_EINVALID, path, rec->line, (size_t)col[k_] + 1
	if (!rc && v[C_CURRENCY] && *v[C_CURRENCY]) {
		for (char *p = v[C_CURRENCY]; *p; p++)
			*p = cp_ascii_upper(*p);
		if (!coplan_currency_valid(v[C_CURRENCY]))
			rc = AT(C_CURRENCY), "unknown currency '%.40s' (expected ISO 4217 alpha-3, e.g. EUR)",
			                     v[C_CURRENCY]);
		else
			memcpy(scratch->currency, v[C_CURRENCY], COPLAN_CURRENCY_LEN);
	}
	/* an amount recorded in one currency is never read in another: a new currency needs them again */
	if (!rc && strcmp(was, scratch->currency) &&
	    ((scratch->has_cost_estimate && !(v[C_ESTIMATE] && *v[C_ESTIMATE])) ||
	     (scratch->has_cost_actual && !(v[C_ACTUAL] && *v[C_ACTUAL]))))
		rc = AT(C_CURRENCY), "activity '%s' has costs in %s: give them again in %s", scratch->ref,
		     was, scratch->currency);
	for (int k = C_ESTIMATE; k <= C_ACTUAL && !rc; k++) {
		long long amount;

		if (!v[k] || !*v[k])
			continue;
		if (!scratch->currency[0]) {
			rc = AT(k), "an amount needs its currency (a currency column, ISO 4217, e.g. EUR)");
			break;
		}
		if (!strchr(v[k], '.'))
			for (char *p = v[k]; *p; p++)
				if (*p == ',')
					*p = '.';
		if (coplan_amount_parse(&amount, v[k], scratch->currency)) {
			snprintf(why, sizeof(why), "%s", coplan_error_last());
			rc = AT(k), "%s", why);
			break;
		}
		*(k == C_ESTIMATE ? &scratch->has_cost_estimate : &scratch->has_cost_actual) = 1;
		*(k == C_ESTIMATE ? &scratch->cost_estimate : &scratch->cost_actual) = amount;
	}
	if (!rc && v[C_PAID_BY] && *v[C_PAID_BY]) {
		coplan_cost_share *shares;
		size_t n;

		if (coplan_payer_parse(&scratch->paid_by, &shares, &n, v[C_PAID_BY])) {
			snprintf(why, sizeof(why), "paid by %s", coplan_error_last());
			rc = coplan_error_last_code() == COPLAN_ENOMEM ? COPLAN_ENOMEM : AT(C_PAID_BY), "%s", why);
		} else {
			free(scratch->shares);
			scratch->shares = shares;
			scratch->n_shares = n;
		}
	}
	if (!rc && v[C_FUNDING_LINE] && *v[C_FUNDING_LINE]) {
		if (strlen(v[C_FUNDING_LINE]) > COPLAN_FUNDING_LINE_MAX) {
			rc = AT(C_FUNDING_LINE), "funding line of %zu bytes (at most %d)",
			     strlen(v[C_FUNDING_LINE]), COPLAN_FUNDING_LINE_MAX);
		} else if (coplan_text_check(v[C_FUNDING_LINE])) {
			snprintf(why, sizeof(why), "%s", coplan_error_last());
			rc = AT(C_FUNDING_LINE), "%s", why);
		} else {
			free(scratch->funding_line);
			scratch->funding_line = v[C_FUNDING_LINE];
			v[C_FUNDING_LINE] = NULL;
		}
	}
	if (!rc && coplan_activity_cost_validate(scratch)) {
		snprintf(why, sizeof(why), "%s", coplan_error_last());
		rc = cp_error_at(COPLAN_EINVALID, path, rec->line, 0, "%s", why);
	}
#undef AT
	for (int k = 0; k < C_COUNT; k++)
		free(v[k]);
	return rc;
}

/* Move the cost fields of from into to (to's old ones freed; from's emptied). */
static void take_costs(coplan_activity *to, coplan_activity *from)
{
	free(to->shares);
	free(to->funding_line);
	to->has_cost_estimate = from->has_cost_estimate;
	to->has_cost_actual = from->has_cost_actual;
	to->cost_estimate = from->cost_estimate;
	to->cost_actual = from->cost_actual;
	memcpy(to->currency, from->currency, sizeof(to->currency));
	to->paid_by = from->paid_by;
	to->shares = from->shares;
	to->n_shares = from->n_shares;
	to->funding_line = from->funding_line;
	from->shares = NULL;
	from->funding_line = NULL;
}

int coplan_import_costs_csv(coplan_plan *plan, const char *path, const coplan_csv_options *opts,
                            size_t *n_rows)
{
	coplan_csv_table *t = NULL;
	coplan_activity *scratch = NULL;
	long *target = NULL;
	int col[C_COUNT], rc;
	size_t n = 0;

	if (n_rows)
		*n_rows = 0;
	if ((rc = coplan_csv_read_file(&t, path, opts)))
		return rc;
	for (int k = 0; k < C_COUNT; k++)
		col[k] = -1;
	if (t->n_records == 0) {
		rc = cp_error_at(COPLAN_EINVALID, path, 1, 0, "empty: expected a header row (ref, "
		                 "cost_estimate, cost_actual, currency, paid_by, funding_line)");
		goto cleanup;
	}
	for (size_t i = 0; i < t->records[0].n_fields && !rc; i++) {
		char key[64];
		int k;

		key_of(key, sizeof(key), t->records[0].fields[i]);
		for (k = 0; k < C_COUNT && strcmp(key, names[k]); k++)
			;
		if (k == C_COUNT)
			rc = cp_error_at(COPLAN_EINVALID, path, t->records[0].line, i + 1, "unknown column '%.40s' "
			                 "(expected ref, cost_estimate, cost_actual, currency, paid_by or "
			                 "funding_line)", t->records[0].fields[i]);
		else if (col[k] >= 0)
			rc = cp_error_at(COPLAN_EINVALID, path, t->records[0].line, i + 1, "column '%s' twice",
			                 names[k]);
		else
			col[k] = (int)i;
	}
	if (!rc && col[C_REF] < 0)
		rc = cp_error_at(COPLAN_EINVALID, path, t->records[0].line, 0, "no column ref (expected the "
		                 "activities' refs, e.g. IT-01)");
	if (rc)
		goto cleanup;
	scratch = calloc(t->n_records, sizeof(*scratch));
	target = calloc(t->n_records, sizeof(*target));
	if (!scratch || !target) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	/* every row checked before any is applied: all or nothing */
	for (size_t r = 1; r < t->n_records && !rc; r++) {
		const coplan_csv_record *rec = &t->records[r];
		const char *ref = (size_t)col[C_REF] < rec->n_fields ? rec->fields[col[C_REF]] : "";
		char *want = trimmed(ref);
		long i;

		if (!want) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			break;
		}
		if (!*want && rec->n_fields <= 1) {
			free(want);
			continue;       /* an empty row */
		}
		i = coplan_plan_find(plan, want);
		if (i < 0) {
			rc = cp_error_at(COPLAN_EINVALID, path, rec->line, (size_t)col[C_REF] + 1, "no activity "
			                 "'%.40s' in the plan (expected a ref of the activities sheet)", want);
			free(want);
			break;
		}
		free(want);
		for (size_t k = 0; k < n && !rc; k++)
			if (target[k] == i)
				rc = cp_error_at(COPLAN_EINVALID, path, rec->line, (size_t)col[C_REF] + 1,
				                 "activity '%s' has two rows", plan->activities[i].ref);
		if (rc)
			break;
		/* the activity's present costs, then the row's over them */
		{
			const coplan_activity *a = &plan->activities[i];
			coplan_activity *s = &scratch[n];

			s->ref = a->ref;
			s->has_cost_estimate = a->has_cost_estimate;
			s->has_cost_actual = a->has_cost_actual;
			s->cost_estimate = a->cost_estimate;
			s->cost_actual = a->cost_actual;
			memcpy(s->currency, a->currency, sizeof(s->currency));
			s->paid_by = a->paid_by;
			if (a->n_shares && !(s->shares = malloc(a->n_shares * sizeof(*s->shares)))) {
				rc = cp_error(COPLAN_ENOMEM, "out of memory");
				break;
			}
			if (a->n_shares)
				memcpy(s->shares, a->shares, a->n_shares * sizeof(*s->shares));
			s->n_shares = a->n_shares;
			if (a->funding_line && !(s->funding_line = cp_strdup(a->funding_line))) {
				rc = cp_error(COPLAN_ENOMEM, "out of memory");
				break;
			}
			target[n++] = i;
			rc = read_row(s, rec, col, path);
		}
	}
	if (!rc) {
		for (size_t k = 0; k < n; k++)
			take_costs(&plan->activities[target[k]], &scratch[k]);
		if (n_rows)
			*n_rows = n;
	}
cleanup:
	if (scratch)
		for (size_t k = 0; k < t->n_records; k++) {
			free(scratch[k].shares);
			free(scratch[k].funding_line);
		}
	free(scratch);
	free(target);
	coplan_csv_table_free(t);
	return rc;
}
