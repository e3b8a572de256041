/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/model.h - the cooperation-plan model: nations, staff talks, activities. */
#ifndef COPLAN_MODEL_H
#define COPLAN_MODEL_H

#include <stddef.h>
#include "coplan/date.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Ownership rule for this header: a coplan_plan owns every string and array
 * reachable from it (all malloc'd, all UTF-8).  Set strings with the
 * coplan_*_set_* helpers or cp_strdup'd copies; coplan_plan_free() frees it
 * all.  Pointers read from a plan are borrowed.
 */

/* The years a plan's dates may fall in: those the national calendars cover. */
#define COPLAN_MODEL_FIRST_YEAR 1970
#define COPLAN_MODEL_LAST_YEAR  2099
/* The longest plan window, in days: ten years. */
#define COPLAN_MODEL_MAX_WINDOW_DAYS 3660

/* ISO 3166-1 alpha-3 code and NUL: "ITA". */
#define COPLAN_NATION_LEN 4

/* A UUID as text, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" (RFC 9562), with its NUL. */
#define COPLAN_UUID_LEN 37

/*
 * 1 if code is an ISO 3166-1 alpha-3 code of a current nation (Debian's
 * iso-codes list, compiled in), else 0.  Exactly three upper-case letters.
 */
int coplan_nation_valid(const char *code);

/* The English short name of a nation ("Italy", "Japan"), or NULL if unknown; static storage. */
const char *coplan_nation_name(const char *code);

/* ISO 4217 alpha-3 currency code and NUL: "EUR". */
#define COPLAN_CURRENCY_LEN 4

/* The longest funding line, in bytes of UTF-8 (free text: "NATO SC budget 2024", "JMSDF O&M"). */
#define COPLAN_FUNDING_LINE_MAX 120

/*
 * Who pays an activity's cost (issue 17).  HOST: the host nation.  SENDING:
 * the participants other than the host, each for its own people (totals by
 * paying nation split the cost evenly among them, coplan/cost.h).  SHARED:
 * the nations and percentages of coplan_activity.shares (summing to 100).
 */
typedef enum {
	COPLAN_PAYER_UNSET = 0,   /* not recorded */
	COPLAN_PAYER_HOST,
	COPLAN_PAYER_SENDING,
	COPLAN_PAYER_SHARED
} coplan_payer;

/* The most nations one cost may be shared among. */
#define COPLAN_MAX_SHARES 64

/* One nation's share of a shared cost, in whole percent (1-100). */
typedef struct {
	char nation[COPLAN_NATION_LEN];
	int percent;
} coplan_cost_share;

/*
 * A budget of the plan: what nation has for year on one funding line in one
 * currency, in minor units of that currency (cents; yen: ISO 4217 gives JPY
 * no decimals).  One per (nation, year, funding line, currency).
 */
typedef struct {
	char nation[COPLAN_NATION_LEN];
	int year;
	char *funding_line;    /* 1..COPLAN_FUNDING_LINE_MAX bytes */
	char currency[COPLAN_CURRENCY_LEN];
	long long amount;      /* minor units, 0 .. COPLAN_AMOUNT_MAX */
} coplan_budget;

/*
 * An exchange rate the user gave (never fetched): one unit of from is rate
 * units of to, from valid_from (a local date) until the next rate of the
 * same pair.  rate is decimal text, canonical ("0.00625", "160"): at most
 * 9 digits before the point and 9 after, above zero.
 */
typedef struct {
	char from[COPLAN_CURRENCY_LEN];
	char to[COPLAN_CURRENCY_LEN];
	char *rate;
	coplan_date valid_from;
} coplan_rate;

/* The largest amount coplan keeps, in minor units (10^15 - 1: a trillion euro and change). */
#define COPLAN_AMOUNT_MAX 999999999999999LL

/* A member of a delegation.  Every field may be NULL but name. */
typedef struct {
	char *rank;            /* "Lt Col", "Capt (N)", or NULL for civilians */
	char *name;            /* Latin script, as the record writes it */
	char *name_native;     /* native script: "三浦 潤" */
	char *post;            /* "Director, International Policy Division" */
	char *organisation;    /* "Ministry of Defense of Japan" */
} coplan_person;

/* A delegation to a staff-talks edition: its head and its members. */
typedef struct {
	char nation[COPLAN_NATION_LEN];
	char *head_name;       /* as the record names them: "Brig. Gen. Alessandro Grassano" */
	char *head_name_native;/* native script, or NULL: "三浦 潤" */
	char *head_post;       /* "Deputy Head, International Cooperation Department" */
	char *head_rank;       /* or NULL */
	char *head_organisation; /* or NULL */
	coplan_person *members;/* the rest of the delegation, in protocol order */
	size_t n_members;
} coplan_delegation;

/*
 * A session of the staff talks (a plenary, a working group), at local
 * times at the venue: exported as a timed calendar event with the venue's
 * time zone.
 */
typedef struct {
	char *title;           /* "Opening plenary" */
	coplan_date date;      /* local date at the venue */
	int start_minute;      /* minutes after local midnight, 0..1439 */
	int end_minute;        /* minutes after local midnight, start_minute+1..1440 */
	char *zone;            /* IANA time zone of the venue: "Europe/Rome" */
	char *location;        /* room, or NULL */
} coplan_talks_session;

/* One edition of a series of staff talks. */
typedef struct {
	char *series;          /* "ITA-JPN" */
	int edition;           /* 8 */
	coplan_date start;     /* first day (local date at the venue) */
	coplan_date end;       /* last day, inclusive */
	char *venue;
	coplan_delegation *delegations;
	size_t n_delegations;
	char **agenda;         /* agenda items, in order */
	size_t n_agenda;
	char **areas;          /* outcome: the areas of cooperation agreed */
	size_t n_areas;
	coplan_talks_session *sessions; /* the timetable, in order */
	size_t n_sessions;
} coplan_staff_talks;

/* Whether an activity's duration counts working days of its host or calendar days. */
typedef enum {
	COPLAN_DAYS_WORKING = 0,  /* talks, courses, visits: run on the host's working days only */
	COPLAN_DAYS_CALENDAR = 1  /* exercises, port calls, deployments: run through weekends and holidays */
} coplan_day_mode;

/* "working" / "calendar"; static storage. */
const char *coplan_day_mode_name(coplan_day_mode mode);

/* Where an activity stands in execution. */
typedef enum {
	COPLAN_STATUS_PLANNED = 0, /* in the plan, dates not yet confirmed by the host */
	COPLAN_STATUS_CONFIRMED,   /* dates confirmed */
	COPLAN_STATUS_EXECUTED,    /* took place */
	COPLAN_STATUS_POSTPONED,   /* moved to new dates */
	COPLAN_STATUS_CANCELLED    /* will not take place */
} coplan_activity_status;

/* "planned", "confirmed", "executed", "postponed", "cancelled"; static storage. */
const char *coplan_activity_status_name(coplan_activity_status status);

/* Parse a status name as above; returns 0 or COPLAN_EINVALID. */
int coplan_activity_status_parse(coplan_activity_status *out, const char *name);

/*
 * One activity proposed for (or placed in) the plan.
 *
 * Time window: the activity must start on or after earliest and end on or
 * before latest (both inclusive local dates; COPLAN_DATE_NONE means the
 * plan's own window).  Its span is the calendar days from start to end
 * inclusive; for COPLAN_DAYS_WORKING activities duration counts the host's
 * working days in that span and both start and end are working days.
 */
typedef struct {
	char uuid[COPLAN_UUID_LEN]; /* its identity across exports, imports and exchange; "" until stored */
	char *ref;             /* the plan's key for it, unique in the plan: "IT-01" */
	char *title;
	char *area;            /* area of cooperation: "training", "GCAP", ... */
	char *kind;            /* visit, course, exercise, port call, staff talks, seminar, ... */
	char host[COPLAN_NATION_LEN];
	char **participants;   /* nations taking part, host included */
	size_t n_participants;
	char **units;          /* resources: units, people, venues; none in two activities on one day */
	size_t n_units;
	int duration;          /* days, >= 1: working or calendar days as day_mode says */
	coplan_day_mode day_mode;
	coplan_date earliest;  /* time window, inclusive */
	coplan_date latest;
	coplan_date requested_from; /* requested period (often a month), inclusive; NONE if none */
	coplan_date requested_to;
	char *location;        /* or NULL */
	char *notes;           /* or NULL */

	/* The schedule: COPLAN_DATE_NONE while unplaced. */
	coplan_date start;
	coplan_date end;       /* inclusive */
	int pinned;            /* 1: the scheduler must keep start as it is */
	int sequence;          /* revision, raised by the store whenever the activity changes (iCalendar SEQUENCE) */
	coplan_activity_status status;
	char *unplaced_reason; /* why the scheduler could not place it, or NULL (as data: coplan_schedule_explain_ex()) */
	char *label;           /* confidentiality label in register form (coplan/label.h), or NULL: the plan's */

	/* Cost (issue 17): amounts in minor units of currency; all zero/NULL when not recorded. */
	int has_cost_estimate; /* 1: cost_estimate holds the estimate */
	int has_cost_actual;   /* 1: cost_actual holds what it cost */
	long long cost_estimate; /* minor units, 0..COPLAN_AMOUNT_MAX */
	long long cost_actual;
	char currency[COPLAN_CURRENCY_LEN]; /* ISO 4217 alpha-3, "" when no cost is recorded */
	coplan_payer paid_by;
	coplan_cost_share *shares; /* SHARED: the nations and their percent, summing to 100 */
	size_t n_shares;
	char *funding_line;    /* or NULL; at most COPLAN_FUNDING_LINE_MAX bytes */
} coplan_activity;

/*
 * What a precedence asks when its predecessor cannot be placed.  REQUIRES:
 * the successor needs the predecessor (placed only if it is), the rule of
 * every plan before kinds existed.  AFTER: it only orders the two when both
 * are placed; the successor may be placed alone.
 */
typedef enum {
	COPLAN_PRECEDENCE_REQUIRES = 0,
	COPLAN_PRECEDENCE_AFTER = 1
} coplan_precedence_kind;

/* before must end at least min_gap days before after starts (after.start >= before.end + 1 + min_gap). */
typedef struct {
	char *before;          /* activity ref */
	char *after;           /* activity ref */
	int min_gap;           /* calendar days, >= 0 */
	int max_gap;           /* calendar days, or -1 for none */
	coplan_precedence_kind kind; /* REQUIRES (0, the default) or AFTER */
} coplan_precedence;

/* A period in which a nation or a unit should not (soft) or must not (hard) be planned. */
typedef struct {
	char *scope;           /* a nation code ("JPN") or a unit name as activities use it */
	coplan_date from;      /* inclusive */
	coplan_date to;        /* inclusive */
	int hard;              /* 1: hard constraint; 0: soft, costs score */
	char *reason;          /* "Golden Week", cited when it stops an activity */
	char *label;           /* confidentiality label in register form (coplan/label.h), or NULL: the plan's */
} coplan_blackout;

/*
 * A non-working day of a nation that the built-in rules do not know: read
 * from a holiday feed (iCalendar) for a nation without built-in rules, or
 * an extra day declared for one.  The scheduler treats it like a public
 * holiday of that nation.
 */
typedef struct {
	char nation[COPLAN_NATION_LEN];
	coplan_date date;
	char *name;            /* "Golden Week closure", as the feed names it */
} coplan_plan_holiday;

/*
 * A nation's weekend as the plan declares it, in place of CLDR's
 * (coplan_weekend_of()): a nation whose staff keep a weekend other than
 * the civil one, or CLDR data older than a change of the law.
 */
typedef struct {
	char nation[COPLAN_NATION_LEN];
	unsigned days;         /* COPLAN_WEEKDAY_BIT()s (coplan/calendar.h); 0: no weekend day */
} coplan_plan_weekend;

/* A cooperation plan: its parties, the talks that adopted it, activities, constraints. */
typedef struct {
	char uuid[COPLAN_UUID_LEN]; /* its identity across exports, imports and exchange; "" until stored */
	char *title;           /* "Cooperation Plan 2024" */
	int year;
	char **nations;        /* the parties, ISO alpha-3 */
	size_t n_nations;
	coplan_date window_from; /* the plan's horizon, inclusive */
	coplan_date window_to;
	int has_talks;
	coplan_staff_talks talks;
	coplan_activity *activities;
	size_t n_activities;
	coplan_precedence *precedences;
	size_t n_precedences;
	coplan_blackout *blackouts;
	size_t n_blackouts;
	coplan_plan_holiday *holidays;  /* imported non-working days, by nation */
	size_t n_holidays;
	coplan_plan_weekend *weekends;  /* weekends declared by the plan, one per nation at most */
	size_t n_weekends;
	/*
	 * Confidentiality label in register form (coplan/label.h,
	 * docs/labels.md), or NULL: an unlabelled plan is "UNCLASSIFIED REL TO"
	 * its parties (coplan_plan_label_text()).  Activities and blackouts
	 * without their own label carry the plan's.
	 */
	char *label;
	coplan_budget *budgets;         /* per nation, year, funding line and currency (issue 17) */
	size_t n_budgets;
	coplan_rate *rates;             /* the user's dated exchange rates (issue 17) */
	size_t n_rates;
} coplan_plan;

/* A new empty plan in *out (all fields zero, dates NONE); free with coplan_plan_free(). Errors: COPLAN_ENOMEM. */
int coplan_plan_new(coplan_plan **out);

/*
 * A deep copy of src in *out (every string and array its own, activities,
 * precedences and blackouts in src's order), freed with coplan_plan_free();
 * *out is NULL on error.  Errors: COPLAN_ENOMEM (nothing left allocated).
 */
int coplan_plan_copy(coplan_plan **out, const coplan_plan *src);

/*
 * 1 when activities a and b hold the same content (every field, label and
 * cost included; the sequence and the identity aside), else 0: what a store
 * backend compares to leave an unchanged activity's row alone.  A new field
 * of coplan_activity belongs here and in coplan_plan_copy().
 */
int coplan_activity_equal(const coplan_activity *a, const coplan_activity *b);

/* Free a plan and everything it owns; NULL is a no-op. */
void coplan_plan_free(coplan_plan *plan);

/*
 * Append a zeroed activity (dates COPLAN_DATE_NONE, day_mode WORKING) and
 * set *out to it; borrowed, valid until the next append.  Errors: COPLAN_ENOMEM.
 */
int coplan_plan_add_activity(coplan_plan *plan, coplan_activity **out);

/* Append a precedence of kind REQUIRES; strings are copied.  Errors: COPLAN_ENOMEM. */
int coplan_plan_add_precedence(coplan_plan *plan, const char *before, const char *after,
                               int min_gap, int max_gap);

/*
 * Append a precedence of the given kind (coplan_precedence_kind); strings
 * are copied.  Errors: COPLAN_EINVALID (an unknown kind), COPLAN_ENOMEM.
 */
int coplan_plan_add_precedence_kind(coplan_plan *plan, const char *before, const char *after,
                                    int min_gap, int max_gap, coplan_precedence_kind kind);

/* "requires" or "after"; NULL for an unknown kind.  The string is static. */
const char *coplan_precedence_kind_name(coplan_precedence_kind kind);

/* Append a blackout; strings are copied.  Errors: COPLAN_ENOMEM. */
int coplan_plan_add_blackout(coplan_plan *plan, const char *scope, coplan_date from,
                             coplan_date to, int hard, const char *reason);

/*
 * Add an imported non-working day of nation (copied; the same nation and
 * date twice keeps the first name).  Errors: COPLAN_ENOMEM.
 */
int coplan_plan_add_holiday(coplan_plan *plan, const char *nation, coplan_date date,
                            const char *name);

/*
 * Declare nation's weekend in the plan (days: COPLAN_WEEKDAY_BIT()s of
 * coplan/calendar.h), replacing an earlier declaration for it.  Errors:
 * COPLAN_EINVALID (bits outside COPLAN_WEEKEND_ALL, or all seven days: no
 * working day left), COPLAN_ENOMEM.
 */
int coplan_plan_set_weekend(coplan_plan *plan, const char *nation, unsigned days);

/*
 * The weekend of nation in plan into *days: the plan's own declaration
 * (coplan_plan_set_weekend()) when it has one, else CLDR's
 * (coplan_weekend_of(), whose errors it returns).
 */
int coplan_plan_weekend_of(unsigned *days, const coplan_plan *plan, const char *nation);

/*
 * Give cal (a calendar of one nation, coplan/calendar.h) the weekend the
 * plan declares for that nation; a nation the plan declares none for keeps
 * CLDR's.  Every calendar built for a plan goes through this.  Errors: as
 * coplan_calendar_set_weekend().
 */
struct coplan_calendar;
int coplan_plan_apply_weekend(const coplan_plan *plan, struct coplan_calendar *cal);

/* Add a party nation (copied; a repeat is ignored).  Errors: COPLAN_ENOMEM. */
int coplan_plan_add_nation(coplan_plan *plan, const char *nation);

/* Index of the activity with ref, or -1. */
long coplan_plan_find(const coplan_plan *plan, const char *ref);

/*
 * Remove the precedences that name ref as their predecessor (when
 * as_before) or as their successor (when as_after), keeping the others in
 * order.  No allocation: cannot fail.
 */
void coplan_plan_remove_precedences(coplan_plan *plan, const char *ref, int as_before, int as_after);

/* Free everything an activity owns and zero it (used by the plan; exposed for importers). */
void coplan_activity_clear(coplan_activity *activity);

/*
 * Append a delegation for nation to talks (zeroed but for the nation) and
 * set *out to it; borrowed, valid until the next append.  Errors: COPLAN_ENOMEM.
 */
int coplan_talks_add_delegation(coplan_staff_talks *talks, const char *nation,
                                coplan_delegation **out);

/*
 * The head of a delegation as documents print it: rank and name
 * ("Brigadier General Alessandro Grassano"), and post with organisation
 * ("Deputy Head, International Cooperation Department, Italian Defence
 * General Staff").  Written to buf (size bytes, NUL-terminated, cut to fit);
 * returns buf.  Missing parts are left out; "" when there are none.
 */
char *coplan_delegation_head(const coplan_delegation *delegation, char *buf, size_t size);
char *coplan_delegation_head_post(const coplan_delegation *delegation, char *buf, size_t size);

/* Append a member to a delegation; every string is copied.  Errors: COPLAN_ENOMEM. */
int coplan_delegation_add_member(coplan_delegation *delegation, const coplan_person *member);

/* Append a session (strings copied).  Errors: COPLAN_ENOMEM. */
int coplan_talks_add_session(coplan_staff_talks *talks, const coplan_talks_session *session);

/* Append an agenda item / an agreed area of cooperation (copied).  Errors: COPLAN_ENOMEM. */
int coplan_talks_add_agenda_item(coplan_staff_talks *talks, const char *item);
int coplan_talks_add_area(coplan_staff_talks *talks, const char *area);

/* Append a participant nation / a unit to an activity (copied).  Errors: COPLAN_ENOMEM. */
int coplan_activity_add_participant(coplan_activity *activity, const char *nation);
int coplan_activity_add_unit(coplan_activity *activity, const char *unit);

/*
 * Check a plan's internal consistency: valid nation codes, unique refs of
 * letters, digits and - _ . / (other cells point at them), durations >= 1,
 * windows in order and inside 1970-2099 (a plan window at most ten years),
 * one delegation per nation, text every document format can carry (valid
 * UTF-8 without control characters, U+FFFE or U+FFFF), weekends of known
 * nations that leave a working day, precedences naming
 * existing activities and no precedence cycle.  Returns 0, or COPLAN_EINVALID with the last error
 * naming the activity and the fault.
 */
int coplan_plan_validate(const coplan_plan *plan);

/*
 * The rules of coplan_plan_validate() that one activity meets by itself
 * (its ref, text, host and participants, duration, dates within the
 * calendars' years and in order), so that a reader applies the same
 * validation to each row as the plan applies to the whole.  Returns 0 or
 * COPLAN_EINVALID naming the activity and the fault.
 */
int coplan_activity_validate(const coplan_activity *activity);

/*
 * The rules coplan_plan_validate() applies to one value, for importers that
 * report a fault at its cell: a reference (letters, digits, - _ . /, non-ASCII
 * letters; 1 to 32 bytes) and a text (valid UTF-8, no control character but
 * TAB, LF, CR, no U+FFFE or U+FFFF).  Return 0 or COPLAN_EINVALID with a
 * message that names the fault but not the place (the caller adds it).
 */
int coplan_ref_check(const char *ref);
int coplan_text_check(const char *text);

/*
 * A new random UUID (RFC 9562 version 4, 122 random bits from the
 * kernel's getrandom()) into out, lower-case text.  Errors: COPLAN_EIO (no
 * randomness to be had).
 */
int coplan_uuid_v4(char out[COPLAN_UUID_LEN]);

/* 1 if s is a UUID in the text form of RFC 9562 section 4 (lower or upper case hex), else 0. */
int coplan_uuid_valid(const char *s);

/*
 * The canonical JSON form of plan: its JSON document (docs/json-format.md)
 * with object keys sorted by their UTF-8 bytes, no insignificant white
 * space, every string in Unicode normalisation form C (libunistring) and
 * not escaped beyond what JSON requires.  Two plans with the same content
 * have the same bytes.  *out malloc'd (NUL-terminated, *len bytes), the
 * caller frees.  Errors: COPLAN_EINVALID (text that is not UTF-8), COPLAN_ENOMEM.
 */
int coplan_plan_canonical_json(char **out, size_t *len, const coplan_plan *plan);

/*
 * The SHA-256 of coplan_plan_canonical_json(plan), as 64 lower-case hex
 * digits and a NUL into hex: the identity of a plan version's content.
 * Errors: as coplan_plan_canonical_json(), COPLAN_ERROR (the digest failed).
 */
int coplan_plan_digest(char hex[65], const coplan_plan *plan);

/*
 * The SHA-256 of len bytes at data as 64 lower-case hex digits and a NUL
 * into hex (65 bytes, the caller's): the check of a stored version's
 * snapshot.  Errors: COPLAN_ERROR (the digest failed).
 */
int coplan_sha256_hex(char hex[65], const void *data, size_t len);

/*
 * The snapshot of plan that a saved version keeps: the whole plan as the
 * JSON document of docs/json-format.md (no time in it, so two snapshots of
 * the same plan are byte-identical and compare with memcmp).  *out is
 * malloc'd, *len bytes plus a NUL, the caller frees it.
 * Errors: COPLAN_ENOMEM, COPLAN_ELIMIT.
 */
int coplan_plan_snapshot(char **out, size_t *len, const coplan_plan *plan);

/*
 * A plan back from a snapshot of len bytes (coplan_plan_snapshot()); name
 * ("version 3") is used in error messages.  *out is freed with
 * coplan_plan_free().  Errors: COPLAN_EINVALID (a damaged snapshot),
 * COPLAN_ENOMEM.
 */
int coplan_plan_from_snapshot(coplan_plan **out, const char *name, const char *data, size_t len);

/*
 * Where a version of a plan stands: draft -> agreed (at the talks) -> signed
 * (coplan/store.h keeps the versions; documents print the state).
 */
typedef enum {
	COPLAN_VERSION_DRAFT = 0,
	COPLAN_VERSION_AGREED,
	COPLAN_VERSION_SIGNED
} coplan_version_state;

/* "draft", "agreed", "signed"; static storage. */
const char *coplan_version_state_name(coplan_version_state state);

/* Parse a state name; 0 or COPLAN_EINVALID. */
int coplan_version_state_parse(coplan_version_state *out, const char *name);

/* More than the nations ISO 3166-1 lists (249), so a table of every nation never overflows. */
#define COPLAN_MAX_NATIONS 320

/* Summary counts of a plan. */
typedef struct {
	size_t activities;
	size_t scheduled;      /* placed, cancelled ones not counted */
	size_t unplaced;       /* not placed, cancelled ones not counted */
	size_t cancelled;
	size_t by_host_count;                 /* entries used in by_host */
	/* one entry per host nation: every valid nation code fits (ISO 3166-1 has 249) */
	/* count: every activity it hosts, cancelled ones included; cancelled: those of count cancelled */
	struct { char nation[COPLAN_NATION_LEN]; size_t count, cancelled; } by_host[COPLAN_MAX_NATIONS];
} coplan_plan_summary;

/* Fill *out with the counts of plan (hosts in the order the plan's nations list them, then others). */
void coplan_plan_summarize(const coplan_plan *plan, coplan_plan_summary *out);

#ifdef __cplusplus
}
#endif
#endif
