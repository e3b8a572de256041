/* SPDX-License-Identifier: Apache-2.0 */
/* args.c - a request's arguments read alike from a page's form and from an API route's JSON body. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int cps_args_open(cps_args *a, cps_request *r)
{
	a->r = r;
	a->json = NULL;
	return r->route->flags & CPS_API ? cps_body_json(r, &a->json) : 0;
}

void cps_args_close(cps_args *a)
{
	json_decref(a->json);
	a->json = NULL;
}

const char *cps_arg(const cps_args *a, const char *name)
{
	const char *v = a->json ? cps_jstr(a->json, name) : cps_form_get(&a->r->form, name);

	return v && *v ? v : NULL;
}

int cps_arg_long(const cps_args *a, const char *name, long def, long *out)
{
	const char *v;
	char *end;

	*out = def;
	if (a->json) {
		json_t *j = json_object_get(a->json, name);

		if (!j || json_is_null(j))
			return 0;
		if (!json_is_integer(j))
			return -1;
		*out = (long)json_integer_value(j);
		return 0;
	}
	if (!(v = cps_arg(a, name)))
		return 0;
	*out = strtol(v, &end, 10);
	return *end || end == v ? -1 : 0;
}

int cps_arg_bool(const cps_args *a, const char *name, int def, int *out)
{
	const char *v;

	*out = def;
	if (a->json) {
		json_t *j = json_object_get(a->json, name);

		if (!j || json_is_null(j))
			return 0;
		if (!json_is_boolean(j))
			return -1;
		*out = json_is_true(j);
		return 0;
	}
	if (!(v = cps_arg(a, name)))
		return 0;
	if (!strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "true"))
		*out = 1;
	else if (!strcmp(v, "0") || !strcmp(v, "off") || !strcmp(v, "false"))
		*out = 0;
	else
		return -1;
	return 0;
}

int cps_arg_date(const cps_args *a, const char *name, coplan_date *out)
{
	const char *v = cps_arg(a, name);

	*out = COPLAN_DATE_NONE;
	return v && coplan_date_parse_iso(out, v, strlen(v)) ? -1 : 0;
}

int cps_done(cps_request *r, struct json_t *answer, const char *location)
{
	if (r->route->flags & CPS_API)
		return cps_reply(r, 200, answer);
	json_decref(answer);
	return cps_redirect(r, "%s", location);
}
