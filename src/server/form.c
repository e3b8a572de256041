/* SPDX-License-Identifier: Apache-2.0 */
/* form.c - HTML form bodies: application/x-www-form-urlencoded and multipart/form-data (RFC 7578), bounded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "../common.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int cps_url_decode(char **out, size_t *out_len, const char *s, size_t n)
{
	char *d = malloc(n + 1);
	size_t j = 0;

	*out = NULL;
	if (!d)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			d[j++] = ' ';
		} else if (s[i] == '%') {
			int hi, lo;

			if (i + 2 >= n) {
				free(d);
				return cp_error(COPLAN_EINVALID, "a '%%' escape cut short");
			}
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0) {
				free(d);
				return cp_error(COPLAN_EINVALID, "a '%%' escape that is not two hex digits");
			}
			d[j++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			d[j++] = s[i];
		}
	}
	d[j] = '\0';
	*out = d;
	*out_len = j;
	return 0;
}

void cps_form_release(cps_form *form)
{
	for (size_t i = 0; form && i < form->n; i++) {
		free(form->fields[i].name);
		free(form->fields[i].value);
		free(form->fields[i].filename);
	}
	if (form) {
		free(form->fields);
		form->fields = NULL;
		form->n = 0;
	}
}

const cps_field *cps_form_field(const cps_form *form, const char *name)
{
	for (size_t i = 0; i < form->n; i++)
		if (!strcmp(form->fields[i].name, name))
			return &form->fields[i];
	return NULL;
}

const char *cps_form_get(const cps_form *form, const char *name)
{
	const cps_field *f = cps_form_field(form, name);

	return f ? f->value : NULL;
}

/* Append a field; name and value taken (freed on error). */
static int add_field(cps_form *form, char *name, char *value, size_t len, char *filename)
{
	cps_field *v;

	if (form->n >= CPS_FIELDS_MAX || strlen(name) > CPS_NAME_MAX) {
		free(name);
		free(value);
		free(filename);
		return cp_error(COPLAN_ELIMIT, "a form of more than %d fields or a field name of more than %d bytes",
		                CPS_FIELDS_MAX, CPS_NAME_MAX);
	}
	v = realloc(form->fields, (form->n + 1) * sizeof(*v));
	if (!v) {
		free(name);
		free(value);
		free(filename);
		return cp_error(COPLAN_ENOMEM, "out of memory");
	}
	form->fields = v;
	v[form->n].name = name;
	v[form->n].value = value;
	v[form->n].len = len;
	v[form->n].filename = filename;
	form->n++;
	return 0;
}

static int parse_urlencoded(cps_form *form, const char *body, size_t len)
{
	size_t i = 0;
	int rc;

	while (i < len) {
		const char *amp = memchr(body + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - body) : len;
		const char *eq = memchr(body + i, '=', end - i);
		size_t name_end = eq ? (size_t)(eq - body) : end;
		char *name = NULL, *value = NULL;
		size_t nlen, vlen = 0;

		if (end > i) {
			if ((rc = cps_url_decode(&name, &nlen, body + i, name_end - i)))
				return rc;
			if (eq) {
				if ((rc = cps_url_decode(&value, &vlen, eq + 1, end - name_end - 1))) {
					free(name);
					return rc;
				}
			} else if (!(value = strdup(""))) {
				free(name);
				return cp_error(COPLAN_ENOMEM, "out of memory");
			}
			if (strlen(name) != nlen) {
				free(name);
				free(value);
				return cp_error(COPLAN_EINVALID, "a field name with a NUL byte");
			}
			if ((rc = add_field(form, name, value, vlen, NULL)))
				return rc;
		}
		i = end + 1;
	}
	return 0;
}

/* The value of parameter key in a header value ("form-data; name=\"x\""), malloc'd, or NULL. */
static char *header_param(const char *h, size_t hlen, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = 0; i + klen + 1 <= hlen; i++) {
		const char *v;
		size_t n = 0;
		char *out;

		if ((i > 0 && h[i - 1] != ' ' && h[i - 1] != ';' && h[i - 1] != '\t') ||
		    strncasecmp(h + i, key, klen) || h[i + klen] != '=')
			continue;
		v = h + i + klen + 1;
		if (v < h + hlen && *v == '"') {
			v++;
			while (v + n < h + hlen && v[n] != '"')
				n++;
		} else {
			while (v + n < h + hlen && v[n] != ';' && v[n] != ' ' && v[n] != '\r')
				n++;
		}
		if (!(out = malloc(n + 1)))
			return NULL;
		memcpy(out, v, n);
		out[n] = '\0';
		return out;
	}
	return NULL;
}

