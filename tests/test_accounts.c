/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_accounts.c - users, roles per plan, sessions: every cell of the table of
 * coplan/account.h allowed and refused, through the service layer; logins, rate
 * limit, expiry, logout, passwords, feed tokens, and edits that raced another.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "coplan/coplan.h"
#include "test_db.h"
#include "test_util.h"

#define EXAMPLE COPLAN_SOURCE_DIR "/examples/italy-japan-2024"
#define PASSWORD "correct horse battery"

static char db_path[512];

/* The users of the tests, one per role on plan 1 (and two without one). */
enum { OWNER, PLANNER, REVIEWER, VIEWER, OUTSIDER, GBR_PLANNER, ADMIN, N_USERS };

static const struct {
	const char *name, *nation;
	coplan_plan_role role;
	int is_admin;
} users[N_USERS] = {
	[OWNER] = { "olivia", "ITA", COPLAN_PLAN_ROLE_OWNER, 0 },
	[PLANNER] = { "paolo", "ITA", COPLAN_PLAN_ROLE_PLANNER, 0 },
	[REVIEWER] = { "rita", "ITA", COPLAN_PLAN_ROLE_REVIEWER, 0 },
	[VIEWER] = { "victor", "JPN", COPLAN_PLAN_ROLE_VIEWER, 0 },
	[OUTSIDER] = { "nobody", "ITA", COPLAN_PLAN_ROLE_NONE, 0 },
	[GBR_PLANNER] = { "gary", "GBR", COPLAN_PLAN_ROLE_PLANNER, 0 },
	[ADMIN] = { "ada", "ITA", COPLAN_PLAN_ROLE_NONE, 1 },
};

typedef struct {
	coplan_store *store;
	time_t now;              /* the clock every context reads */
	long ids[N_USERS];
	long plan;               /* the example, planned */
} fixture;

static time_t fixed_clock(void *payload)
{
	return ((fixture *)payload)->now;
}

/* A context acting as user u (-1: the command line's local operator, account 0). */
static coplan_ctx as(fixture *f, int u)
{
	coplan_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.store = f->store;
	ctx.clock = fixed_clock;
	ctx.clock_payload = f;
	ctx.user = u < 0 ? "Lt Col Test" : users[u].name;
	ctx.nation = u < 0 ? NULL : users[u].nation;
	ctx.account = u < 0 ? 0 : f->ids[u];
	return ctx;
}

static int setup(void **state)
{
	static fixture f;
	coplan_plan_folder_result folder;
	coplan_schedule_request req = { -1, 1, 0, 0 };
	coplan_plan *plan = NULL;
	coplan_ctx op;

	memset(&f, 0, sizeof(f));
	f.now = 1717200000; /* 2024-06-01 */
	test_db_fresh(db_path, sizeof(db_path), "test_accounts");
	if (coplan_store_open(&f.store, db_path))
		return -1;
	op = as(&f, -1);
	if (coplan_service_plan_folder_read(EXAMPLE, NULL, &plan, &folder))
		return -1;
	/*
	 * releasable to every nation: these tests are about roles (an unlabelled
	 * plan is releasable to its parties only, and gary is GBR; releasability
	 * has its own tests, test_releasability.c)
	 */
	free(plan->label);
	if (!(plan->label = strdup("UNCLASSIFIED")) || coplan_service_plan_new(&op, plan, &req, &folder.schedule))
		return -1;
	f.plan = folder.schedule.plan_id;
	coplan_plan_folder_result_clear(&folder);
	coplan_plan_free(plan);
	for (int u = 0; u < N_USERS; u++) {
		if (coplan_service_user_add(&op, users[u].name, users[u].nation, NULL, PASSWORD,
		                            users[u].is_admin, &f.ids[u]))
			return -1;
		if (users[u].role != COPLAN_PLAN_ROLE_NONE &&
		    coplan_service_role_grant(&op, f.plan, users[u].name, users[u].role))
			return -1;
	}
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	coplan_store_close(f->store);
	test_remove_db(db_path);
	coplan_document_shutdown();
	return 0;
}

