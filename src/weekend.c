/* SPDX-License-Identifier: Apache-2.0 */
/* weekend.c - each nation's weekend, from CLDR's weekData read once a process. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "coplan/calendar.h"
#include "coplan/model.h"
#include "common.h"

/*
 * The weekends are not ours to keep: CLDR's supplemental data
 * (common/supplemental/supplementalData.xml, Debian's unicode-cldr-core)
 * holds them in <weekData> as
 *
 *     <weekendStart day="fri" territories="BH DZ EG IL ..."/>
 *     <weekendEnd day="sat" territories="BH DZ EG IL ..."/>
 *
 * by ISO 3166-1 alpha-2 territory.  The weekend runs from its start day
 * to its end day inclusive, going forward through the week (start = end:
 * one day).  Territory "001" (the world) gives the default of each
 * element separately: a territory listed only under weekendStart (IN, UG:
 * "sun") takes its end from 001 ("sun"), so its weekend is Sunday alone
 * (LDML, UTS #35 part 4, "Week Data").  Elements with an alt attribute are
 * variants and not read.
 *
 * The table is read once a process (pthread_once) into static storage and
 * never changes afterwards.
 */

/* More than CLDR's territories (about 260, most of them never listed here). */
#define WK_MAX 400

typedef struct {
	char territory[4];     /* "IL", or "001" */
	signed char start;     /* ISO weekday 1..7, or 0 when this element does not list it */
	signed char end;
} wk_entry;

typedef struct {
	wk_entry items[WK_MAX];
	size_t n;
	int code;              /* 0 when the table was read, else the error code */
	char error[512];       /* the message for code */
} wk_table;

static wk_table table;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static const char *const abbr[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
static const char *const full[] = { "monday", "tuesday", "wednesday", "thursday", "friday",
	                            "saturday", "sunday" };
static const char *const title[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

static const char *supplemental_path(void)
{
	const char *env = getenv("COPLAN_CLDR_SUPPLEMENTAL");

	return env && *env ? env : COPLAN_CLDR_SUPPLEMENTAL_PATH;
}

static wk_entry *entry(wk_table *t, const char *territory, size_t len)
{
	for (size_t i = 0; i < t->n; i++)
		if (strlen(t->items[i].territory) == len && !memcmp(t->items[i].territory, territory, len))
			return &t->items[i];
	if (t->n >= WK_MAX || len >= sizeof(t->items[0].territory))
		return NULL;
	memcpy(t->items[t->n].territory, territory, len);
	t->items[t->n].territory[len] = '\0';
	return &t->items[t->n++];
}

/* Read one weekendStart (is_start) or weekendEnd element; 0, or -1 on a fault in the data. */
static int read_element(wk_table *t, xmlTextReaderPtr reader, int is_start)
{
	xmlChar *day = xmlTextReaderGetAttribute(reader, BAD_CAST "day");
	xmlChar *territories = xmlTextReaderGetAttribute(reader, BAD_CAST "territories");
	xmlChar *alt = xmlTextReaderGetAttribute(reader, BAD_CAST "alt");
	int wd = 0, rc = 0;

	if (alt)
		goto cleanup;
	if (!day || !territories || coplan_weekday_parse(&wd, (const char *)day) != 0) {
		rc = -1;
		goto cleanup;
	}
	for (const char *p = (const char *)territories; *p;) {
		size_t len;
		wk_entry *e;

		p += strspn(p, " \t\r\n");
		len = strcspn(p, " \t\r\n");
		if (!len)
			break;
		if (!(e = entry(t, p, len))) {
			rc = -1;
			goto cleanup;
		}
		if (is_start)
			e->start = (signed char)wd;
		else
			e->end = (signed char)wd;
		p += len;
	}
cleanup:
	xmlFree(day);
	xmlFree(territories);
	xmlFree(alt);
	return rc;
}

static void table_fail(wk_table *t, int code, const char *fmt, const char *path)
{
	t->code = code;
	snprintf(t->error, sizeof(t->error), fmt, path);
}

static void table_load(void)
{
	const char *path = supplemental_path();
	wk_table *t = &table;
	xmlTextReaderPtr reader;
	const wk_entry *world = NULL;
	int step, bad = 0;

	reader = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!reader) {
		table_fail(t, COPLAN_EIO, "%s: cannot read CLDR's supplemental data for the nations' "
		           "weekends (install unicode-cldr-core)", path);
		return;
	}
	while ((step = xmlTextReaderRead(reader)) == 1) {
		const char *name;

		if (xmlTextReaderNodeType(reader) != XML_READER_TYPE_ELEMENT)
			continue;
		name = (const char *)xmlTextReaderConstLocalName(reader);
		if (name && !strcmp(name, "weekendStart"))
			bad |= read_element(t, reader, 1);
		else if (name && !strcmp(name, "weekendEnd"))
			bad |= read_element(t, reader, 0);
	}
	xmlFreeTextReader(reader);
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->items[i].territory, "001"))
			world = &t->items[i];
	if (step < 0 || bad)
		table_fail(t, COPLAN_EIO, "%s: damaged weekData in CLDR's supplemental data", path);
	else if (!world || !world->start || !world->end)
		table_fail(t, COPLAN_EIO, "%s: not CLDR's supplemental data (no weekend for the "
		           "world, territory 001)", path);
}

