/* SPDX-License-Identifier: Apache-2.0 */
/* export_ics.c - the plan as an iCalendar feed (RFC 5545): libical builds it, coplan folds it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "coplan/marking.h"
#include "export_int.h"

/*
 * Why coplan writes the lines itself: libical 3.0's
 * icalcomponent_as_ical_string() folds between the backslash and the letter
 * of an escape ("\" at the end of one line, "n" at the start of the next),
 * and it escapes neither CATEGORIES nor X- property values (a comma in an
 * area or a plan title would split the value).  So the calendar is built as
 * a libical component tree (the properties, parameters and non-text values
 * are libical's), and this file serialises that tree: every TEXT value
 * through ics_escape(), every content line through ics_fold().
 */

#define ICS_LINE_MAX 75   /* octets per physical line without CRLF (RFC 5545 3.1) */

/* Octets in the UTF-8 sequence that starts with byte c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	if (c >= 0xE0)
		return c <= 0xEF ? 3 : 1;
	if (c >= 0xC2)
		return 2;
	return 1;
}

/*
 * Append s as an RFC 5545 TEXT value (3.3.11): backslash, semicolon and
 * comma are escaped, a line break (LF, CRLF or CR) becomes "\n"; a colon
 * is left as it is.  Other control characters (which TEXT may not hold)
 * are dropped; tab is kept.
 */
static int ics_escape(cp_buf *out, const char *s)
{
	int rc = 0;

	for (; s && *s && !rc; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '\\': rc = cp_buf_puts(out, "\\\\"); break;
		case ';': rc = cp_buf_puts(out, "\\;"); break;
		case ',': rc = cp_buf_puts(out, "\\,"); break;
		case '\r':
			if (s[1] == '\n')
				s++;
			rc = cp_buf_puts(out, "\\n");
			break;
		case '\n': rc = cp_buf_puts(out, "\\n"); break;
		default:
			if ((c < 0x20 && c != '\t') || c == 0x7F)
				break;
			rc = cp_buf_putc(out, (char)c);
			break;
		}
	}
	return rc;
}

/*
 * Append the content line line[0..n) to out folded (RFC 5545 3.1): no
 * physical line longer than ICS_LINE_MAX octets without its CRLF, each
 * continuation starting with one space, and a fold never inside a UTF-8
 * character nor between a backslash and the character it escapes, so each
 * physical line is valid UTF-8 on its own.  Ends with CRLF.
 */
static int ics_fold(cp_buf *out, const char *line, size_t n)
{
	size_t width = 0;
	int rc;

	for (size_t i = 0; i < n;) {
		size_t k = line[i] == '\\' && i + 1 < n ? 2 : utf8_len((unsigned char)line[i]);

		if (k == 2 && line[i] == '\\')
			k = 1 + utf8_len((unsigned char)line[i + 1]);
		if (i + k > n)
			k = n - i;
		if (width + k > ICS_LINE_MAX) {
			if ((rc = cp_buf_add(out, "\r\n ", 3)))
				return rc;
			width = 1;
		}
		if ((rc = cp_buf_add(out, line + i, k)))
			return rc;
		width += k;
		i += k;
	}
	return cp_buf_add(out, "\r\n", 2);
}

/* 1 if the value is free text that coplan escapes itself. */
static int value_is_text(const icalproperty *prop, const icalvalue *value)
{
	icalvalue_kind kind = icalvalue_isa(value);

	return kind == ICAL_TEXT_VALUE || kind == ICAL_X_VALUE ||
	       icalproperty_isa((icalproperty *)prop) == ICAL_CATEGORIES_PROPERTY;
}

