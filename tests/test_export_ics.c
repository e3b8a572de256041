/* SPDX-License-Identifier: Apache-2.0 */
/* test_export_ics.c - the iCalendar export against the field cases (tests/data/ics-out) and libical's own parser. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <libical/ical.h>

#include "test_util.h"
#include "coplan/coplan.h"
#include "coplan/export.h"
#include "coplan/import.h"

#define NOW_1 ((time_t)1704880800)   /* 2024-01-10T10:00:00Z */
#define NOW_2 ((time_t)1717236000)   /* 2024-06-01T10:00:00Z */

static coplan_date iso(const char *s)
{
	coplan_date d = COPLAN_DATE_NONE;

	assert_int_equal(coplan_date_parse_iso(&d, s, (size_t)-1), 0);
	return d;
}

/* A plan holding one activity as a case describes it: {title, host, start, end_inclusive, location, notes}. */
static coplan_plan *plan_from_case(const json_t *act)
{
	coplan_plan *plan;
	coplan_activity *a;
	const char *loc = json_string_value(json_object_get(act, "location"));
	const char *notes = json_string_value(json_object_get(act, "notes"));

	assert_int_equal(coplan_plan_new(&plan), 0);
	plan->title = strdup("Cooperation Plan 2024");
	plan->year = 2024;
	assert_int_equal(coplan_plan_add_nation(plan, "ITA"), 0);
	assert_int_equal(coplan_plan_add_nation(plan, "JPN"), 0);
	assert_int_equal(coplan_plan_add_activity(plan, &a), 0);
	a->ref = strdup("CASE-01");
	a->title = strdup(json_string_value(json_object_get(act, "title")));
	memcpy(a->host, json_string_value(json_object_get(act, "host")), COPLAN_NATION_LEN);
	assert_int_equal(coplan_activity_add_participant(a, "ITA"), 0);
	assert_int_equal(coplan_activity_add_participant(a, "JPN"), 0);
	a->start = iso(json_string_value(json_object_get(act, "start")));
	a->end = iso(json_string_value(json_object_get(act, "end_inclusive")));
	a->duration = (int)(a->end - a->start + 1);
	a->day_mode = COPLAN_DAYS_CALENDAR;
	a->location = loc ? strdup(loc) : NULL;
	a->notes = notes ? strdup(notes) : NULL;
	assert_int_equal(coplan_plan_validate(plan), 0);
	return plan;
}

static char *export_ics(const coplan_plan *plan, time_t now, size_t *len)
{
	coplan_export_options opts = { 0 };
	char *out = NULL;
	size_t n = 0;
	int rc;

	opts.now = now;
	rc = coplan_export(&out, &n, plan, COPLAN_FORMAT_ICS, &opts);
	if (rc)
		fail_msg("export failed: %s", coplan_error_last());
	assert_int_equal(strlen(out), n);
	if (len)
		*len = n;
	return out;
}

/* 1 if s[0..n) is well-formed UTF-8 (written here apart from the exporter's own check). */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t k;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0) {
			k = 2;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			k = 3;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			k = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += k;
	}
	return 1;
}

/*
 * Check the physical form of a whole .ics text: no BOM, CRLF after every
 * line and nowhere else, physical lines of at most 75 octets, each valid
 * UTF-8 on its own, and no fold inside an escape sequence.  Returns the
 * unfolded text (logical lines joined by "\n"), the caller's to free.
 */
static char *check_form_and_unfold(const char *ics, size_t n)
{
	char *unfolded = malloc(n + 1);
	size_t u = 0, i = 0;
	int in_escape = 0;   /* the previous octet of the logical line was an escaping backslash */

	assert_non_null(unfolded);
	assert_true(n >= 2);
	assert_false(n >= 3 && (unsigned char)ics[0] == 0xEF && (unsigned char)ics[1] == 0xBB &&
	             (unsigned char)ics[2] == 0xBF);
	assert_memory_equal(ics + n - 2, "\r\n", 2);
	while (i < n) {
		const char *end = strstr(ics + i, "\r\n");
		size_t len;

		assert_non_null(end);
		len = (size_t)(end - (ics + i));
		if (len > 75)
			fail_msg("physical line of %zu octets: %.*s", len, (int)len, ics + i);
		assert_null(memchr(ics + i, '\n', len));
		assert_null(memchr(ics + i, '\r', len));
		if (!valid_utf8((const unsigned char *)ics + i, len))
			fail_msg("physical line not valid UTF-8 on its own: %.*s", (int)len, ics + i);
		if (ics[i] == ' ') {
			/* continuation: a fold must not have cut an escape in two */
			if (in_escape)
				fail_msg("fold splits an escape sequence before: %.*s", (int)len, ics + i);
			i++;
			len--;
		} else {
			if (u)
				unfolded[u++] = '\n';
			in_escape = 0;
		}
		for (size_t k = 0; k < len; k++) {
			char c = ics[i + k];

			in_escape = !in_escape && c == '\\';
			unfolded[u++] = c;
		}
		i += len + 2;
	}
	unfolded[u] = '\0';
	return unfolded;
}

