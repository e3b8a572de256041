/* SPDX-License-Identifier: Apache-2.0 */
/* textdate.c - dates, periods and numbers as spreadsheets write them, read in a locale. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "coplan/import.h"
#include "common.h"
#include "import_priv.h"

/* Longest cell text read as a date, a period or a number, in bytes after trimming. */
#define TEXT_MAX 120

/* Most tokens in one date ("令和 6 年 1 月 10 日 (水)" is 8). */
#define TOKENS_MAX 12

typedef struct {
	char name[8];          /* as given, for messages: "it", "en-US" */
	int month_first;       /* 1 in en-US: 01/10/2024 is 10 January */
	char decimal;          /* decimal mark: '.' or ',' */
	char group;            /* thousands separator: the other one */
} text_locale;

/* Languages whose decimal mark is a comma (CLDR number symbols); every other known one uses a point. */
static const char *const comma_languages[] = {
	"it", "de", "fr", "es", "pt", "nl", "da", "sv", "nb", "nn", "no", "fi", "pl", "cs", "sk",
	"sl", "hr", "hu", "ro", "bg", "ru", "uk", "el", "tr", "lt", "lv", "et", "ca", "is",
};
static const char *const point_languages[] = { "en", "ja", "zh", "ko", "he", "th", "ga", "mt" };

static int locale_get(text_locale *loc, const char *locale)
{
	char lang[4] = "", region[4] = "";
	const char *p;
	size_t i, n = 0;

	if (!locale || !*locale)
		locale = "en-GB";
	snprintf(loc->name, sizeof(loc->name), "%s", locale);
	for (p = locale; n < 3 && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')); p++)
		lang[n++] = (char)(*p | 0x20);
	lang[n] = '\0';
	if ((*p == '-' || *p == '_')) {
		p++;
		for (n = 0; n < 3 && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')); p++)
			region[n++] = (char)(*p & ~0x20);
		region[n] = '\0';
	}
	loc->month_first = strcmp(lang, "en") == 0 && strcmp(region, "US") == 0;
	for (i = 0; i < CP_ARRAY_SIZE(comma_languages); i++) {
		if (strcmp(lang, comma_languages[i]) == 0) {
			loc->decimal = ',';
			loc->group = '.';
			return 0;
		}
	}
	for (i = 0; i < CP_ARRAY_SIZE(point_languages); i++) {
		if (strcmp(lang, point_languages[i]) == 0) {
			loc->decimal = '.';
			loc->group = ',';
			return 0;
		}
	}
	return cp_error(COPLAN_EUSAGE, "unknown locale '%s' (expected a language code such as it, ja, "
	                "en-GB or en-US)", locale);
}

int cp_locale_decimal_mark(const char *locale, char *decimal)
{
	text_locale loc;
	int rc = locale_get(&loc, locale);

	if (!rc)
		*decimal = loc.decimal;
	return rc;
}

/* The code point of the UTF-8 sequence at s (valid or not); *n its length. */
static uint32_t utf8_at(const unsigned char *s, size_t *n)
{
	if (s[0] < 0x80 || (s[0] & 0xE0) == 0xC0) {
		if (s[0] >= 0x80 && (s[1] & 0xC0) == 0x80) {
			*n = 2;
			return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		}
		*n = 1;
		return s[0];
	}
	if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*n = 3;
		return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
	}
	*n = 1;
	return 0xFFFD;
}

static int is_blank(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0 || c == 0x202F ||
	       c == 0x2009 || c == 0x3000;
}

/*
 * Copy text into out (TEXT_MAX + 1 bytes) trimmed, with full-width ASCII
 * (０-９, ／, ．, －, ～ ...) made ASCII, inner spaces made ' ', the wave dash
 * and en dash made '~' and the minus sign '-'.  Other characters are kept.
 */
static int normalize(char *out, const char *text, const char *what)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	size_t len = 0, n, end;

	if (strlen((const char *)s) > TEXT_MAX * 2)
		return cp_error(COPLAN_EINVALID, "%s '%.40s...' is too long (expected at most %d bytes)",
		                what, (const char *)s, TEXT_MAX);
	while (*s) {
		uint32_t c = utf8_at(s, &n);

		if (c >= 0xFF01 && c <= 0xFF5E)
			c -= 0xFEE0;
		else if (c == 0x301C || c == 0x2013)
			c = '~';
		else if (c == 0x2212)
			c = '-';
		else if (is_blank(c))
			c = ' ';
		if (len + n + 1 > TEXT_MAX + 1)
			return cp_error(COPLAN_EINVALID, "%s '%.40s...' is too long (expected at most %d "
			                "bytes)", what, text, TEXT_MAX);
		if (c < 0x80) {
			if (c == ' ' && len == 0) {
				s += n;
				continue;
			}
			out[len++] = (char)c;
		} else {
			memcpy(out + len, s, n);
			len += n;
		}
		s += n;
	}
	end = len;
	while (end > 0 && out[end - 1] == ' ')
		end--;
	out[end] = '\0';
	return 0;
}