static const char *find(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	if (nlen == 0 || hlen < nlen)
		return NULL;
	for (size_t i = 0; i + nlen <= hlen; i++) {
		const char *p = memchr(hay + i, needle[0], hlen - nlen - i + 1);

		if (!p)
			return NULL;
		if (!memcmp(p, needle, nlen))
			return p;
		i = (size_t)(p - hay);
	}
	return NULL;
}

static int parse_multipart(cps_form *form, const char *content_type, const char *body, size_t len)
{
	char *boundary = header_param(content_type, strlen(content_type), "boundary");
	char delim[80];
	size_t dlen;
	const char *p, *end = body + len;
	int rc = 0;

	if (!boundary || !*boundary || strlen(boundary) > 70) {
		free(boundary);
		return cp_error(COPLAN_EINVALID, "multipart/form-data without a boundary of 1 to 70 characters");
	}
	dlen = (size_t)snprintf(delim, sizeof(delim), "--%s", boundary);
	free(boundary);
	/* the first delimiter, then parts each ended by CRLF + delimiter */
	if (!(p = find(body, len, delim, dlen)))
		return cp_error(COPLAN_EINVALID, "multipart body without its boundary");
	p += dlen;
	for (;;) {
		const char *headers, *hend, *content, *next;
		char *name = NULL, *filename = NULL, *value;
		int disp = 0;

		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0; /* the closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return cp_error(COPLAN_EINVALID, "multipart delimiter not followed by a line end");
		headers = p + 2;
		if (!(hend = find(headers, (size_t)(end - headers), "\r\n\r\n", 4)))
			return cp_error(COPLAN_EINVALID, "multipart part without the end of its headers");
		content = hend + 4;
		/* the Content-Disposition header of the part */
		for (const char *line = headers; line < hend + 2;) {
			const char *eol = find(line, (size_t)(hend + 2 - line), "\r\n", 2);
			size_t llen = eol ? (size_t)(eol - line) : (size_t)(hend - line);

			if (llen > 20 && !strncasecmp(line, "Content-Disposition:", 20) && !disp) {
				name = header_param(line + 20, llen - 20, "name");
				filename = header_param(line + 20, llen - 20, "filename");
				disp = 1;
			}
			if (!eol)
				break;
			line = eol + 2;
		}
		{
			char sep[84];
			size_t slen = (size_t)snprintf(sep, sizeof(sep), "\r\n%s", delim);

			if (!(next = find(content, (size_t)(end - content), sep, slen))) {
				free(name);
				free(filename);
				return cp_error(COPLAN_EINVALID, "multipart part not closed by its boundary");
			}
			if (!name) {
				free(filename);
				return cp_error(COPLAN_EINVALID, "multipart part without a Content-Disposition name");
			}
			if (!(value = malloc((size_t)(next - content) + 1))) {
				free(name);
				free(filename);
				return cp_error(COPLAN_ENOMEM, "out of memory");
			}
			memcpy(value, content, (size_t)(next - content));
			value[next - content] = '\0';
			if ((rc = add_field(form, name, value, (size_t)(next - content), filename)))
				return rc;
			p = next + slen;
		}
	}
}

int cps_form_parse(cps_form *form, const char *content_type, const char *body, size_t len)
{
	int rc;

	form->fields = NULL;
	form->n = 0;
	if (!content_type || !strncasecmp(content_type, "application/x-www-form-urlencoded", 33))
		rc = parse_urlencoded(form, body ? body : "", body ? len : 0);
	else if (!strncasecmp(content_type, "multipart/form-data", 19))
		rc = parse_multipart(form, content_type, body ? body : "", body ? len : 0);
	else
		rc = cp_error(COPLAN_EUSAGE, "a form must be sent as application/x-www-form-urlencoded or "
		              "multipart/form-data");
	if (rc)
		cps_form_release(form);
	return rc;
}