/* The value of the first logical line "NAME:" or "NAME;...:" in unfolded text, malloc'd, or NULL. */
static char *prop_value(const char *unfolded, const char *name, const char *after)
{
	const char *p = unfolded;
	size_t nl = strlen(name);

	if (after) {
		p = strstr(unfolded, after);
		assert_non_null(p);
	}
	for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, name, nl) && (p[nl] == ':' || p[nl] == ';')) {
			const char *colon = strchr(p, ':');
			const char *eol = strchr(p, '\n');
			size_t len = eol ? (size_t)(eol - colon - 1) : strlen(colon + 1);
			char *v = malloc(len + 1);

			assert_non_null(v);
			memcpy(v, colon + 1, len);
			v[len] = '\0';
			return v;
		}
	}
	return NULL;
}

/* RFC 5545 3.3.11 unescaping, written here apart from the exporter. */
static char *unescape_text(const char *v)
{
	char *out = malloc(strlen(v) + 1), *o = out;

	assert_non_null(out);
	for (; *v; v++) {
		if (*v == '\\' && v[1]) {
			v++;
			*o++ = (*v == 'n' || *v == 'N') ? '\n' : *v;
		} else {
			*o++ = *v;
		}
	}
	*o = '\0';
	return out;
}

/* The text without the DTSTAMP lines, for comparing two exports. */
static char *without_dtstamp(const char *unfolded)
{
	char *out = malloc(strlen(unfolded) + 1), *o = out;
	const char *p = unfolded;

	assert_non_null(out);
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p + 1) : strlen(p);

		if (strncmp(p, "DTSTAMP", 7)) {
			memcpy(o, p, len);
			o += len;
		}
		p += len;
	}
	*o = '\0';
	return out;
}

/* Parse with libical and compare the one VEVENT with the activity. */
static void check_with_libical(const char *ics, const coplan_activity *a)
{
	icalcomponent *cal = icalparser_parse_string(ics), *ev;
	struct icaltimetype start, end;
	int y, m, d;
	size_t count = 0;

	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		count++;
	assert_int_equal(count, 1);
	ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	assert_string_equal(icalcomponent_get_summary(ev), a->title);
	if (a->location)
		assert_string_equal(icalcomponent_get_location(ev), a->location);
	start = icalcomponent_get_dtstart(ev);
	end = icalcomponent_get_dtend(ev);
	assert_true(start.is_date);
	assert_true(end.is_date);
	coplan_date_to_ymd(a->start, &y, &m, &d);
	assert_int_equal(start.year * 10000 + start.month * 100 + start.day, y * 10000 + m * 100 + d);
	coplan_date_to_ymd(a->end + 1, &y, &m, &d);
	assert_int_equal(end.year * 10000 + end.month * 100 + end.day, y * 10000 + m * 100 + d);
	icalcomponent_free(cal);
}