static int write_property(cp_buf *out, cp_buf *line, icalproperty *prop)
{
	icalvalue *value = icalproperty_get_value(prop);
	icalparameter *param;
	const char *name = icalproperty_get_property_name(prop);
	int rc;

	cp_buf_clear(line);
	if (!name || !value)
		return cp_error(COPLAN_EINVALID, "iCalendar: a property without a name or value");
	if ((rc = cp_buf_puts(line, name)))
		return rc;
	for (param = icalproperty_get_first_parameter(prop, ICAL_ANY_PARAMETER); param;
	     param = icalproperty_get_next_parameter(prop, ICAL_ANY_PARAMETER)) {
		const char *text = icalparameter_as_ical_string(param);

		if (!text)
			return cp_error(COPLAN_EINVALID, "iCalendar: property %s: a bad parameter", name);
		if ((rc = cp_buf_putc(line, ';')) || (rc = cp_buf_puts(line, text)))
			return rc;
	}
	if ((rc = cp_buf_putc(line, ':')))
		return rc;
	if (value_is_text(prop, value)) {
		const char *text = icalvalue_isa(value) == ICAL_X_VALUE ? icalvalue_get_x(value)
		                                                          : icalvalue_get_text(value);

		if (text && !cp_utf8_valid(text, strlen(text)))
			return cp_error(COPLAN_EINVALID, "iCalendar: property %s: text is not valid UTF-8", name);
		rc = ics_escape(line, text);
	} else {
		const char *text = icalvalue_as_ical_string(value);

		if (!text)
			return cp_error(COPLAN_EINVALID, "iCalendar: property %s: libical cannot write its value", name);
		rc = cp_buf_puts(line, text);
	}
	if (rc)
		return rc;
	return ics_fold(out, line->data, line->len);
}

static int write_component(cp_buf *out, cp_buf *line, icalcomponent *comp)
{
	const char *kind = icalcomponent_kind_to_string(icalcomponent_isa(comp));
	icalproperty *prop;
	icalcomponent *sub;
	int rc;

	if ((rc = cp_buf_printf(out, "BEGIN:%s\r\n", kind)))
		return rc;
	for (prop = icalcomponent_get_first_property(comp, ICAL_ANY_PROPERTY); prop;
	     prop = icalcomponent_get_next_property(comp, ICAL_ANY_PROPERTY))
		if ((rc = write_property(out, line, prop)))
			return rc;
	for (sub = icalcomponent_get_first_component(comp, ICAL_ANY_COMPONENT); sub;
	     sub = icalcomponent_get_next_component(comp, ICAL_ANY_COMPONENT))
		if ((rc = write_component(out, line, sub)))
			return rc;
	return cp_buf_printf(out, "END:%s\r\n", kind);
}

/* FNV-1a, 64 bits, over s and a separator byte: for stable UIDs, not for security. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(0x100000001b3);
	}
	h ^= 0x1F;
	return h * UINT64_C(0x100000001b3);
}

/*
 * The UID of an activity: stable for the same plan title, year and ref on
 * every export, and unique across plans: "<fnv1a64(title)>-<year>-<fnv1a64(ref)>@coplan"
 * in lower-case hex (docs/json-format.md, "iCalendar").
 */
static void activity_uid(char *out, size_t size, const coplan_plan *plan, const coplan_activity *a)
{
	const uint64_t basis = UINT64_C(0xcbf29ce484222325);

	snprintf(out, size, "%016llx-%04d-%016llx@coplan",
	         (unsigned long long)fnv1a(basis, plan->title), plan->year,
	         (unsigned long long)fnv1a(basis, a->ref));
}

static struct icaltimetype ical_date(coplan_date d)
{
	struct icaltimetype t = icaltime_null_date();
	int y, m, day;

	coplan_date_to_ymd(d, &y, &m, &day);
	t.year = y;
	t.month = m;
	t.day = day;
	t.is_date = 1;
	return t;
}

static int describe(cp_buf *d, const coplan_activity *a)
{
	int rc = 0;

	if (a->notes && *a->notes && ((rc = cp_buf_puts(d, a->notes)) || (rc = cp_buf_puts(d, "\n\n"))))
		return rc;
	if ((rc = cp_buf_printf(d, "Ref: %s\n", a->ref ? a->ref : "")))
		return rc;
	if (a->kind && (rc = cp_buf_printf(d, "Kind: %s\n", a->kind)))
		return rc;
	if (a->area && (rc = cp_buf_printf(d, "Area: %s\n", a->area)))
		return rc;
	if ((rc = cp_buf_printf(d, "Host: %s (%s)\n", cp_nation_label(a->host), a->host)))
		return rc;
	if (a->n_participants) {
		if ((rc = cp_buf_puts(d, "Participants: ")))
			return rc;
		for (size_t i = 0; i < a->n_participants; i++)
			if ((rc = cp_buf_printf(d, "%s%s", i ? ", " : "", a->participants[i])))
				return rc;
		if ((rc = cp_buf_putc(d, '\n')))
			return rc;
	}
	if (a->n_units) {
		if ((rc = cp_buf_puts(d, "Units: ")))
			return rc;
		for (size_t i = 0; i < a->n_units; i++)
			if ((rc = cp_buf_printf(d, "%s%s", i ? ", " : "", a->units[i])))
				return rc;
		if ((rc = cp_buf_putc(d, '\n')))
			return rc;
	}
	if ((rc = cp_buf_puts(d, "Duration: ")) || (rc = cp_export_duration(d, a)) ||
	    (rc = cp_buf_printf(d, "\nStatus: %s", coplan_activity_status_name(a->status))))
		return rc;
	return 0;
}

