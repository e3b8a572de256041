/* SPDX-License-Identifier: Apache-2.0 */
/* form_fuzzer.c - the server's form parser on arbitrary bodies; an urlencoded form it accepts must round-trip. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Percent-encode every byte but letters and digits. */
static char *encode(const cps_form *form, size_t *len)
{
	size_t cap = 1;
	char *out, *p;

	for (size_t i = 0; i < form->n; i++)
		cap += 3 * (strlen(form->fields[i].name) + form->fields[i].len) + 2;
	if (!(out = malloc(cap)))
		abort();
	p = out;
	for (size_t i = 0; i < form->n; i++) {
		const cps_field *f = &form->fields[i];

		if (i)
			*p++ = '&';
		for (const char *s = f->name; *s; s++)
			p += snprintf(p, 4, "%%%02X", (unsigned char)*s);
		*p++ = '=';
		for (size_t k = 0; k < f->len; k++)
			p += snprintf(p, 4, "%%%02X", (unsigned char)f->value[k]);
	}
	*p = '\0';
	*len = (size_t)(p - out);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the first line is the Content-Type, the rest the body */
	const uint8_t *nl = memchr(data, '\n', size);
	char ctype[256];
	size_t clen = nl ? (size_t)(nl - data) : 0;
	cps_form form, again;
	char *text;
	size_t len;

	if (!nl || clen >= sizeof(ctype))
		return 0;
	memcpy(ctype, data, clen);
	ctype[clen] = '\0';
	if (cps_form_parse(&form, ctype, (const char *)nl + 1, size - clen - 1))
		return 0;
	for (size_t i = 0; i < form.n; i++)
		if (!form.fields[i].name || !form.fields[i].value || form.fields[i].value[form.fields[i].len] != '\0' ||
		    strlen(form.fields[i].name) > CPS_NAME_MAX)
			abort();
	if (form.n > CPS_FIELDS_MAX)
		abort();
	/* whatever was read, written back urlencoded, reads back the same */
	text = encode(&form, &len);
	if (cps_form_parse(&again, "application/x-www-form-urlencoded", text, len))
		abort();
	/* an empty name with an empty value vanishes ("=" is skipped only when empty) */
	if (again.n != form.n)
		abort();
	for (size_t i = 0; i < form.n; i++)
		if (strcmp(form.fields[i].name, again.fields[i].name) || form.fields[i].len != again.fields[i].len ||
		    memcmp(form.fields[i].value, again.fields[i].value, form.fields[i].len))
			abort();
	free(text);
	cps_form_release(&form);
	cps_form_release(&again);
	return 0;
}