static void run_case(const char *name)
{
	char path[1024];
	json_error_t err;
	json_t *c, *v;
	coplan_plan *plan;
	char *ics1, *ics2, *u1, *u2, *s1, *s2, *summary, *uid, *stamp, *seq, *text;
	size_t n1, n2, i;
	int folded;

	snprintf(path, sizeof(path), "%s/ics-out/%s", COPLAN_TEST_DATA, name);
	c = json_load_file(path, 0, &err);
	if (!c)
		fail_msg("%s:%d: %s", path, err.line, err.text);
	plan = plan_from_case(json_object_get(c, "activity"));
	folded = !strncmp(json_string_value(json_object_get(c, "rules")), "folded", 6);
	ics1 = export_ics(plan, NOW_1, &n1);
	ics2 = export_ics(plan, NOW_2, &n2);

	/* the form every case needs: CRLF, no BOM, folding at 75 octets on UTF-8 and escape boundaries */
	u1 = check_form_and_unfold(ics1, n1);
	u2 = check_form_and_unfold(ics2, n2);
	text = folded ? ics1 : u1;
	json_array_foreach(json_object_get(c, "must_contain"), i, v)
		if (!strstr(text, json_string_value(v)))
			fail_msg("%s: missing '%s' in:\n%s", name, json_string_value(v), u1);
	json_array_foreach(json_object_get(c, "must_not_contain"), i, v)
		if (strstr(u1, json_string_value(v)) || strstr(ics1, json_string_value(v)))
			fail_msg("%s: must not contain '%s'", name, json_string_value(v));

	/* unfolding and unescaping gives back the SUMMARY exactly */
	summary = prop_value(u1, "SUMMARY", "BEGIN:VEVENT");
	assert_non_null(summary);
	text = unescape_text(summary);
	assert_string_equal(text, plan->activities[0].title);
	free(text);

	/* feed headers and the VEVENT's identity */
	assert_non_null(strstr(u1, "\nMETHOD:PUBLISH\n"));
	assert_non_null(strstr(u1, "\nVERSION:2.0\n"));
	assert_non_null(strstr(u1, "\nPRODID:-//coplan//coplan "));
	uid = prop_value(u1, "UID", "BEGIN:VEVENT");
	stamp = prop_value(u1, "DTSTAMP", "BEGIN:VEVENT");
	seq = prop_value(u1, "SEQUENCE", "BEGIN:VEVENT");
	assert_non_null(uid);
	assert_non_null(strchr(uid, '@'));
	assert_non_null(stamp);
	assert_string_equal(stamp, "20240110T100000Z");
	assert_non_null(seq);
	assert_string_equal(seq, "0");
	assert_non_null(strstr(u1, "\nDTEND;VALUE=DATE:"));

	/* two exports without a change: identical apart from DTSTAMP */
	assert_string_not_equal(u1, u2);
	s1 = without_dtstamp(u1);
	s2 = without_dtstamp(u2);
	assert_string_equal(s1, s2);

	check_with_libical(ics1, &plan->activities[0]);

	free(s1);
	free(s2);
	free(uid);
	free(stamp);
	free(seq);
	free(summary);
	free(u1);
	free(u2);
	free(ics1);
	free(ics2);
	coplan_plan_free(plan);
	json_decref(c);
}

/* Every file of tests/data/ics-out is a case and every case runs. */
static void test_field_cases(void **state)
{
	char dir[1024];
	DIR *d;
	struct dirent *e;
	int n = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/ics-out", COPLAN_TEST_DATA);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len < 6 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		print_message("case %s\n", e->d_name);
		run_case(e->d_name);
		n++;
	}
	closedir(d);
	assert_true(n >= 5);
}

/* Every TEXT property is escaped, every property folded, whatever it holds. */
static void test_escaping_and_folding_every_property(void **state)
{
	coplan_plan *plan;
	coplan_activity *a;
	char *ics, *u, *v, *text;
	char longtext[2048] = "";
	size_t n;

	(void)state;
	assert_int_equal(coplan_plan_new(&plan), 0);
	plan->title = strdup("Plan, Italy; Japan \\ 2024");
	plan->year = 2024;
	assert_int_equal(coplan_plan_add_nation(plan, "ITA"), 0);
	assert_int_equal(coplan_plan_add_activity(plan, &a), 0);
	assert_int_equal(coplan_activity_add_unit(a, "Nave Cavour, 1st division; JS Kaga"), 0);
	a->ref = strdup("IT-01");
	/* escapes packed so that a naive fold at 75 octets cuts one in two, at every offset */
	for (int i = 0; i < 60; i++)
		strncat(longtext, i % 3 == 0 ? "\n" : i % 3 == 1 ? ";é," : "\\x", sizeof(longtext) - strlen(longtext) - 1);
	a->title = strdup(longtext);
	a->area = strdup("cyber, space; EW");
	a->kind = strdup("seminar");
	memcpy(a->host, "ITA", 4);
	a->location = strdup("東京都新宿区市谷本村町5-1, 防衛省; A棟 \\ 2F");
	a->notes = strdup("first line\r\nsecond line\rthird line: with a colon");
	a->start = a->end = iso("2024-03-05");
	a->duration = 1;
	ics = export_ics(plan, NOW_1, &n);
	u = check_form_and_unfold(ics, n);

	v = prop_value(u, "X-WR-CALNAME", NULL);
	assert_string_equal(v, "Plan\\, Italy\\; Japan \\\\ 2024");
	free(v);
	v = prop_value(u, "CATEGORIES", "BEGIN:VEVENT");
	assert_string_equal(v, "cyber\\, space\\; EW");
	free(v);
	v = prop_value(u, "LOCATION", "BEGIN:VEVENT");
	assert_string_equal(v, "東京都新宿区市谷本村町5-1\\, 防衛省\\; A棟 \\\\ 2F");
	free(v);
	v = prop_value(u, "SUMMARY", "BEGIN:VEVENT");
	text = unescape_text(v);
	assert_string_equal(text, longtext);
	free(text);
	free(v);
	v = prop_value(u, "DESCRIPTION", "BEGIN:VEVENT");
	assert_non_null(strstr(v, "first line\\nsecond line\\nthird line: with a colon"));
	assert_non_null(strstr(v, "Units: Nave Cavour\\, 1st division\\; JS Kaga"));
	free(v);
	check_with_libical(ics, a);
	free(u);
	free(ics);
	coplan_plan_free(plan);
}