/* The table of coplan/account.h, cell by cell: expected[action][role]. */
static void test_table(void **state)
{
	static const int expected[][5] = {
		/*                         owner planner reviewer viewer outsider */
		[COPLAN_ACTION_READ]    = { 1,    1,      1,       1,     0 },
		[COPLAN_ACTION_EDIT]    = { 1,    1,      0,       0,     0 },
		[COPLAN_ACTION_EXECUTE] = { 1,    1,      0,       0,     0 },
		[COPLAN_ACTION_AGREE]   = { 1,    1,      0,       0,     0 },
		[COPLAN_ACTION_SIGN]    = { 1,    0,      1,       0,     0 },
		[COPLAN_ACTION_ADMIN]   = { 1,    0,      0,       0,     0 },
	};
	fixture *f = *state;

	for (int action = COPLAN_ACTION_READ; action <= COPLAN_ACTION_ADMIN; action++) {
		for (int u = OWNER; u <= OUTSIDER; u++) {
			coplan_ctx ctx = as(f, u);
			int rc = coplan_service_authorize(&ctx, f->plan, (coplan_action)action);

			if (rc != (expected[action][u] ? 0 : COPLAN_EDENIED))
				fail_msg("action %d, user %s: got %d (%s)", action, users[u].name, rc,
				         coplan_error_last());
		}
		/* the local operator may do everything; an administrator has no role on a plan by that alone */
		coplan_ctx op = as(f, -1), admin = as(f, ADMIN);

		assert_int_equal(coplan_service_authorize(&op, f->plan, (coplan_action)action), 0);
		assert_int_equal(coplan_service_authorize(&admin, f->plan, (coplan_action)action), COPLAN_EDENIED);
	}
	/* managing users and making plans: administrators only */
	for (int u = 0; u < N_USERS; u++) {
		coplan_ctx ctx = as(f, u);

		assert_int_equal(coplan_service_authorize(&ctx, 0, COPLAN_ACTION_ADMIN),
		                 users[u].is_admin ? 0 : COPLAN_EDENIED);
	}
	/* the message names the role needed */
	{
		coplan_ctx ctx = as(f, VIEWER);

		assert_int_equal(coplan_service_authorize(&ctx, f->plan, COPLAN_ACTION_EDIT), COPLAN_EDENIED);
		assert_non_null(strstr(coplan_error_last(), "planner or owner"));
	}
	/* roles as the service tells them */
	for (int u = 0; u < N_USERS; u++) {
		coplan_ctx ctx = as(f, u);
		coplan_plan_role role = COPLAN_PLAN_ROLE_OWNER;

		assert_int_equal(coplan_service_role_of(&ctx, f->plan, &role), 0);
		assert_int_equal(role, users[u].role);
	}
}

/* READ: loading, versions, history, documents; the list of plans shows only the plans one has a role on. */
static void test_read(void **state)
{
	fixture *f = *state;

	for (int u = 0; u < N_USERS; u++) {
		coplan_ctx ctx = as(f, u);
		int want = users[u].role != COPLAN_PLAN_ROLE_NONE ? 0 : COPLAN_EDENIED;
		coplan_plan_version *v = NULL;
		coplan_activity_event *e = NULL;
		coplan_plan_entry *plans = NULL;
		coplan_plan *plan = NULL;
		char *out = NULL;
		size_t n = 0, len = 0;

		assert_int_equal(coplan_service_load(&ctx, f->plan, &plan, NULL), want);
		assert_true(want ? plan == NULL : plan != NULL);
		coplan_plan_free(plan);
		assert_int_equal(coplan_service_versions(&ctx, f->plan, &v, &n), want);
		coplan_plan_versions_free(v, n);
		assert_int_equal(coplan_service_history(&ctx, f->plan, NULL, &e, &n), want);
		coplan_activity_events_free(e, n);
		assert_int_equal(coplan_service_render(&ctx, f->plan, "md", NULL, &out, &len, NULL), want);
		free(out);
		assert_int_equal(coplan_service_plans(&ctx, &plans, &n), 0);
		assert_int_equal(n, want ? 0 : 1);
		coplan_plan_entries_free(plans, n);
	}
	/* a plan that does not exist is refused the same way: a refusal does not tell */
	{
		coplan_ctx ctx = as(f, VIEWER);
		coplan_plan *plan = NULL;

		assert_int_equal(coplan_service_load(&ctx, 999, &plan, NULL), COPLAN_EDENIED);
	}
}

static int edit_title(fixture *f, int u, const char *ref, const char *title)
{
	coplan_ctx ctx = as(f, u);
	coplan_field_value fv = { "title", title };

	return coplan_service_activity_edit(&ctx, f->plan, ref, -1, &fv, 1, NULL, NULL, NULL, NULL);
}

static int blackout(fixture *f, int u, const char *scope)
{
	coplan_ctx ctx = as(f, u);
	coplan_blackout b = { (char *)scope, 0, 0, 0, (char *)"national holiday week", NULL };

	b.from = coplan_date_from_ymd(2024, 12, 23);
	b.to = coplan_date_from_ymd(2024, 12, 27);
	return coplan_service_blackout_add(&ctx, f->plan, &b);
}

