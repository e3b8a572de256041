/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/ical.h - reading iCalendar files: holiday feeds and units' busy periods. */
#ifndef COPLAN_ICAL_H
#define COPLAN_ICAL_H

#include <stddef.h>
#include <stdint.h>
#include "coplan/date.h"
#include "coplan/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most instances one recurring event may give before the horizon; more is COPLAN_ELIMIT. */
#define COPLAN_ICAL_MAX_INSTANCES 10000

/* Years after its DTSTART a recurring event is expanded when no horizon is given. */
#define COPLAN_ICAL_HORIZON_YEARS 10

/*
 * Longest DURATION (RFC 5545 3.3.6) a calendar may give, in days (100 years):
 * a longer one, or one with a number of more than 9 digits, is an error
 * naming its line, never a wrapped value.
 */
#define COPLAN_ICAL_MAX_DURATION_DAYS 36525

/* Largest COUNT of a recurrence rule (RFC 5545 3.3.10); a larger one is an error naming its line. */
#define COPLAN_ICAL_MAX_COUNT 1000000

/* Longest event a holiday feed may hold, in days: a longer one is an error, not a year of holidays. */
#define COPLAN_ICAL_MAX_HOLIDAY_DAYS 366

/*
 * Where CLDR's table of Windows time-zone names lives (Debian package
 * unicode-cldr-core); the environment variable COPLAN_CLDR_WINDOWS_ZONES,
 * when set and not empty, names another copy.
 */
#define COPLAN_CLDR_WINDOWS_ZONES_PATH \
	"/usr/share/unicode/cldr/common/supplemental/windowsZones.xml"

/*
 * One event read from a calendar, or one instance of a recurring event.
 * Every event has a span of local dates [start, end_exclusive): for an
 * all-day event the dates as written (DTEND exclusive, RFC 5545 3.6.1);
 * for a timed event the days its wall-clock time touches in the zone of
 * its DTSTART (UTC for a "Z" time), an end at midnight not counting.
 */
typedef struct {
	char *summary;           /* SUMMARY, unescaped UTF-8; "" when there is none */
	char *uid;               /* UID, or NULL */
	size_t line;             /* line of its BEGIN:VEVENT in the file (1-based, physical) */
	int all_day;             /* 1: DTSTART is a DATE; start_utc and end_utc are 0 */
	int recurring;           /* 1: an instance of an RRULE or RDATE */
	int floating;            /* 1: timed, with neither a zone nor X-WR-TIMEZONE; the *_utc
	                          * fields hold the wall-clock time read as if it were UTC */
	coplan_date start;       /* first day (local date) */
	coplan_date end_exclusive; /* the day after the last day (local date), > start */
	int64_t start_utc;       /* timed: seconds since 1970-01-01T00:00:00Z */
	int64_t end_utc;         /* timed: the end, exclusive, >= start_utc */
	char *zone;              /* timed: the zone used ("Europe/Berlin", an embedded
	                          * VTIMEZONE's TZID, "UTC"), or NULL */
} coplan_ical_event;

/* What a calendar file held. */
typedef struct {
	coplan_ical_event *events; /* in file order, each recurring event's instances in time order */
	size_t n_events;
	size_t n_cancelled;        /* events and instances with STATUS:CANCELLED, left out */
	char *calname;             /* X-WR-CALNAME, or NULL */
} coplan_ical_calendar;

/* How to read a calendar.  Zero-initialised (or NULL) means the defaults. */
typedef struct {
	int horizon;             /* 1: expand recurring events only over [from, to] */
	coplan_date from;        /* inclusive local dates; used when horizon is 1 */
	coplan_date to;
	size_t max_instances;    /* per recurring event; 0: COPLAN_ICAL_MAX_INSTANCES */
	const char *default_zone;/* zone for floating times when the file has no
	                          * X-WR-TIMEZONE (IANA or Windows name); NULL: floating */
} coplan_ical_options;