static void test_status_sequence_and_uids(void **state)
{
	static const struct {
		coplan_activity_status status;
		const char *expected;
	} map[] = {
		{ COPLAN_STATUS_PLANNED, "TENTATIVE" },
		{ COPLAN_STATUS_CONFIRMED, "CONFIRMED" },
		{ COPLAN_STATUS_EXECUTED, "CONFIRMED" },
		{ COPLAN_STATUS_POSTPONED, "TENTATIVE" },
		{ COPLAN_STATUS_CANCELLED, "CANCELLED" },
	};
	coplan_plan *plan;
	coplan_activity *a;
	char *ics, *u, *v, *uid1, *uid2;
	size_t n;

	(void)state;
	assert_int_equal(coplan_plan_new(&plan), 0);
	plan->title = strdup("Cooperation Plan 2024");
	plan->year = 2024;
	assert_int_equal(coplan_plan_add_activity(plan, &a), 0);
	a->ref = strdup("JP-03");
	a->title = strdup("Port call");
	memcpy(a->host, "JPN", 4);
	a->start = iso("2024-12-30");
	a->end = iso("2024-12-31");
	a->duration = 2;
	a->day_mode = COPLAN_DAYS_CALENDAR;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		plan->activities[0].status = map[i].status;
		plan->activities[0].sequence = (int)i + 3;
		ics = export_ics(plan, NOW_1, &n);
		u = check_form_and_unfold(ics, n);
		v = prop_value(u, "STATUS", "BEGIN:VEVENT");
		assert_string_equal(v, map[i].expected);
		free(v);
		v = prop_value(u, "SEQUENCE", "BEGIN:VEVENT");
		assert_int_equal(strtol(v, NULL, 10), (long)i + 3);
		free(v);
		/* the last day of the year ends on the first of the next */
		assert_non_null(strstr(u, "\nDTEND;VALUE=DATE:20250101\n"));
		free(u);
		free(ics);
	}

	/* the UID follows plan title, year and ref: the same on every export, another for another plan */
	ics = export_ics(plan, NOW_1, &n);
	u = check_form_and_unfold(ics, n);
	uid1 = prop_value(u, "UID", "BEGIN:VEVENT");
	free(u);
	free(ics);
	ics = export_ics(plan, NOW_2, &n);
	u = check_form_and_unfold(ics, n);
	uid2 = prop_value(u, "UID", "BEGIN:VEVENT");
	assert_string_equal(uid1, uid2);
	free(uid2);
	free(u);
	free(ics);
	free(plan->title);
	plan->title = strdup("Cooperation Plan 2025");
	ics = export_ics(plan, NOW_1, &n);
	u = check_form_and_unfold(ics, n);
	uid2 = prop_value(u, "UID", "BEGIN:VEVENT");
	assert_string_not_equal(uid1, uid2);
	assert_true(strlen(uid2) > strlen("@coplan"));
	assert_string_equal(uid2 + strlen(uid2) - strlen("@coplan"), "@coplan");
	free(uid1);
	free(uid2);
	free(u);
	free(ics);

	/* unplaced activities are no events */
	plan->activities[0].start = plan->activities[0].end = COPLAN_DATE_NONE;
	ics = export_ics(plan, NOW_1, &n);
	assert_null(strstr(ics, "BEGIN:VEVENT"));
	free(ics);
	coplan_plan_free(plan);
}