static enum icalproperty_status ical_status(coplan_activity_status status)
{
	switch (status) {
	case COPLAN_STATUS_CONFIRMED:
	case COPLAN_STATUS_EXECUTED:
		return ICAL_STATUS_CONFIRMED;
	case COPLAN_STATUS_CANCELLED:
		return ICAL_STATUS_CANCELLED;
	default:
		return ICAL_STATUS_TENTATIVE;
	}
}

/* Add p to comp; a NULL p (libical out of memory or refusing the value) is an error. */
static int add(icalcomponent *comp, icalproperty *p)
{
	if (!p)
		return cp_error(COPLAN_EINVALID, "iCalendar: libical refused a property (%s)",
		                icalerror_strerror(icalerrno));
	icalcomponent_add_property(comp, p);
	return 0;
}

static int add_date(icalcomponent *ev, icalproperty *p)
{
	icalparameter *value;

	if (!p)
		return add(ev, p);
	value = icalparameter_new_value(ICAL_VALUE_DATE);
	if (!value) {
		icalproperty_free(p);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	icalproperty_add_parameter(p, value);
	return add(ev, p);
}

/* An activity's text must be UTF-8 to go into a calendar: say which activity and which field. */
static int check_text(const coplan_activity *a, const char *field, const char *text)
{
	if (text && !cp_utf8_valid(text, strlen(text)))
		return cp_error(COPLAN_EINVALID, "activity '%s': %s is not valid UTF-8", a->ref ? a->ref : "?",
		                field);
	return 0;
}

static int add_event(icalcomponent *cal, const coplan_plan *plan, const coplan_activity *a,
                     struct icaltimetype stamp)
{
	cp_buf desc = CP_BUF_INIT(CP_BUF_DEFAULT_MAX), summary = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	char marking[COPLAN_LABEL_TEXT_MAX + 1];
	coplan_label label;
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	coplan_date end = a->end == COPLAN_DATE_NONE || a->end < a->start ? a->start : a->end;
	char uid[96];
	int rc;

	if (!ev)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	icalcomponent_add_component(cal, ev);
	if ((rc = check_text(a, "title", a->title)) || (rc = check_text(a, "area", a->area)) ||
	    (rc = check_text(a, "kind", a->kind)) || (rc = check_text(a, "location", a->location)) ||
	    (rc = check_text(a, "notes", a->notes)))
		return rc;
	for (size_t i = 0; i < a->n_units; i++)
		if ((rc = check_text(a, "unit", a->units[i])))
			return rc;
	activity_uid(uid, sizeof(uid), plan, a);
	/* its marking (docs/labels.md): CLASS, X-COPLAN-LABEL, and the summary's prefix above the lowest level */
	if ((rc = coplan_activity_marking(marking, sizeof(marking), plan, a, &label)))
		goto cleanup;
	if (label.level > 0 && (rc = cp_buf_printf(&summary, "(%s) ", marking)))
		goto cleanup;
	if ((rc = cp_buf_puts(&summary, a->title ? a->title : "")))
		goto cleanup;
	if ((rc = describe(&desc, a)))
		goto cleanup;
	if ((rc = add(ev, icalproperty_new_uid(uid))) ||
	    (rc = add(ev, icalproperty_new_dtstamp(stamp))) ||
	    (rc = add(ev, icalproperty_new_sequence(a->sequence))) ||
	    (rc = add_date(ev, icalproperty_new_dtstart(ical_date(a->start)))) ||
	    /* DTEND of an all-day event is exclusive: the day after the last day (RFC 5545 3.6.1). */
	    (rc = add_date(ev, icalproperty_new_dtend(ical_date(end + 1)))) ||
	    (rc = add(ev, icalproperty_new_summary(summary.data ? summary.data : ""))) ||
	    (rc = add(ev, icalproperty_new_class(label.level > 0 ? ICAL_CLASS_CONFIDENTIAL
	                                         : label.releasable_to_all ? ICAL_CLASS_PUBLIC
	                                                                   : ICAL_CLASS_PRIVATE))))
		goto cleanup;
	{
		icalproperty *x = icalproperty_new_x(marking);

		if (x)
			icalproperty_set_x_name(x, "X-COPLAN-LABEL");
		if ((rc = add(ev, x)))
			goto cleanup;
	}
	if (a->location && *a->location && (rc = add(ev, icalproperty_new_location(a->location))))
		goto cleanup;
	if ((rc = add(ev, icalproperty_new_description(desc.data ? desc.data : ""))))
		goto cleanup;
	if (a->area && *a->area && (rc = add(ev, icalproperty_new_categories(a->area))))
		goto cleanup;
	if ((rc = add(ev, icalproperty_new_status(ical_status(a->status)))) ||
	    (rc = add(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT))))
		goto cleanup;
cleanup:
	cp_buf_release(&desc);
	cp_buf_release(&summary);
	return rc;
}