/* EDIT: activities, blackouts, import, schedule, amend: owner and planner only. */
static void test_edit(void **state)
{
	fixture *f = *state;
	coplan_import_request req;
	coplan_import_result res;
	coplan_schedule_result sres;
	coplan_schedule_request sreq = { -1, 1, 0, 0 };
	coplan_plan *plan = NULL;

	assert_int_equal(edit_title(f, OWNER, "IT-05", "Seminar on the enlarged Mediterranean"), 0);
	assert_int_equal(edit_title(f, PLANNER, "IT-05", "Seminar on the Mediterranean and the Indo-Pacific"), 0);
	assert_int_equal(edit_title(f, REVIEWER, "IT-05", "x"), COPLAN_EDENIED);
	assert_int_equal(edit_title(f, VIEWER, "IT-05", "x"), COPLAN_EDENIED);
	assert_int_equal(edit_title(f, OUTSIDER, "IT-05", "x"), COPLAN_EDENIED);
	assert_int_equal(edit_title(f, ADMIN, "IT-05", "x"), COPLAN_EDENIED);
	{
		coplan_ctx op = as(f, -1);

		assert_int_equal(coplan_service_load(&op, f->plan, &plan, NULL), 0);
		assert_string_equal(plan->activities[coplan_plan_find(plan, "IT-05")].title,
		                    "Seminar on the Mediterranean and the Indo-Pacific");
		coplan_plan_free(plan);
	}
	assert_int_equal(blackout(f, PLANNER, "ITA"), 0);
	assert_int_equal(blackout(f, REVIEWER, "ITA"), COPLAN_EDENIED);
	assert_int_equal(blackout(f, VIEWER, "JPN"), COPLAN_EDENIED);
	/* an import into the plan */
	memset(&req, 0, sizeof(req));
	req.path = EXAMPLE "/activities.csv";
	req.plan_id = f->plan;
	req.csv.update = 1;
	req.dry_run = 1;
	for (int u = REVIEWER; u <= OUTSIDER; u++) {
		coplan_ctx ctx = as(f, u);

		assert_int_equal(coplan_service_import(&ctx, &req, &res), COPLAN_EDENIED);
	}
	{
		coplan_ctx ctx = as(f, OWNER);

		assert_int_equal(coplan_service_import(&ctx, &req, &res), 0);
		coplan_import_result_clear(&res);
	}
	/* scheduling and amending are refused before any work */
	for (int u = REVIEWER; u <= OUTSIDER; u++) {
		coplan_ctx ctx = as(f, u);

		assert_int_equal(coplan_service_schedule(&ctx, f->plan, &sreq, &sres), COPLAN_EDENIED);
		assert_int_equal(coplan_service_amend(&ctx, f->plan, NULL, NULL, NULL), COPLAN_EDENIED);
	}
	{
		/* a planner may amend: refused here by the rule of the record (not signed), not by the role */
		coplan_ctx ctx = as(f, PLANNER);

		assert_int_equal(coplan_service_amend(&ctx, f->plan, NULL, NULL, NULL), COPLAN_ECONFLICT);
	}
}

/* A planner changes only the activities their nation hosts or takes part in. */
static void test_planner_nation(void **state)
{
	fixture *f = *state;
	coplan_ctx gary = as(f, GBR_PLANNER);
	coplan_field_value add[] = { { "title", "Bilateral visit" }, { "host", "ITA" },
	                             { "participants", "ITA;JPN" } };
	coplan_status_change confirm = { "IT-01", COPLAN_STATUS_CONFIRMED, COPLAN_DATE_NONE,
	                                 COPLAN_DATE_NONE, NULL, NULL };

	/* IT-07 and JP-10 have GBR taking part; IT-01 has not */
	assert_int_equal(edit_title(f, GBR_PLANNER, "IT-07", "GCAP trilateral programme review"), 0);
	assert_int_equal(edit_title(f, GBR_PLANNER, "IT-01", "x"), COPLAN_EDENIED);
	assert_non_null(strstr(coplan_error_last(), "GBR"));
	assert_int_equal(coplan_service_activity_delete(&gary, f->plan, "IT-01", -1, NULL), COPLAN_EDENIED);
	assert_int_equal(coplan_service_activity_add(&gary, f->plan, "IT-99", add, 3, NULL, NULL), COPLAN_EDENIED);
	assert_int_equal(blackout(f, GBR_PLANNER, "ITA"), COPLAN_EDENIED);
	assert_int_equal(blackout(f, GBR_PLANNER, "GBR"), 0);
	/* a unit of one of its activities is the nation's too */
	if (blackout(f, GBR_PLANNER, "GCAP national programme teams"))
		fail_msg("%s", coplan_error_last());
	assert_int_equal(coplan_service_set_statuses(&gary, f->plan, &confirm, 1, 0, NULL), COPLAN_EDENIED);
	confirm.ref = "JP-10";
	assert_int_equal(coplan_service_set_statuses(&gary, f->plan, &confirm, 1, 0, NULL), 0);
	/* the holidays of another nation are not a planner's to import */
	{
		coplan_import_request req;
		coplan_import_result res;
		coplan_ctx paolo = as(f, PLANNER), owner = as(f, OWNER);

		memset(&req, 0, sizeof(req));
		req.path = COPLAN_TEST_DATA "/ics-in/aus-plan/holidays/AUS.ics";
		req.nation = "AUS";
		req.plan_id = f->plan;
		req.dry_run = 1;
		assert_int_equal(coplan_service_import(&paolo, &req, &res), COPLAN_EDENIED);
		assert_non_null(strstr(coplan_error_last(), "holidays of AUS"));
		assert_int_equal(coplan_service_import(&owner, &req, &res), 0);
		coplan_import_result_clear(&res);
	}
	/* the owner is not held to a nation */
	assert_int_equal(edit_title(f, OWNER, "JP-02", "Bilateral passing exercise (PASSEX)"), 0);
	/* budgets: a planner sets their own nation's only; rates are the owner's (issue 17) */
	{
		coplan_budget ita = { "ITA", 2024, (char *)"SMD", "EUR", 100 }, gbr = { "GBR", 2024, (char *)"MOD", "GBP", 100 };
		coplan_rate r = { "EUR", "GBP", (char *)"0.85", 0 };
		coplan_ctx owner = as(f, OWNER);

		r.valid_from = coplan_date_from_ymd(2024, 1, 1);
		assert_int_equal(coplan_service_budget_set(&gary, f->plan, &ita, COPLAN_BUDGET_ANY, NULL), COPLAN_EDENIED);
		assert_non_null(strstr(coplan_error_last(), "budget of ITA"));
		assert_int_equal(coplan_service_budget_set(&gary, f->plan, &gbr, COPLAN_BUDGET_ANY, NULL), 0);
		assert_int_equal(coplan_service_rate_add(&gary, f->plan, &r, NULL), COPLAN_EDENIED);
		assert_int_equal(coplan_service_rate_add(&owner, f->plan, &r, NULL), 0);
	}
}

