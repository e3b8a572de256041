/* SPDX-License-Identifier: Apache-2.0 */
/* ical_import.c - calendars in: iCalendar holiday feeds and units' busy periods, through libical. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "coplan/ical.h"
#include "coplan/import.h"
#include "buf.h"
#include "common.h"
#include "import_priv.h"

/*
 * Two stages.  The first (prep_*) reads the bytes as they come from the
 * field: it strips a BOM, splits lines on CR, LF or CRLF, unfolds, checks
 * UTF-8, splits each content line into name, parameters and value outside
 * quotes, checks nesting and the date, duration and rule values of events,
 * and writes clean CRLF text for libical in which every property of an
 * event carries its physical line as the parameter X-COPLAN-LINE (and each
 * VEVENT an X-COPLAN-LINE property), so that later errors can name it.
 * The second (read_*) walks libical's components: zones, spans,
 * recurrences.
 */

#define LINE_TAG "X-COPLAN-LINE"
#define MAX_DEPTH 16
#define NAME_MAX_LEN 64
#define EXCERPT 48
/* Iterations of one rule before its horizon, whatever it emits: a guard against FREQ=SECONDLY. */
#define MAX_ITERATIONS 200000

/* ---- stage 1: the text ---- */

typedef struct {
	const char *name;
	cp_buf out;
	char stack[MAX_DEPTH][NAME_MAX_LEN];
	size_t stack_line[MAX_DEPTH];
	size_t depth;
	int calendars;
} prep;

/* Bytes of s[0..n) to quote in a message: at most EXCERPT, never cutting a UTF-8 character. */
static int excerpt(const char *s, size_t n)
{
	if (n <= EXCERPT)
		return (int)n;
	n = EXCERPT;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

static void upper_copy(char *dst, size_t cap, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < cap; i++)
		dst[i] = (char)toupper((unsigned char)s[i]);
	dst[i] = '\0';
}

/*
 * The value of parameter pname in params[0..n) (";A=B;C="D:E""), quotes
 * stripped, into buf; 1 if present.
 */
static int param_value(const char *params, size_t n, const char *pname, char *buf, size_t cap)
{
	size_t i = 0, plen = strlen(pname);

	while (i < n) {
		size_t start, eq, end;
		int quoted = 0;

		if (params[i] == ';')
			i++;
		start = i;
		for (end = i; end < n && (quoted || params[end] != ';'); end++)
			if (params[end] == '"')
				quoted = !quoted;
		eq = start;
		while (eq < end && params[eq] != '=')
			eq++;
		if (eq - start == plen && !strncasecmp(params + start, pname, plen) && eq < end) {
			const char *v = params + eq + 1;
			size_t vn = end - eq - 1;

			if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
				v++;
				vn -= 2;
			}
			if (vn >= cap)
				vn = cap - 1;
			memcpy(buf, v, vn);
			buf[vn] = '\0';
			return 1;
		}
		i = end;
	}
	return 0;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int num(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Check one DATE or DATE-TIME value (RFC 5545 3.3.4, 3.3.5); want: 'D' date, 'T' date-time, 0 either. */
static int check_when(prep *p, size_t line, const char *prop, const char *v, size_t n, int want)
{
	coplan_date d;
	int is_date = n == 8 && all_digits(v, 8);
	int is_time = (n == 15 || (n == 16 && v[15] == 'Z')) && all_digits(v, 8) && v[8] == 'T' &&
	              all_digits(v + 9, 6);

	if (!is_date && !is_time)
		return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "%s '%.*s' is not a date "
		                   "(expected YYYYMMDD or YYYYMMDDTHHMMSS)", prop, excerpt(v, n), v);
	if (want == 'D' && !is_date)
		return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "%s '%.*s' is not a date "
		                   "(VALUE=DATE expects YYYYMMDD)", prop, (int)n, v);
	if (want == 'T' && !is_time)
		return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "%s '%.*s' is not a date-time "
		                   "(VALUE=DATE-TIME expects YYYYMMDDTHHMMSS)", prop, (int)n, v);
	if (coplan_date_make(&d, num(v, 4), num(v + 4, 2), num(v + 6, 2)))
		return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "%s '%.*s' is not a date "
		                   "(no such day)", prop, (int)n, v);
	if (is_time && (num(v + 9, 2) > 23 || num(v + 11, 2) > 59 || num(v + 13, 2) > 60))
		return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "%s '%.*s' is not a time of day "
		                   "(expected hours 00-23, minutes and seconds 00-59)", prop, (int)n, v);
	return 0;
}

/*
 * n decimal digits s[0..n), optionally signed when sign is set, as *out
 * when it lies in [lo, hi]; 0 or -1.  Digits are counted before any
 * arithmetic, so no value overflows on the way.
 */
static int bounded(const char *s, size_t n, int sign, long lo, long hi, long *out)
{
	long v = 0, neg = 1;
	size_t i = 0;

	if (sign && n && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-' ? -1 : 1;
		i = 1;
	}
	if (i == n || n - i > 9 || !all_digits(s + i, n - i))
		return -1;
	for (; i < n; i++)
		v = v * 10 + (s[i] - '0');
	v *= neg;
	if (v < lo || v > hi)
		return -1;
	if (out)
		*out = v;
	return 0;
}

/*
 * A DURATION (RFC 5545 3.3.6: [+-]P, then nW, or nD and/or T with nH nM nS)
 * whose numbers each have at most 9 digits and whose whole length is at most
 * COPLAN_ICAL_MAX_DURATION_DAYS, checked before libical reads it (libical's
 * fields are 32-bit and wrap: P99999999999999999999W became 7977 years).
 */
static int check_duration(prep *p, size_t line, const char *prop, const char *v, size_t n)
{
	struct icaldurationtype dur;
	size_t i = 0;
	int64_t secs = 0;
	int bad = 0, big = 0, units = 0;
	char *s;

	if (i < n && (v[i] == '+' || v[i] == '-'))
		i++;
	if (i < n && v[i] == 'P')
		i++;
	else
		bad = 1;
	while (!bad && i < n) {
		size_t d = i;
		long x;

		if (v[i] == 'T') {
			i++;
			continue;
		}
		while (d < n && v[d] >= '0' && v[d] <= '9')
			d++;
		if (d == i || d == n) {
			bad = 1;
			break;
		}
		if (bounded(v + i, d - i, 0, 0, 999999999L, &x)) {
			big = 1;
			break;
		}
		switch (v[d]) {
		case 'W': secs += (int64_t)x * 7 * 86400; break;
		case 'D': secs += (int64_t)x * 86400; break;
		case 'H': secs += (int64_t)x * 3600; break;
		case 'M': secs += (int64_t)x * 60; break;
		case 'S': secs += x; break;
		default: bad = 1; break;
		}
		units++;
		i = d + 1;
	}
	if (!bad && !big && secs > (int64_t)COPLAN_ICAL_MAX_DURATION_DAYS * 86400)
		big = 1;
	if (big)
		return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "%s '%.*s' is out of range (a "
		                   "duration is at most %d days)", prop, excerpt(v, n), v,
		                   COPLAN_ICAL_MAX_DURATION_DAYS);
	if (!(s = cp_strndup(v, n)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	dur = icaldurationtype_from_string(s);
	free(s);
	icalerror_clear_errno();
	if (bad || !units || icaldurationtype_is_bad_duration(dur) || dur.is_neg)
		return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "%s '%.*s' is not a duration "
		                   "(expected e.g. P1D, P2W or PT1H30M)", prop, excerpt(v, n), v);
	return 0;
}