/* ---- dates ---- */

enum { TK_NUM, TK_SEP, TK_YEAR, TK_MONTH, TK_DAY, TK_ERA, TK_WDAY };

typedef struct {
	int kind;
	long value;            /* TK_NUM: the number; TK_SEP: the character; TK_ERA: index; TK_WDAY: 1-7 */
	int digits;            /* TK_NUM: how many digits (0 for 元, the first year of an era) */
} token;

typedef struct {
	const char *kanji;
	char letter;
	const char *english;
	int y0, m0, d0;        /* first day */
	int y1, m1, d1;        /* last day, 0 for an era still running */
} era;

/* Japanese eras (gengō) of the Gregorian period in use; dates from the Imperial proclamations. */
static const era eras[] = {
	{ "令和", 'R', "Reiwa", 2019, 5, 1, 0, 0, 0 },
	{ "平成", 'H', "Heisei", 1989, 1, 8, 2019, 4, 30 },
	{ "昭和", 'S', "Showa", 1926, 12, 25, 1989, 1, 7 },
};

static const char *const weekday_kanji[] = { "月", "火", "水", "木", "金", "土", "日" };

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Split normalised text into tokens; 0, or -1 when a character fits no token. */
static int tokenize(const char *s, token *tk, size_t *n_out)
{
	size_t n = 0, i;

	while (*s) {
		token t = { 0, 0, 0 };

		if (*s == ' ') {
			s++;
			continue;
		}
		if (n == TOKENS_MAX)
			return -1;
		if (*s >= '0' && *s <= '9') {
			t.kind = TK_NUM;
			while (*s >= '0' && *s <= '9') {
				if (t.digits >= 9)
					return -1;
				t.value = t.value * 10 + (*s - '0');
				t.digits++;
				s++;
			}
		} else if (*s == '/' || *s == '.' || *s == '-') {
			t.kind = TK_SEP;
			t.value = *s++;
		} else if (starts(s, "年")) {
			t.kind = TK_YEAR;
			s += strlen("年");
		} else if (starts(s, "月")) {
			t.kind = TK_MONTH;
			s += strlen("月");
		} else if (starts(s, "日")) {
			t.kind = TK_DAY;
			s += strlen("日");
		} else if (starts(s, "元")) {
			t.kind = TK_NUM;
			t.value = 1;
			t.digits = 0;
			s += strlen("元");
		} else if (*s == '(') {
			s++;
			while (*s == ' ')
				s++;
			for (i = 0; i < CP_ARRAY_SIZE(weekday_kanji); i++)
				if (starts(s, weekday_kanji[i]))
					break;
			if (i == CP_ARRAY_SIZE(weekday_kanji))
				return -1;
			s += strlen(weekday_kanji[i]);
			while (*s == ' ')
				s++;
			if (*s != ')')
				return -1;
			s++;
			t.kind = TK_WDAY;
			t.value = (long)i + 1;
		} else {
			for (i = 0; i < CP_ARRAY_SIZE(eras); i++) {
				if (n == 0 && starts(s, eras[i].kanji)) {
					s += strlen(eras[i].kanji);
					break;
				}
				if (n == 0 && (*s == eras[i].letter || *s == (eras[i].letter | 0x20)) &&
				    s[1] >= '0' && s[1] <= '9') {
					s++;
					break;
				}
			}
			if (i == CP_ARRAY_SIZE(eras))
				return -1;
			t.kind = TK_ERA;
			t.value = (long)i;
		}
		tk[n++] = t;
	}
	*n_out = n;
	return 0;
}

/* 1 if the token kinds of tk[0..n) are exactly the list given (ended by -1). */
static int shape(const token *tk, size_t n, const int *kinds)
{
	size_t i;

	for (i = 0; kinds[i] >= 0; i++)
		if (i >= n || tk[i].kind != kinds[i])
			return 0;
	return i == n;
}