/* EXECUTE: owner and planner; the history records the author's nation. */
static void test_execute(void **state)
{
	fixture *f = *state;
	coplan_status_change c = { "IT-02", COPLAN_STATUS_CONFIRMED, COPLAN_DATE_NONE, COPLAN_DATE_NONE,
	                           NULL, NULL };
	coplan_activity_event *e = NULL;
	size_t n = 0;

	for (int u = REVIEWER; u <= OUTSIDER; u++) {
		coplan_ctx ctx = as(f, u);

		assert_int_equal(coplan_service_set_statuses(&ctx, f->plan, &c, 1, 0, NULL), COPLAN_EDENIED);
	}
	{
		coplan_ctx ctx = as(f, PLANNER);

		assert_int_equal(coplan_service_set_statuses(&ctx, f->plan, &c, 1, 0, NULL), 0);
		c.ref = "IT-03";
		ctx = as(f, OWNER);
		assert_int_equal(coplan_service_set_statuses(&ctx, f->plan, &c, 1, 0, NULL), 0);
		ctx = as(f, VIEWER);
		assert_int_equal(coplan_service_history(&ctx, f->plan, "IT-02", &e, &n), 0);
	}
	assert_int_equal(n, 1);
	assert_string_equal(e[0].author, "paolo");
	assert_string_equal(e[0].nation, "ITA");
	coplan_activity_events_free(e, n);
	{
		/* a logged-in user records as themselves, whatever the context or the change say */
		coplan_ctx ctx = as(f, PLANNER);
		coplan_status_change d = { "IT-04", COPLAN_STATUS_CONFIRMED, COPLAN_DATE_NONE,
		                           COPLAN_DATE_NONE, NULL, "Gen. Somebody Else" };

		ctx.user = "impostor";
		ctx.nation = "FRA";
		assert_int_equal(coplan_service_set_statuses(&ctx, f->plan, &d, 1, 0, NULL), 0);
		assert_int_equal(coplan_service_history(&ctx, f->plan, "IT-04", &e, &n), 0);
		assert_int_equal(n, 1);
		assert_string_equal(e[0].author, "paolo");
		assert_string_equal(e[0].nation, "ITA");
		coplan_activity_events_free(e, n);
	}
	{
		/* the JSON of the history carries it */
		char *json = NULL;
		coplan_ctx ctx = as(f, VIEWER);

		assert_int_equal(coplan_service_history(&ctx, f->plan, "IT-02", &e, &n), 0);
		assert_int_equal(coplan_events_format_json(&json, e, n), 0);
		assert_non_null(strstr(json, "\"nation\": \"ITA\""));
		free(json);
		coplan_activity_events_free(e, n);
	}
}