/*
 * The numbers a recurrence rule part may hold (RFC 5545 3.3.10; RFC 7529 for
 * BYMONTH's leap "L"); signed parts never take 0.
 */
static const struct {
	const char *name;
	int sign;
	long lo, hi;
} rule_parts[] = {
	{ "COUNT", 0, 1, COPLAN_ICAL_MAX_COUNT },
	{ "INTERVAL", 0, 1, 32767 },          /* libical keeps it in a short */
	{ "BYSECOND", 0, 0, 60 },
	{ "BYMINUTE", 0, 0, 59 },
	{ "BYHOUR", 0, 0, 23 },
	{ "BYMONTHDAY", 1, -31, 31 },
	{ "BYYEARDAY", 1, -366, 366 },
	{ "BYWEEKNO", 1, -53, 53 },
	{ "BYMONTH", 0, 1, 13 },              /* 13: RSCALE calendars with a 13th month */
	{ "BYSETPOS", 1, -366, 366 },
	{ "BYDAY", 1, -53, 53 },              /* the ordinal before MO..SU, if any */
};

/* Every number of rule part name=v[0..n) in its range, 0 or an error naming line. */
static int check_rule_part(prep *p, size_t line, const char *name, size_t nlen, const char *v,
                           size_t n)
{
	const char *item = v, *end = v + n;
	size_t k, nparts = sizeof(rule_parts) / sizeof(rule_parts[0]);

	if (nlen == 5 && !strncasecmp(name, "UNTIL", 5))
		return check_when(p, line, "RRULE UNTIL", v, n, 0);
	for (k = 0; k < nparts; k++)
		if (strlen(rule_parts[k].name) == nlen && !strncasecmp(rule_parts[k].name, name, nlen))
			break;
	if (k == nparts)
		return 0;
	while (1) {
		const char *comma = memchr(item, ',', (size_t)(end - item));
		size_t len = comma ? (size_t)(comma - item) : (size_t)(end - item), digits = len;
		long x = 0;
		int byday = !strcmp(rule_parts[k].name, "BYDAY");

		if (byday)
			digits = len >= 2 ? len - 2 : len;  /* -1SU: the ordinal, then the day */
		else if (!strcmp(rule_parts[k].name, "BYMONTH") && len > 1 &&
		         (item[len - 1] == 'L' || item[len - 1] == 'l'))
			digits = len - 1;
		if (!(byday && digits == 0) &&
		    (bounded(item, digits, rule_parts[k].sign, rule_parts[k].lo, rule_parts[k].hi, &x) ||
		     (rule_parts[k].sign && x == 0)))
			return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "RRULE %s '%.*s' is out of "
			                   "range (expected %ld to %ld%s)", rule_parts[k].name,
			                   excerpt(item, len), item, rule_parts[k].lo, rule_parts[k].hi,
			                   rule_parts[k].sign ? ", not 0" : "");
		if (!comma)
			return 0;
		item = comma + 1;
	}
}

static int check_rule(prep *p, size_t line, const char *v, size_t n)
{
	struct icalrecurrencetype rule;
	const char *part = v, *end = v + n;
	char *s;
	int bad, rc;

	/* every number range-checked before libical turns it into an int or a short */
	while (part < end) {
		const char *semi = memchr(part, ';', (size_t)(end - part));
		size_t len = semi ? (size_t)(semi - part) : (size_t)(end - part);
		const char *eq = memchr(part, '=', len);

		if (eq && (rc = check_rule_part(p, line, part, (size_t)(eq - part), eq + 1,
		                                len - (size_t)(eq - part) - 1)))
			return rc;
		part += len + 1;
	}
	if (!(s = cp_strndup(v, n)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	icalerror_clear_errno();
	rule = icalrecurrencetype_from_string(s);
	bad = rule.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR;
	icalerror_clear_errno();
	/* the parsed rule owns its RSCALE name (RFC 7529), malloc'd by libical */
	free(rule.rscale);
	free(s);
	if (bad)
		return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "RRULE '%.*s' is not a recurrence "
		                   "rule (expected e.g. FREQ=WEEKLY;BYDAY=MO;UNTIL=20241231; RFC 5545 3.3.10)",
		                   excerpt(v, n), v);
	return 0;
}

/* Check the value of a property of a VEVENT that coplan reads. */
static int check_event_property(prep *p, size_t line, const char *name, const char *params,
                                size_t plen, const char *v, size_t n)
{
	char type[32] = "";
	int want, rc;

	param_value(params, plen, "VALUE", type, sizeof(type));
	want = cp_strcaseeq(type, "DATE") ? 'D' : cp_strcaseeq(type, "DATE-TIME") ? 'T' : 0;
	if (!strcmp(name, "DURATION"))
		return check_duration(p, line, name, v, n);
	if (!strcmp(name, "RRULE"))
		return check_rule(p, line, v, n);
	if (strcmp(name, "DTSTART") && strcmp(name, "DTEND") && strcmp(name, "RECURRENCE-ID") &&
	    strcmp(name, "EXDATE") && strcmp(name, "RDATE"))
		return 0;
	if (!strcmp(name, "DTSTART") || !strcmp(name, "DTEND") || !strcmp(name, "RECURRENCE-ID")) {
		if (memchr(v, ',', n))
			return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "%s '%.*s' holds more than "
			                   "one date", name, excerpt(v, n), v);
	}
	while (1) {
		const char *comma = memchr(v, ',', n);
		size_t item = comma ? (size_t)(comma - v) : n;
		const char *slash = memchr(v, '/', item);

		if (slash && (!strcmp(name, "RDATE") && (cp_strcaseeq(type, "PERIOD") || !*type))) {
			/* a PERIOD: start/end or start/duration (RFC 5545 3.3.9) */
			size_t first = (size_t)(slash - v), rest = item - first - 1;

			if ((rc = check_when(p, line, name, v, first, 'T')))
				return rc;
			if (rest > 0 && slash[1] == 'P')
				rc = check_duration(p, line, name, slash + 1, rest);
			else
				rc = check_when(p, line, name, slash + 1, rest, 'T');
		} else {
			rc = check_when(p, line, name, v, item, want);
		}
		if (rc)
			return rc;
		if (!comma)
			break;
		n -= item + 1;
		v = comma + 1;
	}
	return 0;
}