/* The zone of a session: libical's copy of tzdata; NULL with an error for an unknown name. */
static icaltimezone *session_zone(const coplan_talks_session *ss)
{
	icaltimezone *z = ss->zone ? icaltimezone_get_builtin_timezone(ss->zone) : NULL;

	if (!z)
		cp_error(COPLAN_EINVALID, "staff talks session '%s': unknown time zone '%s' (expected "
		         "an IANA name such as Europe/Rome)", ss->title ? ss->title : "",
		         ss->zone ? ss->zone : "");
	return z;
}

static struct icaltimetype session_time(coplan_date date, int minute)
{
	struct icaltimetype t = ical_date(minute >= 1440 ? date + 1 : date);

	t.is_date = 0;
	t.hour = minute % 1440 / 60;
	t.minute = minute % 60;
	t.second = 0;
	return t;
}

/* The start of a session in UTC (for truncating its zone's rules). */
static struct icaltimetype session_utc(const coplan_talks_session *ss, icaltimezone *zone)
{
	struct icaltimetype t = session_time(ss->date, ss->start_minute);

	t.zone = zone;
	return icaltime_convert_to_zone(t, icaltimezone_get_utc_timezone());
}

/* A timed property (DTSTART, DTEND) at local time, with TZID=name (the zone of a VTIMEZONE in the feed). */
static int add_timed(icalcomponent *ev, icalproperty *p, const char *name)
{
	icalparameter *tzid;

	if (!p)
		return add(ev, p);
	tzid = icalparameter_new_tzid(name);
	if (!tzid) {
		icalproperty_free(p);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	icalproperty_add_parameter(p, tzid);
	return add(ev, p);
}

/*
 * RFC 5545 3.3.10: in a VTIMEZONE an RRULE's UNTIL is in UTC.  libical's
 * built-in zones give it in local time, which strict readers (python's
 * dateutil, so Home Assistant and others) refuse: convert it, with the
 * observance's TZOFFSETFROM (the offset in force before the change).
 */
static void utc_untils(icalcomponent *vtz)
{
	icalcomponent *obs;

	for (obs = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT); obs;
	     obs = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
		icalproperty *from = icalcomponent_get_first_property(obs, ICAL_TZOFFSETFROM_PROPERTY);
		icalproperty *rule;
		int offset = from ? icalproperty_get_tzoffsetfrom(from) : 0;

		for (rule = icalcomponent_get_first_property(obs, ICAL_RRULE_PROPERTY); rule;
		     rule = icalcomponent_get_next_property(obs, ICAL_RRULE_PROPERTY)) {
			struct icalrecurrencetype r = icalproperty_get_rrule(rule);

			if (icaltime_is_null_time(r.until) || r.until.is_date || icaltime_is_utc(r.until))
				continue;
			icaltime_adjust(&r.until, 0, 0, 0, -offset);
			r.until.zone = icaltimezone_get_utc_timezone();
			icalproperty_set_rrule(rule, r);
		}
	}
}