/* ADMIN: grant roles, copy, delete: the owner only; the last owner stays. */
static void test_admin(void **state)
{
	fixture *f = *state;
	coplan_role_grant *g = NULL;
	coplan_plan_role role;
	size_t n = 0;
	long copy = 0;

	for (int u = PLANNER; u <= OUTSIDER; u++) {
		coplan_ctx ctx = as(f, u);

		assert_int_equal(coplan_service_role_grant(&ctx, f->plan, "nobody", COPLAN_PLAN_ROLE_VIEWER),
		                 COPLAN_EDENIED);
		assert_int_equal(coplan_service_plan_copy(&ctx, f->plan, 0, "What if", NULL, NULL, NULL), COPLAN_EDENIED);
		assert_int_equal(coplan_service_plan_delete(&ctx, f->plan, 0), COPLAN_EDENIED);
	}
	{
		coplan_ctx ctx = as(f, OWNER), nobody = as(f, OUTSIDER);

		assert_int_equal(coplan_service_role_grant(&ctx, f->plan, "nobody", COPLAN_PLAN_ROLE_VIEWER), 0);
		assert_int_equal(coplan_service_authorize(&nobody, f->plan, COPLAN_ACTION_READ), 0);
		assert_int_equal(coplan_service_roles(&nobody, f->plan, &g, &n), 0);
		assert_int_equal(n, N_USERS - 1); /* everyone but the administrator */
		assert_string_equal(g[0].account, "gary"); /* by name */
		free(g);
		assert_int_equal(coplan_service_role_grant(&ctx, f->plan, "nobody", COPLAN_PLAN_ROLE_NONE), 0);
		assert_int_equal(coplan_service_authorize(&nobody, f->plan, COPLAN_ACTION_READ), COPLAN_EDENIED);
		assert_int_equal(coplan_service_role_grant(&ctx, f->plan, "nosuchuser", COPLAN_PLAN_ROLE_VIEWER),
		                 COPLAN_ENOTFOUND);
		/* the last owner cannot go */
		assert_int_equal(coplan_service_role_grant(&ctx, f->plan, "olivia", COPLAN_PLAN_ROLE_PLANNER),
		                 COPLAN_ECONFLICT);
		/* a copy is its maker's: owner of it, and in their list */
		assert_int_equal(coplan_service_plan_copy(&ctx, f->plan, 0, "What if: no GCAP", &copy, NULL, NULL), 0);
		assert_int_equal(coplan_service_role_of(&ctx, copy, &role), 0);
		assert_int_equal(role, COPLAN_PLAN_ROLE_OWNER);
		ctx = as(f, VIEWER);
		assert_int_equal(coplan_service_role_of(&ctx, copy, &role), 0);
		assert_int_equal(role, COPLAN_PLAN_ROLE_NONE);
		ctx = as(f, OWNER);
		assert_int_equal(coplan_service_plan_delete(&ctx, copy, 0), 0);
	}
}

/* Users and plans are made by administrators; a plan's maker becomes its owner. */
static void test_users(void **state)
{
	fixture *f = *state;
	coplan_ctx admin = as(f, ADMIN), owner = as(f, OWNER), op = as(f, -1);
	coplan_account *list = NULL;
	coplan_import_request req;
	coplan_import_result res;
	coplan_plan_role role;
	size_t n = 0;
	long id = 0;

	assert_int_equal(coplan_service_user_add(&owner, "mallory", "ITA", NULL, PASSWORD, 1, NULL), COPLAN_EDENIED);
	assert_int_equal(coplan_service_user_add(&admin, "bad name!", "ITA", NULL, PASSWORD, 0, NULL), COPLAN_EINVALID);
	assert_int_equal(coplan_service_user_add(&admin, "short", "ITA", NULL, "tooshort", 0, NULL), COPLAN_EINVALID);
	assert_int_equal(coplan_service_user_add(&admin, "nation", "XXX", NULL, PASSWORD, 0, NULL), COPLAN_EINVALID);
	assert_int_equal(coplan_service_user_add(&admin, "paolo", "ITA", NULL, PASSWORD, 0, NULL), COPLAN_EEXISTS);
	assert_int_equal(coplan_service_user_add(&admin, "kenji", "JPN", "Cdr Kenji Sato", PASSWORD, 0, &id), 0);
	assert_true(id > 0);
	assert_int_equal(coplan_service_users(&owner, &list, &n), COPLAN_EDENIED);
	assert_int_equal(coplan_service_users(&admin, &list, &n), 0);
	assert_int_equal(n, N_USERS + 1);
	assert_string_equal(list[0].name, "ada");
	assert_true(list[0].is_admin);
	assert_string_equal(list[1].name, "gary");
	assert_string_equal(list[2].display_name, "Cdr Kenji Sato");
	coplan_accounts_free(list, n);
	assert_int_equal(coplan_service_user_disable(&owner, "kenji", 1), COPLAN_EDENIED);
	assert_int_equal(coplan_service_user_disable(&admin, "ada", 1), COPLAN_ECONFLICT);
	/* a new plan: an administrator's, who owns it */
	memset(&req, 0, sizeof(req));
	req.path = EXAMPLE "/plan.json";
	assert_int_equal(coplan_service_import(&owner, &req, &res), COPLAN_EDENIED);
	(void)op;
	{
		coplan_plan *plan = NULL;
		coplan_ctx ctx = as(f, -1);

		/* the same title and year exist already: import it under another title */
		assert_int_equal(coplan_service_load(&ctx, f->plan, &plan, NULL), 0);
		free(plan->title);
		plan->title = strdup("Italy-Japan Cooperation Plan 2024 (exercise copy)");
		plan->uuid[0] = '\0';
		{
			coplan_schedule_request sreq = { -1, 1, 0, 0 };
			coplan_schedule_result sres;

			assert_int_equal(coplan_service_plan_new(&owner, plan, &sreq, &sres), COPLAN_EDENIED);
			/* a tiny budget: what is tested is who owns it, not the schedule */
			for (size_t i = 0; i < plan->n_activities; i++)
				plan->activities[i].start = plan->activities[i].end = COPLAN_DATE_NONE;
			sreq.time_limit = 0.01;
			assert_int_equal(coplan_service_plan_new(&admin, plan, &sreq, &sres), 0);
			assert_int_equal(coplan_service_role_of(&admin, sres.plan_id, &role), 0);
			assert_int_equal(role, COPLAN_PLAN_ROLE_OWNER);
			assert_int_equal(coplan_service_plan_delete(&admin, sres.plan_id, 1), 0);
			coplan_schedule_result_clear(&sres);
		}
		coplan_plan_free(plan);
	}
}