/* One unfolded content line s[0..n), starting on physical line `line`. */
static int prep_content_line(prep *p, const char *s, size_t n, size_t line)
{
	char name[NAME_MAX_LEN], value[NAME_MAX_LEN];
	size_t name_end = 0, colon, valid;
	const char *in = p->depth ? p->stack[p->depth - 1] : "";
	int quoted = 0, rc;

	if (memchr(s, '\0', n))
		return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "a NUL byte in the line "
		                   "(iCalendar is text)");
	if ((valid = cp_utf8_valid_prefix(s, n)) < n)
		return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "invalid UTF-8 byte 0x%02X after "
		                   "'%.*s' (iCalendar text is UTF-8)", (unsigned char)s[valid],
		                   excerpt(s, valid), s);
	while (name_end < n && (isalnum((unsigned char)s[name_end]) || s[name_end] == '-'))
		name_end++;
	for (colon = name_end; colon < n && (quoted || s[colon] != ':'); colon++)
		if (s[colon] == '"')
			quoted = !quoted;
	if (name_end == 0 || colon == n || (s[name_end] != ';' && s[name_end] != ':'))
		return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "'%.*s' is not a content line "
		                   "(expected NAME:VALUE or NAME;PARAM=VALUE:VALUE%s)", excerpt(s, n), s,
		                   quoted ? "; a quote is never closed" : "");
	upper_copy(name, sizeof(name), s, name_end);
	upper_copy(value, sizeof(value), s + colon + 1, n - colon - 1);
	if (!p->depth && (strcmp(name, "BEGIN") || strcmp(value, "VCALENDAR")))
		return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "'%.*s' outside a calendar "
		                   "(expected BEGIN:VCALENDAR)", excerpt(s, n), s);
	if (!strcmp(name, "BEGIN")) {
		if (p->depth == MAX_DEPTH)
			return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "components nested more "
			                   "than %d deep", MAX_DEPTH);
		snprintf(p->stack[p->depth], NAME_MAX_LEN, "%s", value);
		p->stack_line[p->depth++] = line;
		if (!strcmp(value, "VCALENDAR"))
			p->calendars++;
		if ((rc = cp_buf_add(&p->out, s, n)) || (rc = cp_buf_puts(&p->out, "\r\n")))
			return rc;
		if (!strcmp(value, "VEVENT"))
			return cp_buf_printf(&p->out, LINE_TAG ":%zu\r\n", line);
		return 0;
	}
	if (!strcmp(name, "END")) {
		if (strcmp(value, in))
			return cp_error_at(COPLAN_EINVALID, p->name, line, 0, "END:%s does not close "
			                   "BEGIN:%s of line %zu", value, in, p->stack_line[p->depth - 1]);
		p->depth--;
		if ((rc = cp_buf_add(&p->out, s, n)))
			return rc;
		return cp_buf_puts(&p->out, "\r\n");
	}
	if (!strcmp(in, "VEVENT") &&
	    (rc = check_event_property(p, line, name, s + name_end, colon - name_end, s + colon + 1,
	                               n - colon - 1)))
		return rc;
	if ((rc = cp_buf_add(&p->out, s, name_end)) ||
	    (rc = cp_buf_printf(&p->out, ";" LINE_TAG "=%zu", line)) ||
	    (rc = cp_buf_add(&p->out, s + name_end, n - name_end)))
		return rc;
	return cp_buf_puts(&p->out, "\r\n");
}

/* Stage 1 over data[0..len): p->out receives libical's text. */
static int prep_run(prep *p, const char *data, size_t len)
{
	cp_buf logical = CP_BUF_INIT(COPLAN_IMPORT_MAX_BYTES);
	size_t i = 0, line = 0, start_line = 0;
	int open = 0, rc = 0;

	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len) {
		size_t end = i, next;

		while (end < len && data[end] != '\r' && data[end] != '\n')
			end++;
		next = end;
		if (next < len && data[next] == '\r')
			next++;
		if (next < len && data[next] == '\n' && (next == end || data[next - 1] == '\r'))
			next++;
		line++;
		if (end > i && (data[i] == ' ' || data[i] == '\t')) {
			if (!open) {
				rc = cp_error_at(COPLAN_EINVALID, p->name, line, 0, "a folded line (starting "
				                 "with a space or TAB) that continues no line");
				goto cleanup;
			}
			if ((rc = cp_buf_add(&logical, data + i + 1, end - i - 1)))
				goto cleanup;
		} else {
			if (open && (rc = prep_content_line(p, logical.data, logical.len, start_line)))
				goto cleanup;
			cp_buf_clear(&logical);
			open = end > i;
			start_line = line;
			if (open && (rc = cp_buf_add(&logical, data + i, end - i)))
				goto cleanup;
		}
		i = next;
	}
	if (open && (rc = prep_content_line(p, logical.data, logical.len, start_line)))
		goto cleanup;
	if (p->depth)
		rc = cp_error_at(COPLAN_EINVALID, p->name, p->stack_line[p->depth - 1], 0,
		                 "BEGIN:%s is never closed by END:%s", p->stack[p->depth - 1],
		                 p->stack[p->depth - 1]);
	else if (!p->calendars)
		rc = cp_error(COPLAN_EINVALID, "%s: not an iCalendar file (no BEGIN:VCALENDAR)", p->name);
cleanup:
	cp_buf_release(&logical);
	return rc;
}

/* ---- stage 2: the components ---- */

/* An instant or a day as a property gives it, resolved. */
typedef struct {
	int is_date;
	coplan_date date;          /* the local date of the wall-clock time (or the date) */
	int64_t utc;               /* timed: seconds since the epoch */
	struct icaltimetype wall;  /* timed: wall-clock time, no zone */
	icaltimezone *zone;        /* timed: its zone; NULL when floating */
	char label[128];           /* the zone's name for the event, or "" (a copy: libical
	                            * replaces a built-in zone's strings when it loads it) */
} moment;

/* A VEVENT as read. */
typedef struct {
	icalcomponent *comp;
	size_t line;
	const char *summary;
	const char *uid;
	moment start;
	int has_end, has_dur, has_rid, cancelled, recurs;
	moment end, rid;
	struct icaldurationtype dur;
} vevent;

/* An override (RECURRENCE-ID) of a recurring event's instance. */
typedef struct {
	const char *uid;
	moment rid;
} override;

typedef struct {
	char *windows;
	char *iana;
} zone_map;

typedef struct {
	const char *name;
	const coplan_ical_options *opts;
	size_t max_instances;
	icalcomponent *vcal;
	icaltimezone *floating;    /* X-WR-TIMEZONE or the default zone, or NULL */
	char floating_label[128];
	override *overrides;
	size_t n_overrides, cap_overrides;
	zone_map *maps;
	size_t n_maps, cap_maps;
	coplan_ical_calendar *cal;
	size_t cap_events;
} reader;

static size_t prop_line(icalproperty *prop, size_t fallback)
{
	for (icalparameter *par = icalproperty_get_first_parameter(prop, ICAL_X_PARAMETER); par;
	     par = icalproperty_get_next_parameter(prop, ICAL_X_PARAMETER)) {
		const char *name = icalparameter_get_xname(par), *v = icalparameter_get_xvalue(par);

		if (name && v && !strcmp(name, LINE_TAG))
			return (size_t)strtoul(v, NULL, 10);
	}
	return fallback;
}