/*
 * Read the iCalendar (RFC 5545) bytes data[0..len) through libical into a
 * new *out, freed by the caller with coplan_ical_calendar_free().  name is
 * the source in error messages ("feed.ics:14: ...").
 *
 * Accepted beyond libical: a UTF-8 byte-order mark; CR, LF or CRLF line
 * ends; lines folded with a space or a TAB (also inside a multi-byte
 * character); quoted parameter values.  All-day events: DTEND exclusive,
 * DURATION in days and weeks, neither meaning one day.  Timed events: the
 * TZID is an embedded VTIMEZONE, else an IANA zone (tzdata), else a
 * Windows zone name mapped by CLDR (coplan_ical_windows_zone()); floating
 * times take X-WR-TIMEZONE, then opts->default_zone.  RRULE, RDATE, EXDATE
 * and RECURRENCE-ID overrides are expanded over the horizon (opts, else
 * COPLAN_ICAL_HORIZON_YEARS from DTSTART).  Events with STATUS:CANCELLED
 * are counted in n_cancelled and left out.  Details: docs/ical-import.md.
 *
 * Nothing is dropped silently: an event that cannot be read fails the
 * whole read with COPLAN_EINVALID, the last error naming the file and
 * line: "feed.ics:14: DTSTART '2024-13-01' is not a date (expected
 * YYYYMMDD or YYYYMMDDTHHMMSS)".  Other errors: COPLAN_ELIMIT (more than
 * COPLAN_IMPORT_MAX_BYTES, or a rule with more than max_instances before
 * the horizon), COPLAN_ENOMEM.  *out is untouched on error.
 */
int coplan_ical_read(coplan_ical_calendar **out, const char *name, const char *data, size_t len,
                     const coplan_ical_options *opts);

/* As coplan_ical_read(), reading the file at path (named by path in messages).  Also COPLAN_EIO. */
int coplan_ical_read_file(coplan_ical_calendar **out, const char *path,
                          const coplan_ical_options *opts);

/* Free a calendar and all its events; NULL is a no-op. */
void coplan_ical_calendar_free(coplan_ical_calendar *cal);

/*
 * The IANA zone of a Windows time-zone name ("W. Europe Standard Time" ->
 * "Europe/Berlin"): the default zone (territory "001") that CLDR's
 * supplemental/windowsZones.xml gives it, read at run time from
 * COPLAN_CLDR_WINDOWS_ZONES_PATH or $COPLAN_CLDR_WINDOWS_ZONES.  *out is
 * malloc'd, the caller frees it.  Errors: COPLAN_ENOTFOUND (no such
 * Windows name), COPLAN_EIO (the table cannot be read), COPLAN_ENOMEM.
 */
int coplan_ical_windows_zone(char **out, const char *windows_name);

/* What an import into a plan read and added. */
typedef struct {
	size_t events;           /* events and instances read */
	size_t cancelled;        /* left out as cancelled */
	size_t added;            /* holidays (days) or blackouts added to the plan */
} coplan_ical_import_report;

/*
 * Add every day of every event of the calendar file at path to plan as a
 * holiday of nation (ISO 3166-1 alpha-3), named by the event's SUMMARY.
 * Days the plan already has for nation are kept, not counted.  Recurring
 * events are expanded over the plan's window when it has one.  All or
 * nothing: on any error plan is unchanged.  *report (may be NULL) is filled.
 * Errors: as coplan_ical_read_file(); COPLAN_EUSAGE (an unknown nation),
 * COPLAN_EINVALID (an event longer than COPLAN_ICAL_MAX_HOLIDAY_DAYS).
 */
int coplan_ical_import_holidays(coplan_plan *plan, const char *path, const char *nation,
                                coplan_ical_import_report *report);

/*
 * Add each event of the calendar file at path to plan as a blackout of
 * unit (a unit name as activities use it) from its first to its last
 * local date (inclusive), hard or soft, with the SUMMARY as its reason
 * ("busy" when there is none).  Recurring events are expanded over the
 * plan's window when it has one.  All or nothing; *report may be NULL.
 * Errors: as coplan_ical_read_file(); COPLAN_EUSAGE (an empty unit name).
 */
int coplan_ical_import_blackouts(coplan_plan *plan, const char *path, const char *unit, int hard,
                                 coplan_ical_import_report *report);

/*
 * As coplan_ical_import_holidays() and coplan_ical_import_blackouts() for
 * the bytes data[0..len) of a calendar named name (an upload: name is used
 * in messages as the file).  Same errors; COPLAN_EUSAGE without data.
 */
int coplan_ical_import_holidays_buffer(coplan_plan *plan, const char *name, const char *data,
                                       size_t len, const char *nation,
                                       coplan_ical_import_report *report);
int coplan_ical_import_blackouts_buffer(coplan_plan *plan, const char *name, const char *data,
                                        size_t len, const char *unit, int hard,
                                        coplan_ical_import_report *report);

#ifdef __cplusplus
}
#endif
#endif