/* Logging in: wrong password, disabled user, a session, its expiry, logout. */
static void test_login(void **state)
{
	fixture *f = *state;
	coplan_ctx ctx = as(f, -1), admin = as(f, ADMIN);
	char token[COPLAN_TOKEN_LEN], again[COPLAN_TOKEN_LEN];
	coplan_session s, t;

	assert_int_equal(coplan_service_login(&ctx, "victor", "wrong password, long", 3600, token, &s), COPLAN_EAUTH);
	assert_int_equal(token[0], '\0');
	assert_int_equal(coplan_service_login(&ctx, "nosuchuser", PASSWORD, 3600, token, &s), COPLAN_EAUTH);
	/* disabled: refused with the right password, with the same message */
	assert_int_equal(coplan_service_user_disable(&admin, "victor", 1), 0);
	assert_int_equal(coplan_service_login(&ctx, "victor", PASSWORD, 3600, token, &s), COPLAN_EAUTH);
	assert_non_null(strstr(coplan_error_last(), "wrong user name or password"));
	assert_int_equal(coplan_service_user_disable(&admin, "victor", 0), 0);

	assert_int_equal(coplan_service_login(&ctx, "victor", PASSWORD, 3600, token, &s), 0);
	assert_int_equal(strlen(token), COPLAN_TOKEN_LEN - 1);
	assert_int_equal(strlen(s.csrf), COPLAN_TOKEN_LEN - 1);
	assert_string_not_equal(token, s.csrf);
	assert_string_equal(s.name, "victor");
	assert_string_equal(s.nation, "JPN");
	assert_int_equal(s.account_id, f->ids[VIEWER]);
	assert_int_equal(s.expires, f->now + 3600);
	assert_int_equal(coplan_service_session(&ctx, token, &t), 0);
	assert_int_equal(t.account_id, s.account_id);
	assert_string_equal(t.csrf, s.csrf);
	assert_int_equal(coplan_session_csrf_check(&t, s.csrf), 0);
	assert_int_equal(coplan_session_csrf_check(&t, token), COPLAN_EAUTH);
	/* a token not ours, a damaged one */
	memcpy(again, token, sizeof(again));
	again[0] = again[0] == 'A' ? 'B' : 'A';
	assert_int_equal(coplan_service_session(&ctx, again, &t), COPLAN_EAUTH);
	assert_int_equal(coplan_service_session(&ctx, "short", &t), COPLAN_EAUTH);
	/* disabling ends the sessions */
	assert_int_equal(coplan_service_user_disable(&admin, "victor", 1), 0);
	assert_int_equal(coplan_service_session(&ctx, token, &t), COPLAN_EAUTH);
	assert_int_equal(coplan_service_user_disable(&admin, "victor", 0), 0);
	/* expiry, by ctx's clock */
	assert_int_equal(coplan_service_login(&ctx, "victor", PASSWORD, 60, token, &s), 0);
	f->now += 59;
	assert_int_equal(coplan_service_session(&ctx, token, &t), 0);
	f->now += 1;
	assert_int_equal(coplan_service_session(&ctx, token, &t), COPLAN_EAUTH);
	assert_non_null(strstr(coplan_error_last(), "expired"));
	/* logout */
	assert_int_equal(coplan_service_login(&ctx, "victor", PASSWORD, 3600, token, &s), 0);
	assert_int_equal(coplan_service_logout(&ctx, token), 0);
	assert_int_equal(coplan_service_session(&ctx, token, &t), COPLAN_EAUTH);
	assert_int_equal(coplan_service_logout(&ctx, token), 0); /* gone already: no error */
	assert_int_equal(coplan_service_login(&ctx, "victor", PASSWORD, 0, token, &s), COPLAN_EUSAGE);
}