static int same_offsets(icalcomponent *a, icalcomponent *b)
{
	icalproperty *af = icalcomponent_get_first_property(a, ICAL_TZOFFSETFROM_PROPERTY);
	icalproperty *at = icalcomponent_get_first_property(a, ICAL_TZOFFSETTO_PROPERTY);
	icalproperty *bf = icalcomponent_get_first_property(b, ICAL_TZOFFSETFROM_PROPERTY);
	icalproperty *bt = icalcomponent_get_first_property(b, ICAL_TZOFFSETTO_PROPERTY);

	return af && at && bf && bt && icalcomponent_isa(a) == icalcomponent_isa(b) &&
	       icalproperty_get_tzoffsetfrom(af) == icalproperty_get_tzoffsetfrom(bf) &&
	       icalproperty_get_tzoffsetto(at) == icalproperty_get_tzoffsetto(bt);
}

/*
 * libical cuts a zone's current rule at 2037 into a rule with UNTIL and the
 * same rule again without: join them, so that today's rules read as one
 * open-ended RRULE each (what other calendars write, and what every reader
 * takes).
 */
static void merge_split_rules(icalcomponent *vtz)
{
	icalcomponent *obs[64], *c;
	int gone[64] = { 0 };
	size_t n = 0;

	/* gather first: removing components while libical iterates over them is unsafe */
	for (c = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT); c && n < 64;
	     c = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT))
		obs[n++] = c;
	for (size_t i = 0; i < n; i++) {
		icalproperty *ra = icalcomponent_get_first_property(obs[i], ICAL_RRULE_PROPERTY);
		struct icalrecurrencetype x;

		if (gone[i] || !ra || icaltime_is_null_time((x = icalproperty_get_rrule(ra)).until))
			continue;
		for (size_t j = 0; j < n; j++) {
			icalproperty *rb = icalcomponent_get_first_property(obs[j], ICAL_RRULE_PROPERTY);
			struct icalrecurrencetype y;

			if (j == i || gone[j] || !rb || !same_offsets(obs[i], obs[j]))
				continue;
			y = icalproperty_get_rrule(rb);
			if (!icaltime_is_null_time(y.until) || y.freq != x.freq ||
			    y.by_month[0] != x.by_month[0] || y.by_day[0] != x.by_day[0])
				continue;
			x.until = icaltime_null_time();
			icalproperty_set_rrule(ra, x);
			gone[j] = 1;
			break;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (gone[i]) {
			icalcomponent_remove_component(vtz, obs[i]);
			icalcomponent_free(obs[i]);
		}
	}
}

/*
 * The sessions of the staff talks as timed events in the venue's zone, and
 * one VTIMEZONE (from libical's tzdata) for every zone they use, first in
 * the calendar as RFC 5545 3.6.5 expects.
 */
