/* SPDX-License-Identifier: Apache-2.0 */
/* account.c - the names of plan roles, and freeing listed users (coplan/account.h). */
#include <stdlib.h>
#include <string.h>

#include "coplan/account.h"

static const char *const role_names[] = { "none", "viewer", "reviewer", "planner", "owner" };

const char *coplan_role_name(coplan_plan_role role)
{
	if (role < COPLAN_PLAN_ROLE_NONE || role > COPLAN_PLAN_ROLE_OWNER)
		return "none";
	return role_names[role];
}

int coplan_role_parse(const char *name)
{
	for (int r = COPLAN_PLAN_ROLE_NONE; name && r <= COPLAN_PLAN_ROLE_OWNER; r++)
		if (!strcmp(name, role_names[r]))
			return r;
	return -1;
}

void coplan_accounts_free(coplan_account *accounts, size_t n)
{
	for (size_t i = 0; accounts && i < n; i++)
		free(accounts[i].display_name);
	free(accounts);
}