/* What a text was found to be. */
typedef struct {
	int is_month;          /* 1: a whole month (day is 0) */
	int era;               /* index into eras, or -1 */
	int year, month, day;  /* Gregorian */
	int weekday;           /* 1-7 named in the text, or 0 */
	int excel_serial;      /* 1: year/month/day came from an Excel serial day number */
} date_parts;

static const char *example(const text_locale *loc)
{
	return loc->month_first ? "01/10/2024, 2024-01-10 or 2024年1月10日"
	                        : "10/01/2024, 2024-01-10 or 2024年1月10日";
}

/* Excel's 1900 date system: serial 1 is 1900-01-01, 60 the fictitious 1900-02-29. */
static int from_excel_serial(coplan_date *out, long serial)
{
	coplan_date base = coplan_date_from_ymd(1899, 12, 31);

	if (serial < 1 || serial == 60 || serial > 2958465)
		return -1;
	*out = base + (coplan_date)(serial < 60 ? serial : serial - 1);
	return 0;
}

static int bad_form(const char *text, const text_locale *loc, const char *what)
{
	return cp_error(COPLAN_EINVALID, "'%s' is not %s (expected e.g. %s)", text, what,
	                example(loc));
}

/*
 * Read tokens as a date or (allow_month) a month into *dp.  text is the
 * normalised text for messages.
 */
static int match(date_parts *dp, const token *tk, size_t n, const char *text,
                 const text_locale *loc, int allow_month)
{
	static const int k_ymd[] = { TK_NUM, TK_YEAR, TK_NUM, TK_MONTH, TK_NUM, TK_DAY, -1 };
	static const int k_ym[] = { TK_NUM, TK_YEAR, TK_NUM, TK_MONTH, -1 };
	static const int k_dots[] = { TK_NUM, TK_SEP, TK_NUM, TK_SEP, TK_NUM, -1 };
	static const int k_pair[] = { TK_NUM, TK_SEP, TK_NUM, -1 };
	static const int k_one[] = { TK_NUM, -1 };
	const char *what = allow_month ? "a date or a month" : "a date";
	const token *y, *m, *d;

	memset(dp, 0, sizeof(*dp));
	dp->era = -1;
	if (n > 0 && tk[0].kind == TK_ERA) {
		dp->era = (int)tk[0].value;
		tk++;
		n--;
	}
	if (n > 0 && tk[n - 1].kind == TK_WDAY) {
		dp->weekday = (int)tk[n - 1].value;
		n--;
	}
	if (shape(tk, n, k_ymd) || shape(tk, n, k_ym)) {
		y = &tk[0];
		m = &tk[2];
		d = n == 6 ? &tk[4] : NULL;
	} else if (dp->era >= 0 && shape(tk, n, k_dots) && tk[1].value == tk[3].value) {
		y = &tk[0];
		m = &tk[2];
		d = &tk[4];
	} else if (dp->era < 0 && shape(tk, n, k_dots) && tk[1].value == tk[3].value) {
		if (tk[0].digits == 4) {
			y = &tk[0];
			m = &tk[2];
			d = &tk[4];
		} else if (tk[4].digits == 4) {
			y = &tk[4];
			if (tk[1].value == '/' && loc->month_first) {
				m = &tk[0];
				d = &tk[2];
			} else {
				d = &tk[0];
				m = &tk[2];
			}
		} else if (tk[4].digits == 2 || tk[0].digits == 2) {
			return cp_error(COPLAN_EINVALID, "'%s' has a two-digit year (expected a four-digit "
			                "year, e.g. %s)", text, example(loc));
		} else {
			return bad_form(text, loc, what);
		}
	} else if (dp->era < 0 && allow_month && shape(tk, n, k_pair) &&
	           (tk[0].digits == 4) != (tk[2].digits == 4)) {
		y = tk[0].digits == 4 ? &tk[0] : &tk[2];
		m = tk[0].digits == 4 ? &tk[2] : &tk[0];
		d = NULL;
	} else if (dp->era < 0 && dp->weekday == 0 && shape(tk, n, k_one) && tk[0].digits == 8) {
		/* ISO 8601 basic form: 20240110 */
		dp->year = (int)(tk[0].value / 10000);
		dp->month = (int)(tk[0].value / 100 % 100);
		dp->day = (int)(tk[0].value % 100);
		goto check;
	} else if (dp->era < 0 && dp->weekday == 0 && shape(tk, n, k_one) && tk[0].digits >= 5) {
		coplan_date date;

		if (from_excel_serial(&date, tk[0].value) != 0)
			return cp_error(COPLAN_EINVALID, "Excel serial day number '%s' is out of range "
			                "(expected 10000 to 2958465)", text);
		coplan_date_to_ymd(date, &dp->year, &dp->month, &dp->day);
		dp->excel_serial = 1;
		return 0;
	} else {
		return bad_form(text, loc, what);
	}
	if (!d && (!allow_month || dp->weekday))
		return bad_form(text, loc, "a date (a month names no day)");
	if (dp->era >= 0) {
		if (y->digits > 2 || (y->digits > 0 && y->value == 0))
			return cp_error(COPLAN_EINVALID, "'%s' has no such %s year (expected 元 or 1 to 99)",
			                text, eras[dp->era].english);
		dp->year = eras[dp->era].y0 + (int)y->value - 1;
	} else {
		if (y->digits != 4)
			return bad_form(text, loc, what);
		dp->year = (int)y->value;
	}
	if (m->digits > 2 || (d && d->digits > 2))
		return bad_form(text, loc, what);
	dp->month = (int)m->value;
	dp->day = d ? (int)d->value : 0;
	dp->is_month = d == NULL;
check:
	if (dp->year < 1 || dp->year > 9999 || dp->month < 1 || dp->month > 12)
		return cp_error(COPLAN_EINVALID, "no such %s '%s' (expected a month 1 to 12 and a year "
		                "1 to 9999%s)", dp->is_month ? "month" : "date", text,
		                loc->month_first ? "; en-US reads month/day/year" : "; day comes first");
	if (!dp->is_month && (dp->day < 1 || dp->day > coplan_date_days_in_month(dp->year, dp->month)))
		return cp_error(COPLAN_EINVALID, "no such date '%s' (expected a day 1 to %d in %04d-%02d)",
		                text, coplan_date_days_in_month(dp->year, dp->month), dp->year, dp->month);
	return 0;
}