static int add_sessions(icalcomponent *cal, const coplan_plan *plan, struct icaltimetype stamp)
{
	const coplan_staff_talks *t = &plan->talks;
	const uint64_t basis = UINT64_C(0xcbf29ce484222325);
	int rc = 0;

	for (size_t i = 0; i < t->n_sessions && !rc; i++) {
		icaltimezone *z = session_zone(&t->sessions[i]);
		int seen = 0;

		if (!z)
			return COPLAN_EINVALID;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(t->sessions[j].zone, t->sessions[i].zone);
		if (!seen) {
			icalcomponent *vtz = icalcomponent_new_clone(icaltimezone_get_component(z));

			if (!vtz)
				return cp_error(COPLAN_EINVALID, "time zone '%s': libical has no rules for it",
				                t->sessions[i].zone);
			/*
			 * Only the rules in force from the first session on (RFC 5545 3.6.5
			 * lets a VTIMEZONE cover just the times used): shorter, and without
			 * the historic UNTILs some readers (python's dateutil) refuse.
			 */
			icaltimezone_truncate_vtimezone(vtz, session_utc(&t->sessions[0], z),
			                                icaltime_null_time(), 1);
			merge_split_rules(vtz);
			utc_untils(vtz);
			/* the IANA name as TZID, not libical's prefixed one: what Google and Outlook expect */
			{
				icalproperty *id = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);

				if (id)
					icalproperty_set_tzid(id, t->sessions[i].zone);
			}
			icalcomponent_add_component(cal, vtz);
		}
	}
	for (size_t i = 0; i < t->n_sessions && !rc; i++) {
		const coplan_talks_session *ss = &t->sessions[i];
		icaltimezone *z = session_zone(ss);
		icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
		char uid[128], summary[64];

		if (!z || !ev) {
			icalcomponent_free(ev);
			return z ? cp_error(COPLAN_ENOMEM, "out of memory") : COPLAN_EINVALID;
		}
		icalcomponent_add_component(cal, ev);
		snprintf(uid, sizeof(uid), "%016llx-%04d-talks-%zu@coplan",
		         (unsigned long long)fnv1a(basis, plan->title), plan->year, i + 1);
		snprintf(summary, sizeof(summary), "%d%s %s staff talks: ", t->edition,
		         cp_ordinal_suffix(t->edition), t->series ? t->series : "");
		{
			cp_buf title = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);

			rc = cp_buf_puts(&title, summary);
			if (!rc)
				rc = cp_buf_puts(&title, ss->title ? ss->title : "");
			if (!rc &&
			    (!(rc = add(ev, icalproperty_new_uid(uid)))) &&
			    (!(rc = add(ev, icalproperty_new_dtstamp(stamp)))) &&
			    (!(rc = add(ev, icalproperty_new_sequence(0)))) &&
			    (!(rc = add_timed(ev, icalproperty_new_dtstart(session_time(ss->date, ss->start_minute)),
			                                   ss->zone))) &&
			    (!(rc = add_timed(ev, icalproperty_new_dtend(session_time(ss->date, ss->end_minute)),
			                                   ss->zone))) &&
			    (!(rc = add(ev, icalproperty_new_summary(title.data)))))
				rc = add(ev, icalproperty_new_categories("staff talks"));
			cp_buf_release(&title);
		}
		if (!rc && (ss->location || t->venue))
			rc = add(ev, icalproperty_new_location(ss->location ? ss->location : t->venue));
		if (!rc)
			rc = add(ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
	}
	return rc;
}

int cp_export_ics(cp_buf *out, const coplan_plan *plan, const cp_export_view *view)
{
	cp_buf line = CP_BUF_INIT(CP_BUF_DEFAULT_MAX);
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	struct icaltimetype stamp = icaltime_from_timet_with_zone(view->now, 0,
	                                                          icaltimezone_get_utc_timezone());
	icalproperty *name;
	int rc;

	if (!cal)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	if ((rc = add(cal, icalproperty_new_prodid("-//coplan//coplan " COPLAN_VERSION "//EN"))) ||
	    (rc = add(cal, icalproperty_new_version("2.0"))) ||
	    (rc = add(cal, icalproperty_new_calscale("GREGORIAN"))) ||
	    (rc = add(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH))))
		goto cleanup;
	name = icalproperty_new_x(plan->title ? plan->title : "Cooperation plan");
	if (name)
		icalproperty_set_x_name(name, "X-WR-CALNAME");
	if ((rc = add(cal, name)))
		goto cleanup;
	/* the calendar's marking: what the feed holds, combined (docs/labels.md) */
	{
		char marking[COPLAN_LABEL_TEXT_MAX + 1];
		icalproperty *x;

		if ((rc = coplan_plan_marking(marking, sizeof(marking), plan,
		                              (const coplan_activity *const *)view->items, view->n)))
			goto cleanup;
		if ((x = icalproperty_new_x(marking)))
			icalproperty_set_x_name(x, "X-COPLAN-LABEL");
		if ((rc = add(cal, x)))
			goto cleanup;
	}
	if (view->whole && plan->has_talks && plan->talks.n_sessions &&
	    (rc = add_sessions(cal, plan, stamp)))
		goto cleanup;
	for (size_t i = 0; i < view->n_placed; i++)
		if ((rc = add_event(cal, plan, view->items[i], stamp)))
			goto cleanup;
	rc = write_component(out, &line, cal);
cleanup:
	icalcomponent_free(cal);
	cp_buf_release(&line);
	return rc;
}