static icalproperty *x_property(icalcomponent *comp, const char *name)
{
	for (icalproperty *prop = icalcomponent_get_first_property(comp, ICAL_X_PROPERTY); prop;
	     prop = icalcomponent_get_next_property(comp, ICAL_X_PROPERTY)) {
		const char *n = icalproperty_get_x_name(prop);

		if (n && cp_strcaseeq(n, name))
			return prop;
	}
	return NULL;
}

/*
 * The value of any property as text, whatever VALUE= parameter it carries:
 * "X-WR-CALNAME;VALUE=TEXT:..." has a TEXT value, not an X one, and
 * icalproperty_get_x() gives NULL for it.  NULL when it has no value.
 * Borrowed from libical (the property or its ring buffer).
 */
static const char *prop_text(icalproperty *prop)
{
	icalvalue *v = icalproperty_get_value(prop);

	if (!v)
		return NULL;
	switch (icalvalue_isa(v)) {
	case ICAL_X_VALUE:
		return icalvalue_get_x(v);
	case ICAL_TEXT_VALUE:
		return icalvalue_get_text(v);
	default:
		return icalproperty_get_value_as_string(prop);
	}
}

/* The text of calendar or event property name, NULL if absent; an error naming its line if unreadable. */
static int x_text(const reader *r, icalcomponent *comp, const char *name, const char **out)
{
	icalproperty *prop = x_property(comp, name);

	*out = NULL;
	if (!prop)
		return 0;
	if (!(*out = prop_text(prop)))
		return cp_error_at(COPLAN_EINVALID, r->name, prop_line(prop, 0), 0, "%s has no value "
		                   "that can be read as text", name);
	return 0;
}