/* Check a matched date or month against its era and weekday; set [*from, *to]. */
static int finish(coplan_date *from, coplan_date *to, const date_parts *dp, const char *text)
{
	coplan_date a, b;

	a = coplan_date_from_ymd(dp->year, dp->month, dp->is_month ? 1 : dp->day);
	b = dp->is_month ? coplan_date_from_ymd(dp->year, dp->month,
	                                        coplan_date_days_in_month(dp->year, dp->month)) : a;
	if (dp->era >= 0) {
		const era *e = &eras[dp->era];
		coplan_date e0 = coplan_date_from_ymd(e->y0, e->m0, e->d0);
		coplan_date e1 = e->y1 ? coplan_date_from_ymd(e->y1, e->m1, e->d1) : INT32_MAX;
		char s0[COPLAN_DATE_ISO_LEN], s1[COPLAN_DATE_ISO_LEN];

		if (b < e0 || a > e1)
			return cp_error(COPLAN_EINVALID, "'%s' is outside the %s era (expected %s %s%s)",
			                text, e->english, coplan_date_format_iso(e0, s0),
			                e->y1 ? "to " : "or later", e->y1 ? coplan_date_format_iso(e1, s1) : "");
	}
	if (dp->weekday && !dp->is_month && coplan_date_weekday(a) != dp->weekday)
		return cp_error(COPLAN_EINVALID, "'%s' names the wrong day of the week (expected %s)",
		                text, weekday_kanji[coplan_date_weekday(a) - 1]);
	*from = a;
	*to = b;
	return 0;
}

static int parse_part(coplan_date *from, coplan_date *to, const char *text, const text_locale *loc,
                      int allow_month)
{
	token tk[TOKENS_MAX];
	date_parts dp;
	size_t n;
	int rc;

	if (!*text)
		return cp_error(COPLAN_EINVALID, "empty %s (expected e.g. %s)",
		                allow_month ? "period" : "date", example(loc));
	if (tokenize(text, tk, &n) != 0)
		return bad_form(text, loc, allow_month ? "a date or a month" : "a date");
	rc = match(&dp, tk, n, text, loc, allow_month);
	return rc ? rc : finish(from, to, &dp, text);
}

int coplan_parse_date_text(coplan_date *out, const char *text, const char *locale)
{
	char norm[TEXT_MAX + 1];
	text_locale loc;
	coplan_date a, b;
	int rc;

	if (!out)
		return cp_error(COPLAN_EUSAGE, "coplan_parse_date_text: no output");
	rc = locale_get(&loc, locale);
	if (!rc)
		rc = normalize(norm, text, "date");
	if (!rc)
		rc = parse_part(&a, &b, norm, &loc, 0);
	if (!rc)
		*out = a;
	return rc;
}

