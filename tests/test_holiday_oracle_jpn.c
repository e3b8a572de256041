/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_holiday_oracle_jpn.c - Japan 1970-2050 against tests/data/oracles/jpn-holidays-1970-2050.yml
 * (the holiday_jp project's list, from the Cabinet Office's): the same dates exactly, and the
 * same names except the disagreements listed below with their legal source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coplan/coplan.h"

#define ORACLE COPLAN_TEST_DATA "/oracles/jpn-holidays-1970-2050.yml"
#define FIRST 1970
#define LAST 2050
#define MAX_DAYS 2000

typedef struct {
	coplan_date date;
	char name[96];
} entry;

/*
 * Names where coplan follows the law's wording and the oracle does not; dates
 * agree.  Each: date, coplan's local name, the oracle's, and the source.
 */
static const struct {
	const char *date, *ours, *theirs, *source;
} known_names[] = {
	{ "1989-02-24", "昭和天皇の大喪の礼", "大喪の礼",
	  "Act No. 4 of 1989: 昭和天皇の大喪の礼の行われる日 (the oracle shortens it)" },
	{ "1993-06-09", "皇太子徳仁親王の結婚の儀", "結婚の儀",
	  "Act No. 32 of 1993: 皇太子徳仁親王の結婚の儀の行われる日 (the oracle shortens it)" },
	{ "2019-05-01", "天皇の即位の日", "休日（祝日扱い）",
	  "Act No. 99 of 2018 names the day 天皇の即位の日; the oracle gives its legal status" },
	{ "2019-10-22", "即位礼正殿の儀の行われる日", "休日（祝日扱い）",
	  "Act No. 99 of 2018 names the day 即位礼正殿の儀の行われる日; the oracle gives its status" },
	{ "2019-10-14", "体育の日", "体育の日（スポーツの日）",
	  "Act No. 57 of 2018 renames 体育の日 to スポーツの日 from 1 January 2020: in 2019 it was "
	  "still 体育の日 (the oracle adds the coming name)" },
};

static size_t read_oracle(entry *out)
{
	FILE *f = fopen(ORACLE, "r");
	char line[256];
	size_t n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		coplan_date d;

		line[strcspn(line, "\r\n")] = '\0';
		if (!strcmp(line, "---") || !*line)
			continue;
		assert_true(strlen(line) > 12 && line[10] == ':' && line[11] == ' ');
		assert_int_equal(coplan_date_parse_iso(&d, line, 10), 0);
		assert_true(n < MAX_DAYS);
		out[n].date = d;
		assert_true(strlen(line + 12) < sizeof(out[n].name));
		memcpy(out[n].name, line + 12, strlen(line + 12) + 1);
		n++;
	}
	fclose(f);
	return n;
}

static const char *known_name(coplan_date date, const char *ours, const char *theirs, int *used)
{
	char iso[COPLAN_DATE_ISO_LEN];

	coplan_date_format_iso(date, iso);
	for (size_t i = 0; i < sizeof(known_names) / sizeof(known_names[0]); i++)
		if (!strcmp(iso, known_names[i].date) && !strcmp(ours, known_names[i].ours) &&
		    !strcmp(theirs, known_names[i].theirs)) {
			used[i] = 1;
			return known_names[i].source;
		}
	return NULL;
}

static void same_days_and_names(void **state)
{
	static entry oracle[MAX_DAYS];
	size_t n_oracle = read_oracle(oracle), k = 0;
	int failures = 0, used[sizeof(known_names) / sizeof(known_names[0])] = { 0 };
	int compared = 0;

	(void)state;
	assert_true(n_oracle > 1300);
	for (int y = FIRST; y <= LAST; y++) {
		coplan_holiday *list;
		size_t n;

		assert_int_equal(coplan_holidays_list(&list, &n, "JPN", NULL, y), 0);
		for (size_t i = 0; i < n; i++) {
			char iso[COPLAN_DATE_ISO_LEN], expect[128];
			const char *theirs;

			coplan_date_format_iso(list[i].date, iso);
			while (k < n_oracle && oracle[k].date < list[i].date) {
				char o[COPLAN_DATE_ISO_LEN];
				print_error("JPN %s %s: in the oracle, not in coplan\n",
				            coplan_date_format_iso(oracle[k].date, o), oracle[k].name);
				failures++;
				k++;
			}
			if (k >= n_oracle || oracle[k].date != list[i].date) {
				print_error("JPN %s %s: in coplan, not in the oracle\n", iso,
				            list[i].local_name);
				failures++;
				continue;
			}
			theirs = oracle[k++].name;
			compared++;
			/*
			 * the oracle names a substitute day "X 振替休日" after one of the
			 * national holidays of the run just before it, not always the
			 * Sunday's (6 May 2008 after 5 May, 6 May 2020 after 3 May): accept
			 * any of that run
			 */
			if (list[i].kind == COPLAN_HOLIDAY_SUBSTITUTE) {
				snprintf(expect, sizeof(expect), "?");
				assert_true(i > 0 && list[i - 1].date == list[i].date - 1);
				for (size_t j = i; j > 0 && list[j - 1].date == list[j].date - 1; j--) {
					char cand[128];
					snprintf(cand, sizeof(cand), "%s 振替休日", list[j - 1].local_name);
					if (j == i || !strcmp(cand, theirs))
						snprintf(expect, sizeof(expect), "%s", cand);
				}
			} else if (list[i].kind == COPLAN_HOLIDAY_CITIZENS) {
				snprintf(expect, sizeof(expect), "休日");
			} else {
				snprintf(expect, sizeof(expect), "%s", list[i].local_name);
			}
			if (strcmp(expect, theirs) &&
			    !known_name(list[i].date, list[i].local_name, theirs, used)) {
				print_error("JPN %s: coplan '%s', the oracle '%s'\n", iso, expect, theirs);
				failures++;
			}
		}
		free(list);
	}
	for (; k < n_oracle; k++) {
		char o[COPLAN_DATE_ISO_LEN];
		print_error("JPN %s %s: in the oracle, not in coplan\n",
		            coplan_date_format_iso(oracle[k].date, o), oracle[k].name);
		failures++;
	}
	for (size_t i = 0; i < sizeof(known_names) / sizeof(known_names[0]); i++)
		if (!used[i]) {
			print_error("known disagreement %s no longer occurs\n", known_names[i].date);
			failures++;
		}
	print_message("%d days compared, %d failures\n", compared, failures);
	assert_int_equal(compared, (int)n_oracle);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_days_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