/* The weekend days from start to end inclusive, forward through the week. */
static unsigned span(int start, int end)
{
	unsigned days = 0;

	for (int wd = start;; wd = wd == 7 ? 1 : wd + 1) {
		days |= COPLAN_WEEKDAY_BIT(wd);
		if (wd == end)
			break;
	}
	return days;
}

static const wk_entry *lookup(const char *territory)
{
	for (size_t i = 0; i < table.n; i++)
		if (!strcmp(table.items[i].territory, territory))
			return &table.items[i];
	return NULL;
}

int coplan_weekend_of(unsigned *days, const char *nation)
{
	const char *alpha2 = NULL;
	const wk_entry *world, *own;
	int start, end;

	pthread_once(&table_once, table_load);
	if (table.code)
		return cp_error(table.code, "%s", table.error);
	world = lookup("001");
	if (nation && strcmp(nation, "001")) {
		char upper[COPLAN_NATION_LEN] = "";

		for (size_t i = 0; i < 3 && nation[i]; i++)
			upper[i] = (char)(nation[i] >= 'a' && nation[i] <= 'z' ? nation[i] - 'a' + 'A'
			                                                      : nation[i]);
		if (strlen(nation) == 3)
			alpha2 = cp_nation_alpha2(upper);
		if (!alpha2)
			return cp_error(COPLAN_ENOTFOUND, "unknown nation '%s' (expected ISO 3166-1 "
			                "alpha-3, e.g. ITA)", nation);
	}
	own = alpha2 ? lookup(alpha2) : NULL;
	start = own && own->start ? own->start : world->start;
	end = own && own->end ? own->end : world->end;
	*days = span(start, end);
	return 0;
}

int coplan_weekday_parse(int *weekday, const char *name)
{
	for (int i = 0; name && i < 7; i++) {
		if (cp_strcaseeq(name, abbr[i]) || cp_strcaseeq(name, full[i])) {
			*weekday = i + 1;
			return 0;
		}
	}
	return cp_error(COPLAN_EINVALID, "unknown weekday '%s' (expected mon, tue, wed, thu, fri, "
	                "sat or sun)", name ? name : "");
}

const char *coplan_weekday_abbr(int weekday)
{
	return weekday >= 1 && weekday <= 7 ? abbr[weekday - 1] : NULL;
}

char *coplan_weekend_format(char *buf, size_t size, unsigned days)
{
	size_t len = 0;
	int first = 0, runs = 0;

	if (!size)
		return buf;
	buf[0] = '\0';
	days &= COPLAN_WEEKEND_ALL;
	if (!days) {
		snprintf(buf, size, "none");
		return buf;
	}
	if (days == COPLAN_WEEKEND_ALL) {
		snprintf(buf, size, "every day");
		return buf;
	}
	/* start at a weekday that begins a run: one whose previous day is not in the weekend */
	for (int wd = 1; wd <= 7 && !first; wd++)
		if ((days & COPLAN_WEEKDAY_BIT(wd)) && !(days & COPLAN_WEEKDAY_BIT(wd == 1 ? 7 : wd - 1)))
			first = wd;
	for (int i = 0, wd = first; i < 7; i++, wd = wd == 7 ? 1 : wd + 1) {
		int last = wd, n;

		if (!(days & COPLAN_WEEKDAY_BIT(wd)))
			continue;
		while (i < 6 && (days & COPLAN_WEEKDAY_BIT(last == 7 ? 1 : last + 1))) {
			last = last == 7 ? 1 : last + 1;
			i++;
		}
		if (last == wd)
			n = snprintf(buf + len, size - len, "%s%s", runs ? ", " : "", title[wd - 1]);
		else
			n = snprintf(buf + len, size - len, "%s%s\xe2\x80\x93%s", runs ? ", " : "",
			             title[wd - 1], title[last - 1]);
		if (n < 0 || (size_t)n >= size - len) {
			buf[len] = '\0'; /* a run that does not fit is left out whole */
			break;
		}
		len += (size_t)n;
		runs++;
		wd = last;
	}
	return buf;
}