/* The IANA name CLDR gives a Windows name, cached for the read; NULL and an error when none. */
static int windows_zone(reader *r, const char *tzid, const char **iana)
{
	char *found = NULL;
	int rc;

	for (size_t i = 0; i < r->n_maps; i++) {
		if (!strcmp(r->maps[i].windows, tzid)) {
			*iana = r->maps[i].iana;
			return 0;
		}
	}
	if ((rc = coplan_ical_windows_zone(&found, tzid)))
		return rc;
	if (cp_grow((void **)&r->maps, &r->cap_maps, r->n_maps + 1, sizeof(*r->maps)) ||
	    !(r->maps[r->n_maps].windows = cp_strdup(tzid))) {
		free(found);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	r->maps[r->n_maps++].iana = found;
	*iana = found;
	return 0;
}

/*
 * The zone a TZID names: an embedded VTIMEZONE, UTC, an IANA zone, a
 * libical-style prefixed IANA name, a Windows name through CLDR.  The zone's
 * name is copied to label (128 bytes): libical frees and replaces a built-in
 * zone's strings when it first loads the zone's rules.
 */
static int resolve_zone(reader *r, const char *tzid, size_t line, const char *prop,
                        icaltimezone **zone, char *label)
{
	const char *iana = NULL;
	int rc;

	if ((*zone = icalcomponent_get_timezone(r->vcal, tzid))) {
		snprintf(label, 128, "%s", icaltimezone_get_tzid(*zone) ? icaltimezone_get_tzid(*zone) : tzid);
		return 0;
	}
	if (cp_strcaseeq(tzid, "UTC") || cp_strcaseeq(tzid, "GMT") || cp_strcaseeq(tzid, "Etc/UTC") ||
	    cp_strcaseeq(tzid, "Z")) {
		*zone = icaltimezone_get_utc_timezone();
		snprintf(label, 128, "UTC");
		return 0;
	}
	if ((*zone = icaltimezone_get_builtin_timezone(tzid)) ||
	    (*zone = icaltimezone_get_builtin_timezone_from_tzid(tzid))) {
		const char *name = icaltimezone_get_location(*zone);

		snprintf(label, 128, "%s", name ? name : tzid);
		return 0;
	}
	rc = windows_zone(r, tzid, &iana);
	if (rc == COPLAN_ENOTFOUND)
		return cp_error_at(COPLAN_EINVALID, r->name, line, 0, "unknown time zone '%s' in %s "
		                   "(expected an embedded VTIMEZONE, an IANA name such as Europe/Rome "
		                   "or a Windows name such as W. Europe Standard Time)", tzid, prop);
	if (rc) {
		char why[512];

		snprintf(why, sizeof(why), "%s", coplan_error_last());
		return cp_error_at(rc, r->name, line, 0, "time zone '%s' in %s: %s", tzid, prop, why);
	}
	if (!(*zone = icaltimezone_get_builtin_timezone(iana)))
		return cp_error_at(COPLAN_EINVALID, r->name, line, 0, "time zone '%s' in %s: CLDR maps "
		                   "it to '%s', which tzdata does not know", tzid, prop, iana);
	snprintf(label, 128, "%s", iana);
	return 0;
}

static int64_t to_utc(struct icaltimetype wall, icaltimezone *zone)
{
	wall.zone = NULL;
	wall.is_date = 0;
	return (int64_t)icaltime_as_timet_with_zone(wall, zone ? zone : icaltimezone_get_utc_timezone());
}

/* The wall-clock time in zone (NULL: floating, read as UTC) of an instant. */
static struct icaltimetype to_wall(int64_t utc, icaltimezone *zone)
{
	struct icaltimetype t = icaltime_from_timet_with_zone((time_t)utc, 0,
		zone ? zone : icaltimezone_get_utc_timezone());

	t.zone = NULL;
	return t;
}

/* Resolve the time t of property prop (its TZID) into *m. */
static int resolve_moment(reader *r, icalproperty *prop, struct icaltimetype t, size_t line,
                          const char *what, moment *m)
{
	icalparameter *tz = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
	int rc;

	memset(m, 0, sizeof(*m));
	m->is_date = t.is_date;
	m->date = coplan_date_from_ymd(t.year, t.month, t.day);
	m->wall = t;
	m->wall.zone = NULL;
	if (t.is_date)
		return 0;
	if (icaltime_is_utc(t) && !tz) {
		m->zone = icaltimezone_get_utc_timezone();
		snprintf(m->label, sizeof(m->label), "UTC");
	} else if (tz && icalparameter_get_tzid(tz)) {
		char tzid[256];
		size_t n;

		snprintf(tzid, sizeof(tzid), "%s", icalparameter_get_tzid(tz));
		n = strlen(tzid);
		if (n >= 2 && tzid[0] == '"' && tzid[n - 1] == '"') {
			memmove(tzid, tzid + 1, n - 2);
			tzid[n - 2] = '\0';
		}
		if ((rc = resolve_zone(r, tzid, line, what, &m->zone, m->label)))
			return rc;
	} else {
		m->zone = r->floating;
		snprintf(m->label, sizeof(m->label), "%s", r->floating_label);
	}
	m->utc = to_utc(m->wall, m->zone);
	return 0;
}

/* 1 if the instance at m is the one at key (by date when either is a date, else by instant). */
static int same_instance(const moment *m, const moment *key)
{
	if (m->is_date || key->is_date)
		return m->date == key->date;
	return m->utc == key->utc;
}

/* 1 if instant utc is midnight on the wall clock of zone (NULL: UTC); its date into *date. */
static int midnight_in(int64_t utc, icaltimezone *zone, coplan_date *date)
{
	struct icaltimetype w = to_wall(utc, zone);

	*date = coplan_date_from_ymd(w.year, w.month, w.day);
	return !w.hour && !w.minute && !w.second;
}

/* The UTC date of the midnight nearest to instant utc. */
static coplan_date nearest_midnight(int64_t utc)
{
	int64_t t = utc + 43200, days = t / 86400 - (t % 86400 < 0);

	return coplan_date_from_ymd(1970, 1, 1) + (coplan_date)days;
}

/*
 * An all-day event written as a timed one: local midnight to midnight
 * converted to UTC, as mail servers export it (X-MICROSOFT-CDO-ALLDAYEVENT:
 * TRUE; Exchange and Outlook, [MS-OXCICAL] 2.1.3.1.1.20.1).  Read as all-day
 * when the event is flagged so (flagged 1), or when it is not flagged
 * (flagged -1; FALSE, 0, keeps it timed) and its times are UTC and fall on
 * midnight of the calendar's zone (X-WR-TIMEZONE, else the default zone).
 * The zones tried, in order: the event's own, the calendar's, UTC; with the
 * flag and no zone where both ends are midnight, each end is taken to the
 * nearest midnight (right for zones from UTC-12 to UTC+11:59).  Changes ev
 * in place; 0 or an error.
 */
static int timed_all_day(reader *r, vevent *ev, int flagged)
{
	icaltimezone *zones[3];
	coplan_date d0 = 0, d1 = 0;
	int64_t end;
	size_t n = 0, i;
	int found = 0;

	if (ev->start.is_date || !(ev->has_end || ev->has_dur) || flagged == 0)
		return 0;
	flagged = flagged > 0;
	end = ev->has_end ? ev->end.utc
	                  : ev->start.utc + (int64_t)icaldurationtype_as_int(ev->dur);
	if (end - ev->start.utc < 86400 - 3600)
		return 0; /* less than a day (a day is 23 hours at a change to summer time) */
	if (flagged)
		zones[n++] = ev->start.zone;
	if (flagged || ev->start.zone == icaltimezone_get_utc_timezone())
		if (r->floating)
			zones[n++] = r->floating;
	if (flagged)
		zones[n++] = NULL;
	for (i = 0; i < n && !found; i++)
		found = midnight_in(ev->start.utc, zones[i], &d0) && midnight_in(end, zones[i], &d1);
	if (!found && flagged) {
		d0 = nearest_midnight(ev->start.utc);
		d1 = nearest_midnight(end);
		found = d1 > d0;
	}
	if (!found || d1 <= d0)
		return 0;
	memset(&ev->start.wall, 0, sizeof(ev->start.wall));
	ev->start.is_date = 1;
	ev->start.date = d0;
	coplan_date_to_ymd(d0, &ev->start.wall.year, &ev->start.wall.month, &ev->start.wall.day);
	ev->start.wall.is_date = 1;
	ev->start.zone = NULL;
	ev->start.label[0] = '\0';
	ev->start.utc = 0;
	ev->end = ev->start;
	ev->end.date = d1;
	ev->has_end = 1;
	ev->has_dur = 0;
	return 0;
}

static int read_vevent(reader *r, icalcomponent *comp, vevent *ev)
{
	const char *flag = NULL;
	icalproperty *prop, *end_prop, *dur_prop;
	int rc;

	memset(ev, 0, sizeof(*ev));
	ev->comp = comp;
	prop = x_property(comp, LINE_TAG);
	ev->line = prop ? (size_t)strtoul(icalproperty_get_x(prop), NULL, 10) : 0;
	ev->summary = icalcomponent_get_summary(comp);
	if (!ev->summary)
		ev->summary = "";
	ev->uid = icalcomponent_get_uid(comp);
	if ((prop = icalcomponent_get_first_property(comp, ICAL_XLICERROR_PROPERTY)))
		return cp_error_at(COPLAN_EINVALID, r->name, ev->line, 0, "event '%s' cannot be read: %s",
		                   ev->summary, icalproperty_get_xlicerror(prop));
	prop = icalcomponent_get_first_property(comp, ICAL_STATUS_PROPERTY);
	ev->cancelled = prop && icalproperty_get_status(prop) == ICAL_STATUS_CANCELLED;
	if (!(prop = icalcomponent_get_first_property(comp, ICAL_DTSTART_PROPERTY)))
		return cp_error_at(COPLAN_EINVALID, r->name, ev->line, 0, "event '%s' has no DTSTART",
		                   ev->summary);
	if ((rc = resolve_moment(r, prop, icalproperty_get_dtstart(prop), prop_line(prop, ev->line),
	                         "DTSTART", &ev->start)))
		return rc;
	end_prop = icalcomponent_get_first_property(comp, ICAL_DTEND_PROPERTY);
	dur_prop = icalcomponent_get_first_property(comp, ICAL_DURATION_PROPERTY);
	if (end_prop && dur_prop)
		return cp_error_at(COPLAN_EINVALID, r->name, prop_line(dur_prop, ev->line), 0,
		                   "event '%s' has both DTEND and DURATION (RFC 5545 3.6.1 allows one)",
		                   ev->summary);
	if (end_prop) {
		size_t line = prop_line(end_prop, ev->line);

		ev->has_end = 1;
		if ((rc = resolve_moment(r, end_prop, icalproperty_get_dtend(end_prop), line, "DTEND",
		                         &ev->end)))
			return rc;
		if (ev->end.is_date != ev->start.is_date)
			return cp_error_at(COPLAN_EINVALID, r->name, line, 0, "DTEND is a %s but DTSTART is "
			                   "a %s (RFC 5545 3.6.1: both of one kind)",
			                   ev->end.is_date ? "date" : "date-time",
			                   ev->start.is_date ? "date" : "date-time");
		if (ev->end.is_date ? ev->end.date < ev->start.date : ev->end.utc < ev->start.utc)
			return cp_error_at(COPLAN_EINVALID, r->name, line, 0, "DTEND of '%s' is before its "
			                   "DTSTART", ev->summary);
	}
	if (dur_prop) {
		ev->has_dur = 1;
		ev->dur = icalproperty_get_duration(dur_prop);
		if (ev->start.is_date && (ev->dur.hours || ev->dur.minutes || ev->dur.seconds))
			return cp_error_at(COPLAN_EINVALID, r->name, prop_line(dur_prop, ev->line), 0,
			                   "DURATION of all-day event '%s' has hours, minutes or seconds "
			                   "(RFC 5545 3.8.2.5: days and weeks only)", ev->summary);
	}
	if ((rc = x_text(r, comp, "X-MICROSOFT-CDO-ALLDAYEVENT", &flag)) ||
	    (!flag && (rc = x_text(r, comp, "X-MICROSOFT-MSNCALENDAR-ALLDAYEVENT", &flag))) ||
	    (rc = timed_all_day(r, ev, !flag ? -1 : cp_strcaseeq(flag, "TRUE"))))
		return rc;
	if ((prop = icalcomponent_get_first_property(comp, ICAL_RECURRENCEID_PROPERTY))) {
		ev->has_rid = 1;
		if ((rc = resolve_moment(r, prop, icalproperty_get_recurrenceid(prop),
		                         prop_line(prop, ev->line), "RECURRENCE-ID", &ev->rid)))
			return rc;
	}
	ev->recurs = icalcomponent_get_first_property(comp, ICAL_RRULE_PROPERTY) ||
	             icalcomponent_get_first_property(comp, ICAL_RDATE_PROPERTY);
	return 0;
}

/* Append an instance of ev starting at s (ending at *end_utc when given: an RDATE period). */
static int emit(reader *r, const vevent *ev, const moment *s, const int64_t *end_utc, int recurring)
{
	coplan_ical_event *e;
	coplan_date after;
	int64_t end = 0;

	if (s->is_date) {
		int days = 1;

		if (ev->has_end)
			days = ev->end.date - ev->start.date;
		else if (ev->has_dur)
			days = ev->dur.weeks * 7 + (int)ev->dur.days;
		/* DTEND equal to DTSTART, as some writers give a one-day event: one day */
		after = s->date + (days > 0 ? days : 1);
	} else {
		struct icaltimetype w;
		coplan_date last;

		if (end_utc) {
			end = *end_utc;
		} else if (ev->has_end) {
			end = s->utc + (ev->end.utc - ev->start.utc);
		} else if (ev->has_dur) {
			/* nominal days and weeks on the wall clock, then the exact time (RFC 5545 3.3.6) */
			w = s->wall;
			w.day += ev->dur.weeks * 7 + (int)ev->dur.days;
			w = icaltime_normalize(w);
			end = to_utc(w, s->zone) + (int64_t)ev->dur.hours * 3600 +
			      (int64_t)ev->dur.minutes * 60 + ev->dur.seconds;
		} else {
			end = s->utc;
		}
		if (end < s->utc)
			end = s->utc;
		w = to_wall(end, s->zone);
		last = coplan_date_from_ymd(w.year, w.month, w.day);
		if (end > s->utc && !w.hour && !w.minute && !w.second)
			last--;  /* an end at midnight does not touch the next day */
		after = (last > s->date ? last : s->date) + 1;
	}
	if (cp_grow((void **)&r->cal->events, &r->cap_events, r->cal->n_events + 1, sizeof(*e)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	e = &r->cal->events[r->cal->n_events++];
	memset(e, 0, sizeof(*e));
	e->start = s->date;
	e->end_exclusive = after;
	e->line = ev->line;
	e->recurring = recurring;
	e->all_day = s->is_date;
	if (!s->is_date) {
		e->start_utc = s->utc;
		e->end_utc = end;
		e->floating = s->zone == NULL;
		if (s->label[0] && !(e->zone = cp_strdup(s->label)))
			return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	if (!(e->summary = cp_strdup(ev->summary)) || (ev->uid && !(e->uid = cp_strdup(ev->uid))))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	return 0;
}

static int overridden(const reader *r, const vevent *ev, const moment *m)
{
	if (!ev->uid)
		return 0;
	for (size_t i = 0; i < r->n_overrides; i++)
		if (!strcmp(r->overrides[i].uid, ev->uid) && same_instance(m, &r->overrides[i].rid))
			return 1;
	return 0;
}

typedef struct {
	moment *v;
	size_t n, cap;
} moments;

/* An instance of ev at m: emitted unless excluded, overridden, a repeat or outside [from, to]. */
static int instance(reader *r, const vevent *ev, const moment *m, const int64_t *end_utc,
                    const moments *ex, moments *done, coplan_date from, coplan_date to,
                    size_t line, size_t *count)
{
	size_t before;
	int rc;

	for (size_t i = 0; i < ex->n; i++)
		if (same_instance(m, &ex->v[i]))
			return 0;
	for (size_t i = 0; i < done->n; i++)
		if (same_instance(m, &done->v[i]))
			return 0;
	if (cp_grow((void **)&done->v, &done->cap, done->n + 1, sizeof(*done->v)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	done->v[done->n++] = *m;
	if (overridden(r, ev, m))
		return 0;
	before = r->cal->n_events;
	if ((rc = emit(r, ev, m, end_utc, 1)))
		return rc;
	if (r->cal->events[before].end_exclusive <= from) {
		/* ends before the horizon: not wanted */
		coplan_ical_event *e = &r->cal->events[before];

		free(e->summary);
		free(e->uid);
		free(e->zone);
		r->cal->n_events--;
		return 0;
	}
	if (++*count > r->max_instances) {
		char a[COPLAN_DATE_ISO_LEN], b[COPLAN_DATE_ISO_LEN];

		return cp_error_at(COPLAN_ELIMIT, r->name, line, 0, "event '%s' recurs more than %zu "
		                   "times from %s to %s", ev->summary, r->max_instances,
		                   coplan_date_format_iso(from, a), coplan_date_format_iso(to, b));
	}
	return 0;
}

/* The instance of ev at local time t (a date or a wall-clock time in ev's zone). */
static moment at(const vevent *ev, struct icaltimetype t)
{
	moment m = ev->start;

	m.date = coplan_date_from_ymd(t.year, t.month, t.day);
	if (!m.is_date) {
		m.wall = t;
		m.wall.zone = NULL;
		m.wall.is_date = 0;
		m.utc = to_utc(m.wall, m.zone);
	}
	return m;
}

/* Expand a recurring event (RRULE, RDATE, less EXDATE and overrides) over the horizon. */
static int expand(reader *r, const vevent *ev)
{
	moments ex = { 0 }, done = { 0 };
	coplan_date from, to;
	size_t count = 0;
	icalproperty *prop;
	int rc = 0, y, mo, d;

	if (r->opts && r->opts->horizon) {
		from = r->opts->from;
		to = r->opts->to;
	} else {
		coplan_date_to_ymd(ev->start.date, &y, &mo, &d);
		from = ev->start.date;
		to = coplan_date_from_ymd(y + COPLAN_ICAL_HORIZON_YEARS, mo, d);
	}
	for (prop = icalcomponent_get_first_property(ev->comp, ICAL_EXDATE_PROPERTY); prop;
	     prop = icalcomponent_get_next_property(ev->comp, ICAL_EXDATE_PROPERTY)) {
		if (cp_grow((void **)&ex.v, &ex.cap, ex.n + 1, sizeof(*ex.v))) {
			rc = cp_error(COPLAN_ENOMEM, "out of memory");
			goto cleanup;
		}
		if ((rc = resolve_moment(r, prop, icalproperty_get_exdate(prop), prop_line(prop, ev->line),
		                         "EXDATE", &ex.v[ex.n])))
			goto cleanup;
		ex.n++;
	}
	/* DTSTART is always the first instance (RFC 5545 3.8.5.3) */
	if (ev->start.date <= to &&
	    (rc = instance(r, ev, &ev->start, NULL, &ex, &done, from, to, ev->line, &count)))
		goto cleanup;
	for (prop = icalcomponent_get_first_property(ev->comp, ICAL_RRULE_PROPERTY); prop;
	     prop = icalcomponent_get_next_property(ev->comp, ICAL_RRULE_PROPERTY)) {
		struct icaltimetype dt = ev->start.wall, t;
		size_t line = prop_line(prop, ev->line), iterations = 0;
		icalrecur_iterator *it;

		if (!ev->start.is_date)
			dt.zone = ev->start.zone;
		if (!(it = icalrecur_iterator_new(icalproperty_get_rrule(prop), dt))) {
			rc = cp_error_at(COPLAN_EINVALID, r->name, line, 0, "RRULE of '%s' cannot be "
			                 "expanded from its DTSTART", ev->summary);
			goto cleanup;
		}
		for (t = icalrecur_iterator_next(it); !icaltime_is_null_time(t);
		     t = icalrecur_iterator_next(it)) {
			coplan_date day = coplan_date_from_ymd(t.year, t.month, t.day);
			moment m;

			if (day > to)
				break;
			if (++iterations > MAX_ITERATIONS) {
				rc = cp_error_at(COPLAN_ELIMIT, r->name, line, 0, "RRULE of '%s' gives more "
				                 "than %d instances before its horizon", ev->summary,
				                 MAX_ITERATIONS);
				break;
			}
			/*
			 * Instances well before the horizon are stepped over without the
			 * time-zone conversion, which libical makes slow for distant years
			 * (a daily rule from year 24 took minutes: found by fuzzing).
			 */
			if (day < from - 2)
				continue;
			m = at(ev, t);
			if ((rc = instance(r, ev, &m, NULL, &ex, &done, from, to, line, &count)))
				break;
		}
		icalrecur_iterator_free(it);
		if (rc)
			goto cleanup;
	}
	for (prop = icalcomponent_get_first_property(ev->comp, ICAL_RDATE_PROPERTY); prop;
	     prop = icalcomponent_get_next_property(ev->comp, ICAL_RDATE_PROPERTY)) {
		struct icaldatetimeperiodtype rd = icalproperty_get_rdate(prop);
		size_t line = prop_line(prop, ev->line);
		int is_period = !icaltime_is_null_time(rd.period.start);
		int64_t end = 0;
		moment m;

		if ((rc = resolve_moment(r, prop, is_period ? rd.period.start : rd.time, line, "RDATE",
		                         &m)))
			goto cleanup;
		if (m.is_date != ev->start.is_date) {
			rc = cp_error_at(COPLAN_EINVALID, r->name, line, 0, "RDATE is a %s but DTSTART is "
			                 "a %s", m.is_date ? "date" : "date-time",
			                 ev->start.is_date ? "date" : "date-time");
			goto cleanup;
		}
		if (is_period) {
			if (!icaltime_is_null_time(rd.period.end)) {
				moment e;

				if ((rc = resolve_moment(r, prop, rd.period.end, line, "RDATE", &e)))
					goto cleanup;
				end = e.utc;
			} else {
				end = m.utc + icaldurationtype_as_int(rd.period.duration);
			}
		}
		if (m.date <= to &&
		    (rc = instance(r, ev, &m, is_period ? &end : NULL, &ex, &done, from, to, line, &count)))
			goto cleanup;
	}
cleanup:
	free(ex.v);
	free(done.v);
	return rc;
}

static int read_calendar(reader *r, icalcomponent *vcal)
{
	icalcomponent *comp;
	icalproperty *prop;
	const char *text;
	vevent ev;
	int rc;

	r->vcal = vcal;
	r->floating = NULL;
	r->floating_label[0] = '\0';
	r->n_overrides = 0;
	if ((prop = icalcomponent_get_first_property(vcal, ICAL_XLICERROR_PROPERTY)))
		return cp_error(COPLAN_EINVALID, "%s: the calendar cannot be read: %s", r->name,
		                icalproperty_get_xlicerror(prop));
	/* parameters (VALUE=TEXT, X-...) may come on any property, X- ones included */
	if ((rc = x_text(r, vcal, "X-WR-CALNAME", &text)))
		return rc;
	if (text && !r->cal->calname && !(r->cal->calname = cp_strdup(text)))
		return cp_error(COPLAN_ENOMEM, "out of memory");
	/* X-WR-TIMEZONE (a de-facto extension) gives floating times a zone, and nothing else */
	if ((rc = x_text(r, vcal, "X-WR-TIMEZONE", &text)))
		return rc;
	if (text) {
		prop = x_property(vcal, "X-WR-TIMEZONE");
		if ((rc = resolve_zone(r, text, prop_line(prop, 0), "X-WR-TIMEZONE", &r->floating,
		                       r->floating_label)))
			return rc;
	} else if (r->opts && r->opts->default_zone) {
		if ((rc = resolve_zone(r, r->opts->default_zone, 0, "the default zone", &r->floating,
		                       r->floating_label)))
			return rc;
	}
	/* first the overrides, so that the instances they replace are left out */
	for (comp = icalcomponent_get_first_component(vcal, ICAL_VEVENT_COMPONENT); comp;
	     comp = icalcomponent_get_next_component(vcal, ICAL_VEVENT_COMPONENT)) {
		if ((rc = read_vevent(r, comp, &ev)))
			return rc;
		if (!ev.has_rid || !ev.uid)
			continue;
		if (cp_grow((void **)&r->overrides, &r->cap_overrides, r->n_overrides + 1,
		            sizeof(*r->overrides)))
			return cp_error(COPLAN_ENOMEM, "out of memory");
		r->overrides[r->n_overrides].uid = ev.uid;
		r->overrides[r->n_overrides++].rid = ev.rid;
	}
	for (comp = icalcomponent_get_first_component(vcal, ICAL_VEVENT_COMPONENT); comp;
	     comp = icalcomponent_get_next_component(vcal, ICAL_VEVENT_COMPONENT)) {
		if ((rc = read_vevent(r, comp, &ev)))
			return rc;
		if (ev.cancelled)
			r->cal->n_cancelled++;
		else if (ev.has_rid)
			rc = emit(r, &ev, &ev.start, NULL, 1);
		else if (ev.recurs)
			rc = expand(r, &ev);
		else
			rc = emit(r, &ev, &ev.start, NULL, 0);
		if (rc)
			return rc;
	}
	return 0;
}

void coplan_ical_calendar_free(coplan_ical_calendar *cal)
{
	if (!cal)
		return;
	for (size_t i = 0; i < cal->n_events; i++) {
		free(cal->events[i].summary);
		free(cal->events[i].uid);
		free(cal->events[i].zone);
	}
	free(cal->events);
	free(cal->calname);
	free(cal);
}

int coplan_ical_read(coplan_ical_calendar **out, const char *name, const char *data, size_t len,
                     const coplan_ical_options *opts)
{
	prep p = { .name = name, .out = CP_BUF_INIT(4 * (size_t)COPLAN_IMPORT_MAX_BYTES) };
	reader r = { .name = name, .opts = opts };
	icalcomponent *root = NULL, *vcal;
	int rc;

	if (len > COPLAN_IMPORT_MAX_BYTES)
		return cp_error(COPLAN_ELIMIT, "%s: %zu bytes, more than the %u an import accepts",
		                name, len, COPLAN_IMPORT_MAX_BYTES);
	r.max_instances = opts && opts->max_instances ? opts->max_instances : COPLAN_ICAL_MAX_INSTANCES;
	if (!(r.cal = calloc(1, sizeof(*r.cal)))) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = prep_run(&p, data, len)))
		goto cleanup;
	icalerror_clear_errno();
	root = icalparser_parse_string(p.out.data);
	if (!root) {
		rc = cp_error(COPLAN_EINVALID, "%s: not an iCalendar file (libical read no calendar)", name);
		goto cleanup;
	}
	if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT) {
		rc = read_calendar(&r, root);
	} else {
		for (vcal = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT);
		     vcal && !rc; vcal = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT))
			rc = read_calendar(&r, vcal);
	}
	if (rc)
		goto cleanup;
	*out = r.cal;
	r.cal = NULL;
cleanup:
	if (root)
		icalcomponent_free(root);
	for (size_t i = 0; i < r.n_maps; i++) {
		free(r.maps[i].windows);
		free(r.maps[i].iana);
	}
	free(r.maps);
	free(r.overrides);
	coplan_ical_calendar_free(r.cal);
	cp_buf_release(&p.out);
	return rc;
}

int coplan_ical_read_file(coplan_ical_calendar **out, const char *path,
                          const coplan_ical_options *opts)
{
	cp_buf b = CP_BUF_INIT(COPLAN_IMPORT_MAX_BYTES);
	int rc;

	if ((rc = cp_buf_read_file(&b, path)) == 0)
		rc = coplan_ical_read(out, path, b.data ? b.data : "", b.len, opts);
	cp_buf_release(&b);
	return rc;
}

/* ---- into a plan ---- */

static void plan_horizon(const coplan_plan *plan, coplan_ical_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	if (plan->window_from != COPLAN_DATE_NONE && plan->window_to != COPLAN_DATE_NONE &&
	    plan->window_from <= plan->window_to) {
		opts->horizon = 1;
		opts->from = plan->window_from;
		opts->to = plan->window_to;
	}
}

/* A calendar's bytes data[0..len) named path, or (data NULL) the file at path. */
static int read_source(coplan_ical_calendar **cal, const char *path, const char *data, size_t len,
                       const coplan_ical_options *opts)
{
	return data ? coplan_ical_read(cal, path, data, len, opts) : coplan_ical_read_file(cal, path, opts);
}

static int import_holidays(coplan_plan *plan, const char *path, const char *data, size_t len,
                           const char *nation, coplan_ical_import_report *report)
{
	coplan_ical_calendar *cal = NULL;
	coplan_ical_options opts;
	size_t old = plan->n_holidays;
	int rc = 0;

	if (report)
		memset(report, 0, sizeof(*report));
	if (!nation || !coplan_nation_valid(nation))
		return cp_error(COPLAN_EUSAGE, "unknown nation '%s' (expected ISO 3166-1 alpha-3, "
		                "e.g. AUS)", nation ? nation : "");
	plan_horizon(plan, &opts);
	if ((rc = read_source(&cal, path, data, len, &opts)))
		return rc;
	for (size_t i = 0; i < cal->n_events; i++) {
		const coplan_ical_event *e = &cal->events[i];

		if (e->end_exclusive - e->start > COPLAN_ICAL_MAX_HOLIDAY_DAYS) {
			rc = cp_error_at(COPLAN_EINVALID, path, e->line, 0, "holiday '%s' lasts %d days "
			                 "(a feed's holiday lasts at most %d)", e->summary,
			                 (int)(e->end_exclusive - e->start), COPLAN_ICAL_MAX_HOLIDAY_DAYS);
			goto cleanup;
		}
	}
	for (size_t i = 0; i < cal->n_events && !rc; i++) {
		const coplan_ical_event *e = &cal->events[i];

		for (coplan_date d = e->start; d < e->end_exclusive && !rc; d++)
			rc = coplan_plan_add_holiday(plan, nation, d, e->summary);
	}
	if (rc) {
		for (size_t i = old; i < plan->n_holidays; i++)
			free(plan->holidays[i].name);
		plan->n_holidays = old;
		goto cleanup;
	}
	if (report) {
		report->events = cal->n_events;
		report->cancelled = cal->n_cancelled;
		report->added = plan->n_holidays - old;
	}
cleanup:
	coplan_ical_calendar_free(cal);
	return rc;
}

static int import_blackouts(coplan_plan *plan, const char *path, const char *data, size_t len,
                            const char *unit, int hard, coplan_ical_import_report *report)
{
	coplan_ical_calendar *cal = NULL;
	coplan_ical_options opts;
	size_t old = plan->n_blackouts;
	int rc = 0;

	if (report)
		memset(report, 0, sizeof(*report));
	if (!unit || !*unit)
		return cp_error(COPLAN_EUSAGE, "which unit? (the name activities use for it)");
	plan_horizon(plan, &opts);
	if ((rc = read_source(&cal, path, data, len, &opts)))
		return rc;
	for (size_t i = 0; i < cal->n_events && !rc; i++) {
		const coplan_ical_event *e = &cal->events[i];

		rc = coplan_plan_add_blackout(plan, unit, e->start, e->end_exclusive - 1, hard,
		                              *e->summary ? e->summary : "busy");
	}
	if (rc) {
		for (size_t i = old; i < plan->n_blackouts; i++) {
			free(plan->blackouts[i].scope);
			free(plan->blackouts[i].reason);
			free(plan->blackouts[i].label);
		}
		plan->n_blackouts = old;
		goto cleanup;
	}
	if (report) {
		report->events = cal->n_events;
		report->cancelled = cal->n_cancelled;
		report->added = plan->n_blackouts - old;
	}
cleanup:
	coplan_ical_calendar_free(cal);
	return rc;
}

int coplan_ical_import_holidays(coplan_plan *plan, const char *path, const char *nation,
                                coplan_ical_import_report *report)
{
	return import_holidays(plan, path, NULL, 0, nation, report);
}

int coplan_ical_import_holidays_buffer(coplan_plan *plan, const char *name, const char *data,
                                       size_t len, const char *nation,
                                       coplan_ical_import_report *report)
{
	if (!data)
		return cp_error(COPLAN_EUSAGE, "coplan_ical_import_holidays_buffer: no data");
	return import_holidays(plan, name, data, len, nation, report);
}

int coplan_ical_import_blackouts(coplan_plan *plan, const char *path, const char *unit, int hard,
                                 coplan_ical_import_report *report)
{
	return import_blackouts(plan, path, NULL, 0, unit, hard, report);
}

int coplan_ical_import_blackouts_buffer(coplan_plan *plan, const char *name, const char *data,
                                        size_t len, const char *unit, int hard,
                                        coplan_ical_import_report *report)
{
	if (!data)
		return cp_error(COPLAN_EUSAGE, "coplan_ical_import_blackouts_buffer: no data");
	return import_blackouts(plan, name, data, len, unit, hard, report);
}