/* A 30-activity plan: written to COPLAN_TEST_TMP and read back by libical, event by event. */
static void test_whole_plan_read_back(void **state)
{
	char path[1024];
	coplan_plan *plan;
	icalcomponent *cal, *ev;
	char *ics, *u;
	size_t n, events = 0, placed = 0;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/json/plan-2024.json", COPLAN_TEST_DATA);
	if (coplan_import_plan_json(&plan, path))
		fail_msg("%s", coplan_error_last());
	ics = export_ics(plan, NOW_1, &n);
	u = check_form_and_unfold(ics, n);
	snprintf(path, sizeof(path), "%s/test_export_ics-plan-2024.ics", COPLAN_TEST_TMP);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(ics, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	free(ics);

	ics = test_read_file(path, NULL);
	cal = icalparser_parse_string(ics);
	assert_non_null(cal);
	for (size_t i = 0; i < plan->n_activities; i++)
		placed += plan->activities[i].start != COPLAN_DATE_NONE;
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		struct icaltimetype s = icalcomponent_get_dtstart(ev), e = icalcomponent_get_dtend(ev);
		coplan_date ds, de;
		long k = -1;

		events++;
		for (size_t i = 0; i < plan->n_activities && k < 0; i++)
			if (!strcmp(plan->activities[i].title, icalcomponent_get_summary(ev)))
				k = (long)i;
		assert_true(k >= 0);
		assert_int_equal(coplan_date_make(&ds, s.year, s.month, s.day), 0);
		assert_int_equal(coplan_date_make(&de, e.year, e.month, e.day), 0);
		assert_int_equal(ds, plan->activities[k].start);
		assert_int_equal(de, plan->activities[k].end + 1);
		assert_true(de > ds);
		assert_non_null(strstr(icalcomponent_get_uid(ev), "@coplan"));
	}
	assert_int_equal(events, placed);
	assert_true(events >= 25);
	icalcomponent_free(cal);
	free(ics);
	free(u);
	coplan_plan_free(plan);
}

/* The talks' sessions: timed events in the venue's zone with its VTIMEZONE; an unknown zone refused. */
static void test_timed_sessions(void **state)
{
	coplan_plan *plan;
	coplan_export_options opts = { 0 };
	coplan_talks_session ss = { "Plenary", coplan_date_from_ymd(2024, 7, 10), 540, 1440, "Asia/Tokyo",
	                            "Ichigaya" };
	char *ics = NULL;
	size_t len;

	(void)state;
	assert_int_equal(coplan_plan_new(&plan), 0);
	plan->title = strdup("Cooperation Plan 2024");
	plan->year = 2024;
	plan->has_talks = 1;
	plan->talks.series = strdup("ITA-JPN");
	plan->talks.edition = 9;
	assert_int_equal(coplan_talks_add_session(&plan->talks, &ss), 0);
	opts.now = 1;
	assert_int_equal(coplan_export(&ics, &len, plan, COPLAN_FORMAT_ICS, &opts), 0);
	assert_non_null(strstr(ics, "BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\n"));
	assert_non_null(strstr(ics, "DTSTART;TZID=Asia/Tokyo:20240710T090000\r\n"));
	/* an end at 24:00 is midnight of the next day */
	assert_non_null(strstr(ics, "DTEND;TZID=Asia/Tokyo:20240711T000000\r\n"));
	assert_non_null(strstr(ics, "SUMMARY:9th ITA-JPN staff talks: Plenary\r\n"));
	free(ics);
	/* a filtered feed (one host's activities) leaves the talks out */
	opts.host = "JPN";
	assert_int_equal(coplan_export(&ics, &len, plan, COPLAN_FORMAT_ICS, &opts), 0);
	assert_null(strstr(ics, "VTIMEZONE"));
	free(ics);
	opts.host = NULL;
	free(plan->talks.sessions[0].zone);
	plan->talks.sessions[0].zone = strdup("Mars/Olympus_Mons");
	assert_int_equal(coplan_export(&ics, &len, plan, COPLAN_FORMAT_ICS, &opts), COPLAN_EINVALID);
	assert_non_null(strstr(coplan_error_last(), "unknown time zone 'Mars/Olympus_Mons'"));
	coplan_plan_free(plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timed_sessions),
		cmocka_unit_test(test_field_cases),
		cmocka_unit_test(test_escaping_and_folding_every_property),
		cmocka_unit_test(test_status_sequence_and_uids),
		cmocka_unit_test(test_whole_plan_read_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
