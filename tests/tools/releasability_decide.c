/* SPDX-License-Identifier: Apache-2.0 */
/*
 * releasability_decide.c - prints what the service layer lets each reader
 * see, for tests/test_releasability_matrix.py to compare with its own
 * oracle.  Usage: releasability_decide DB < cases, where cases holds lines
 *   L<TAB>label            an activity label ("-": none, the plan's)
 *   U<TAB>nation<TAB>clearance<TAB>caveats   a reader ("-": none)
 * It makes the example plan with the plan label "UNCLASSIFIED", labels
 * its first activities with the L lines in order (written to the database
 * as they are, so that a label that does not parse reaches the filter),
 * adds one viewer per U line, and prints for every reader and activity:
 *   nation<TAB>clearance<TAB>caveats<TAB>label<TAB>0|1
 * (1: coplan_service_load() as that reader holds the activity).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "coplan/coplan.h"

#define MAX_CASES 28
#define MAX_READERS 64

static char *field(char **line)
{
	char *s = *line, *tab = strchr(s, '\t');

	if (tab) {
		*tab = '\0';
		*line = tab + 1;
	} else {
		*line = s + strlen(s);
	}
	return s;
}

int main(int argc, char **argv)
{
	static char labels[MAX_CASES][1100];
	static char readers[MAX_READERS][3][300];
	size_t n_labels = 0, n_readers = 0;
	char line[1200], refs[MAX_CASES][32], seal[65];
	coplan_store *store = NULL;
	coplan_plan_folder_result folder;
	coplan_schedule_request req = { .time_limit = -1 };
	coplan_plan *plan = NULL;
	coplan_ctx op;
	sqlite3 *db = NULL;
	long ids[MAX_READERS];
	int rc = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: releasability_decide DB EXAMPLE_DIR < cases\n");
		return 2;
	}
	while (fgets(line, sizeof(line), stdin)) {
		char *p = line, *kind;

		line[strcspn(line, "\n")] = '\0';
		kind = field(&p);
		if (!strcmp(kind, "L") && n_labels < MAX_CASES)
			snprintf(labels[n_labels++], sizeof(labels[0]), "%s", field(&p));
		else if (!strcmp(kind, "U") && n_readers < MAX_READERS) {
			for (int k = 0; k < 3; k++)
				snprintf(readers[n_readers][k], sizeof(readers[0][0]), "%s", field(&p));
			n_readers++;
		}
	}
	remove(argv[1]);
	if (coplan_store_open(&store, argv[1]))
		goto fail;
	memset(&op, 0, sizeof(op));
	op.store = store;
	op.user = "oracle";
	if (coplan_service_plan_folder_read(argv[2], NULL, &plan, &folder))
		goto fail;
	free(plan->label); /* the example states its own */
	plan->label = strdup("UNCLASSIFIED");
	if (!plan->label || plan->n_activities < n_labels)
		goto fail;
	for (size_t i = 0; i < n_labels; i++)
		snprintf(refs[i], sizeof(refs[0]), "%s", plan->activities[i].ref);
	if (coplan_service_plan_new(&op, plan, &req, &folder.schedule))
		goto fail;
	coplan_plan_folder_result_clear(&folder);
	coplan_plan_free(plan);
	plan = NULL;
	/*
	 * the labels as the cases give them, valid or not: straight into the
	 * record, with the plan's seal made for them (coplan itself refuses a
	 * label that does not parse on the way in)
	 */
	if (coplan_service_load(&op, 1, &plan, NULL))
		goto fail;
	for (size_t i = 0; i < n_labels; i++)
		if (strcmp(labels[i], "-") && !(plan->activities[i].label = strdup(labels[i])))
			goto fail;
	if (coplan_plan_digest(seal, plan) || sqlite3_open(argv[1], &db) != SQLITE_OK)
		goto fail;
	coplan_plan_free(plan);
	plan = NULL;
	for (size_t i = 0; i <= n_labels; i++) {
		sqlite3_stmt *st = NULL;

		if (sqlite3_prepare_v2(db, i < n_labels ? "UPDATE activity SET label = ?1 WHERE ref = ?2"
		                                        : "UPDATE plan SET content_sha256 = ?1 WHERE id = 1",
		                       -1, &st, NULL) != SQLITE_OK)
			goto fail;
		if (i == n_labels)
			sqlite3_bind_text(st, 1, seal, -1, SQLITE_STATIC);
		else if (strcmp(labels[i], "-"))
			sqlite3_bind_text(st, 1, labels[i], -1, SQLITE_STATIC);
		if (i < n_labels)
			sqlite3_bind_text(st, 2, refs[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(st);
		if (rc)
			goto fail;
	}
	sqlite3_close(db);
	db = NULL;
	for (size_t u = 0; u < n_readers; u++) {
		char name[32];

		snprintf(name, sizeof(name), "reader%zu", u);
		if (coplan_service_user_add_cleared(&op, name, readers[u][0], NULL, "a long enough password", 0,
		                                    strcmp(readers[u][1], "-") ? readers[u][1] : NULL,
		                                    strcmp(readers[u][2], "-") ? readers[u][2] : NULL, &ids[u]) ||
		    coplan_service_role_grant(&op, 1, name, COPLAN_PLAN_ROLE_VIEWER))
			goto fail;
	}
	for (size_t u = 0; u < n_readers; u++) {
		coplan_ctx ctx = op;

		ctx.account = ids[u];
		if (coplan_service_load(&ctx, 1, &plan, NULL))
			goto fail;
		for (size_t i = 0; i < n_labels; i++)
			printf("%s\t%s\t%s\t%s\t%d\n", readers[u][0], readers[u][1], readers[u][2], labels[i],
			       coplan_plan_find(plan, refs[i]) >= 0);
		coplan_plan_free(plan);
		plan = NULL;
	}
	coplan_store_close(store);
	return 0;
fail:
	fprintf(stderr, "releasability_decide: %s\n", coplan_error_last());
	if (db)
		sqlite3_close(db);
	coplan_plan_free(plan);
	coplan_store_close(store);
	return 1;
}