/* Five failures of a name refuse even the right password until the window has passed. */
static void test_rate_limit(void **state)
{
	fixture *f = *state;
	coplan_ctx ctx = as(f, -1);
	char token[COPLAN_TOKEN_LEN];
	coplan_session s;

	for (int i = 0; i < COPLAN_LOGIN_FAILURES; i++) {
		assert_int_equal(coplan_service_login(&ctx, "rita", "not her password", 3600, token, &s), COPLAN_EAUTH);
		f->now += 10;
	}
	assert_int_equal(coplan_service_login(&ctx, "rita", PASSWORD, 3600, token, &s), COPLAN_ELIMIT);
	/* other names are not held up */
	assert_int_equal(coplan_service_login(&ctx, "olivia", PASSWORD, 3600, token, &s), 0);
	/* the window passes from the first failure */
	f->now += COPLAN_LOGIN_WINDOW - 5 * 10 - 1;
	assert_int_equal(coplan_service_login(&ctx, "rita", PASSWORD, 3600, token, &s), COPLAN_ELIMIT);
	f->now += 1;
	assert_int_equal(coplan_service_login(&ctx, "rita", PASSWORD, 3600, token, &s), 0);
	assert_string_equal(s.name, "rita");
}

/* A new password ends every session of the user; only the user or an administrator sets it. */
static void test_passwd(void **state)
{
	fixture *f = *state;
	coplan_ctx op = as(f, -1), paolo = as(f, PLANNER), rita = as(f, REVIEWER);
	char token[COPLAN_TOKEN_LEN];
	coplan_session s;

	assert_int_equal(coplan_service_login(&op, "paolo", PASSWORD, 3600, token, &s), 0);
	assert_int_equal(coplan_service_user_passwd(&rita, "paolo", "rita's choice for him"), COPLAN_EDENIED);
	assert_int_equal(coplan_service_session(&op, token, &s), 0);
	assert_int_equal(coplan_service_user_passwd(&paolo, "paolo", "a new passphrase for paolo"), 0);
	assert_int_equal(coplan_service_session(&op, token, &s), COPLAN_EAUTH);
	assert_int_equal(coplan_service_login(&op, "paolo", PASSWORD, 3600, token, &s), COPLAN_EAUTH);
	assert_int_equal(coplan_service_login(&op, "paolo", "a new passphrase for paolo", 3600, token, &s), 0);
}

/* A feed token: the same at every call, mapped back to its user and plan, gone with the role. */
static void test_feed_token(void **state)
{
	fixture *f = *state;
	coplan_ctx victor = as(f, VIEWER), nobody = as(f, OUTSIDER), op = as(f, -1);
	char a[COPLAN_TOKEN_LEN], b[COPLAN_TOKEN_LEN], c[COPLAN_TOKEN_LEN];
	coplan_session s;
	long plan = 0;

	assert_int_equal(coplan_service_feed_token(&victor, f->plan, a), 0);
	assert_int_equal(coplan_service_feed_token(&victor, f->plan, b), 0);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), COPLAN_TOKEN_LEN - 1);
	assert_int_equal(coplan_service_feed_token(&nobody, f->plan, c), COPLAN_EDENIED);
	assert_int_equal(coplan_service_feed_token(&op, f->plan, c), COPLAN_EAUTH);
	{
		coplan_ctx rita = as(f, REVIEWER);

		assert_int_equal(coplan_service_feed_token(&rita, f->plan, c), 0);
		assert_string_not_equal(a, c);
	}
	assert_int_equal(coplan_service_feed_account(&op, a, &s, &plan), 0);
	assert_int_equal(plan, f->plan);
	assert_int_equal(s.account_id, f->ids[VIEWER]);
	assert_string_equal(s.nation, "JPN");
	/* the role taken away takes the feed with it; given back, the feed is a new one */
	assert_int_equal(coplan_service_role_grant(&op, f->plan, "victor", COPLAN_PLAN_ROLE_NONE), 0);
	assert_int_equal(coplan_service_feed_account(&op, a, &s, &plan), COPLAN_EAUTH);
	assert_int_equal(coplan_service_role_grant(&op, f->plan, "victor", COPLAN_PLAN_ROLE_VIEWER), 0);
	assert_int_equal(coplan_service_feed_token(&victor, f->plan, b), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(coplan_service_feed_account(&op, "not-a-token", &s, &plan), COPLAN_EAUTH);
}