int coplan_parse_period_text(coplan_date *from, coplan_date *to, const char *text,
                             const char *locale)
{
	char norm[TEXT_MAX + 1];
	text_locale loc;
	coplan_date a0, a1, b0, b1;
	char *split = NULL, *second = NULL, *slash;
	int rc;

	if (!from || !to)
		return cp_error(COPLAN_EUSAGE, "coplan_parse_period_text: no output");
	rc = locale_get(&loc, locale);
	if (!rc)
		rc = normalize(norm, text, "period");
	if (rc)
		return rc;
	if ((split = strstr(norm, "..")) != NULL) {
		second = split + 2;
	} else if ((split = strchr(norm, '~')) != NULL) {
		second = split + 1;
	} else if ((split = strstr(norm, " - ")) != NULL) {
		second = split + 3;
	} else if ((slash = strchr(norm, '/')) != NULL && !strchr(slash + 1, '/') &&
	           memchr(norm, '-', (size_t)(slash - norm)) && strchr(slash + 1, '-')) {
		/* ISO 8601 interval: 2024-05-06/2024-05-17 */
		split = slash;
		second = slash + 1;
	}
	if (!split)
		return parse_part(from, to, norm, &loc, 1);
	*split = '\0';
	while (*second == ' ')
		second++;
	{
		size_t end = strlen(norm);

		while (end > 0 && norm[end - 1] == ' ')
			norm[--end] = '\0';
	}
	rc = parse_part(&a0, &a1, norm, &loc, 1);
	if (!rc)
		rc = parse_part(&b0, &b1, second, &loc, 1);
	if (rc)
		return rc;
	if (b1 < a0) {
		char s0[COPLAN_DATE_ISO_LEN], s1[COPLAN_DATE_ISO_LEN];

		return cp_error(COPLAN_EINVALID, "period '%s' ends before it starts (expected a start "
		                "%s on or before the end %s)", text, coplan_date_format_iso(a0, s0),
		                coplan_date_format_iso(b1, s1));
	}
	*from = a0;
	*to = b1;
	return 0;
}

/* ---- numbers ---- */

int coplan_parse_number_text(double *out, const char *text, const char *locale)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	                                1e11, 1e12, 1e13, 1e14, 1e15 };
	char norm[TEXT_MAX + 1];
	text_locale loc;
	const char *s;
	uint64_t mantissa = 0;
	int digits = 0, group_len = 0, groups = 0, scale = 0, neg = 0, rc;

	if (!out)
		return cp_error(COPLAN_EUSAGE, "coplan_parse_number_text: no output");
	rc = locale_get(&loc, locale);
	if (!rc)
		rc = normalize(norm, text, "number");
	if (rc)
		return rc;
	s = norm;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!(*s >= '0' && *s <= '9'))
		goto bad;
	for (; *s && *s != loc.decimal; s++) {
		if (*s >= '0' && *s <= '9') {
			group_len++;
		} else if (*s == loc.group || *s == ' ') {
			/* the first group has 1 to 3 digits, each later one exactly 3 */
			if ((groups == 0 && (group_len < 1 || group_len > 3)) ||
			    (groups > 0 && group_len != 3))
				goto bad;
			groups++;
			group_len = 0;
			continue;
		} else {
			goto bad;
		}
		if (mantissa || *s != '0')
			digits++;
		mantissa = mantissa * 10 + (uint64_t)(*s - '0');
		if (digits > 15)
			goto too_long;
	}
	if (groups > 0 && group_len != 3)
		goto bad;
	if (*s == loc.decimal) {
		s++;
		if (!*s)
			goto bad;
		for (; *s; s++) {
			if (!(*s >= '0' && *s <= '9'))
				goto bad;
			if (mantissa || *s != '0')
				digits++;
			mantissa = mantissa * 10 + (uint64_t)(*s - '0');
			if (digits > 15 || ++scale > 15)
				goto too_long;
		}
	}
	/* both exact in a double: the quotient is the correctly rounded value */
	*out = (neg ? -1.0 : 1.0) * ((double)mantissa / pow10[scale]);
	return 0;
bad:
	return cp_error(COPLAN_EINVALID, "'%s' is not a number in locale %s (expected e.g. %s)", norm,
	                loc.name, loc.decimal == ',' ? "1.299,99 or 12" : "1,299.99 or 12");
too_long:
	return cp_error(COPLAN_EINVALID, "number '%s' has too many digits (expected at most 15)",
	                norm);
}