/* Concurrent editing: an edit made on an older revision is refused, naming what is stored now. */
static void test_expected_sequence(void **state)
{
	fixture *f = *state;
	coplan_ctx ctx = as(f, PLANNER);
	coplan_field_value mine = { "title", "Mountain warfare course" };
	coplan_field_value theirs = { "title", "Winter warfare course (Aosta)" };
	coplan_plan *plan = NULL;
	int seq;

	assert_int_equal(coplan_service_load(&ctx, f->plan, &plan, NULL), 0);
	seq = plan->activities[coplan_plan_find(plan, "IT-02")].sequence;
	coplan_plan_free(plan);
	/* someone else saves first */
	assert_int_equal(coplan_service_activity_edit(&ctx, f->plan, "IT-02", seq, &theirs, 1, NULL, NULL, NULL, NULL), 0);
	/* the second edit was made on what it read before: refused */
	assert_int_equal(coplan_service_activity_edit(&ctx, f->plan, "IT-02", seq, &mine, 1, NULL, NULL, NULL, NULL),
	                 COPLAN_ECONFLICT);
	assert_non_null(strstr(coplan_error_last(), "title 'Winter warfare course (Aosta)'"));
	assert_int_equal(coplan_service_activity_pin(&ctx, f->plan, "IT-02", seq, COPLAN_DATE_NONE, 0, NULL),
	                 COPLAN_ECONFLICT);
	assert_int_equal(coplan_service_activity_delete(&ctx, f->plan, "IT-02", seq, NULL), COPLAN_ECONFLICT);
	assert_int_equal(coplan_service_load(&ctx, f->plan, &plan, NULL), 0);
	assert_string_equal(plan->activities[coplan_plan_find(plan, "IT-02")].title, "Winter warfare course (Aosta)");
	assert_int_equal(plan->activities[coplan_plan_find(plan, "IT-02")].sequence, seq + 1);
	coplan_plan_free(plan);
	/* on the revision it reads now, it goes through */
	assert_int_equal(coplan_service_activity_edit(&ctx, f->plan, "IT-02", seq + 1, &mine, 1, NULL, NULL, NULL, NULL), 0);
}

/* AGREE and SIGN: a planner agrees, a reviewer signs; versions record the author's nation. */
static void test_versions(void **state)
{
	fixture *f = *state;
	coplan_plan_version *v = NULL;
	size_t n = 0;
	int number = 0;

	for (int u = REVIEWER; u <= OUTSIDER; u++) {
		coplan_ctx ctx = as(f, u);

		assert_int_equal(coplan_service_version_save(&ctx, f->plan, COPLAN_VERSION_DRAFT, NULL, NULL,
		                                             NULL, NULL), COPLAN_EDENIED);
	}
	{
		coplan_ctx paolo = as(f, PLANNER), rita = as(f, REVIEWER), victor = as(f, VIEWER);
		char *json = NULL;

		assert_int_equal(coplan_service_version_save(&paolo, f->plan, COPLAN_VERSION_DRAFT, NULL,
		                                             &number, NULL, NULL), 0);
		/* the plan has no conflicts with its hard constraints: the roles decide */
		assert_int_equal(coplan_service_version_save(&paolo, f->plan, COPLAN_VERSION_AGREED,
		                                             "at the talks", &number, NULL, NULL), 0);
		assert_int_equal(coplan_service_version_save(&paolo, f->plan, COPLAN_VERSION_SIGNED, NULL,
		                                             NULL, NULL, NULL), COPLAN_EDENIED);
		assert_int_equal(coplan_service_version_save(&victor, f->plan, COPLAN_VERSION_SIGNED, NULL,
		                                             NULL, NULL, NULL), COPLAN_EDENIED);
		assert_int_equal(coplan_service_version_save(&rita, f->plan, COPLAN_VERSION_SIGNED, NULL,
		                                             &number, NULL, NULL), 0);
		assert_int_equal(number, 3);
		assert_int_equal(coplan_service_versions(&victor, f->plan, &v, &n), 0);
		assert_true(n >= 1);
		assert_string_equal(v[0].author, "paolo");
		assert_string_equal(v[0].nation, "ITA");
		assert_int_equal(coplan_versions_format_json(&json, v, n), 0);
		assert_non_null(strstr(json, "\"nation\": \"ITA\""));
		free(json);
		coplan_plan_versions_free(v, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_planner_nation),
		cmocka_unit_test(test_execute),
		cmocka_unit_test(test_admin),
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_login),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_passwd),
		cmocka_unit_test(test_feed_token),
		cmocka_unit_test(test_expected_sequence),
		cmocka_unit_test(test_versions),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
