/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_disk_full.c - a full disk, for real as SQLite sees it: a VFS registered by this test
 * program (never by the library) as the default wraps the system's and makes every write
 * fail with SQLITE_FULL once a budget of bytes is spent, as a file system out of space does.
 * The import of the example's activities runs with budgets from 0 bytes up, doubling, until
 * it succeeds: each time it either succeeds or says "the disk is full" naming the database
 * file, and the database is then exactly as before.  (RLIMIT_FSIZE would give EFBIG, not
 * ENOSPC, and a real full file system needs root to mount.)
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
#include <sqlite3.h>

#include "coplan/coplan.h"
#include "test_util.h"

#define EXAMPLE COPLAN_SOURCE_DIR "/examples/italy-japan-2024"

/* ---- the VFS: the system's, with a budget of bytes written (this program's state) ---- */

static struct {
	sqlite3_vfs vfs;
	sqlite3_vfs *real;
	long long budget;       /* bytes that may still be written; < 0: no limit */
	int refused;            /* writes refused since the budget was set */
} full;

typedef struct {
	sqlite3_file base;      /* pMethods: full_io */
	sqlite3_file *real;     /* the system VFS's file, just after this struct */
} full_file;

#define REAL(f) (((full_file *)(f))->real)

static int f_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{ return REAL(f)->pMethods->xRead(REAL(f), buf, n, off); }
static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (full.budget >= 0) {
		if (n > full.budget) {
			full.refused++;
			return SQLITE_FULL;
		}
		full.budget -= n;
	}
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{ return REAL(f)->pMethods->xTruncate(REAL(f), size); }
static int f_sync(sqlite3_file *f, int flags) { return REAL(f)->pMethods->xSync(REAL(f), flags); }
static int f_size(sqlite3_file *f, sqlite3_int64 *size) { return REAL(f)->pMethods->xFileSize(REAL(f), size); }
static int f_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int f_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int f_reserved(sqlite3_file *f, int *out)
{ return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out); }
static int f_control(sqlite3_file *f, int op, void *arg)
{ return REAL(f)->pMethods->xFileControl(REAL(f), op, arg); }
static int f_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int f_device(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int f_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **out)
{ return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, out); }
static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{ return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags); }
static void f_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int f_shm_unmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }

/* Version 2: no memory-mapped reads (xFetch), so that every page goes through xRead/xWrite. */
static const sqlite3_io_methods full_io = {
	2, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock, f_reserved,
	f_control, f_sector, f_device, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap, NULL, NULL,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
	full_file *f = (full_file *)file;
	int rc;

	(void)vfs;
	f->real = (sqlite3_file *)(f + 1);
	rc = full.real->xOpen(full.real, name, f->real, flags, out_flags);
	/* a file the system VFS could not open has nothing to close */
	f->base.pMethods = f->real->pMethods ? &full_io : NULL;
	return rc;
}
static int v_delete(sqlite3_vfs *v, const char *name, int sync)
{ (void)v; return full.real->xDelete(full.real, name, sync); }
static int v_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{ (void)v; return full.real->xAccess(full.real, name, flags, out); }
static int v_fullpath(sqlite3_vfs *v, const char *name, int n, char *out)
{ (void)v; return full.real->xFullPathname(full.real, name, n, out); }
static void *v_dlopen(sqlite3_vfs *v, const char *name) { (void)v; return full.real->xDlOpen(full.real, name); }
static void v_dlerror(sqlite3_vfs *v, int n, char *msg) { (void)v; full.real->xDlError(full.real, n, msg); }
static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{ (void)v; return full.real->xDlSym(full.real, h, sym); }
static void v_dlclose(sqlite3_vfs *v, void *h) { (void)v; full.real->xDlClose(full.real, h); }
static int v_random(sqlite3_vfs *v, int n, char *out) { (void)v; return full.real->xRandomness(full.real, n, out); }
static int v_sleep(sqlite3_vfs *v, int us) { (void)v; return full.real->xSleep(full.real, us); }
static int v_time(sqlite3_vfs *v, double *out) { (void)v; return full.real->xCurrentTime(full.real, out); }
static int v_last_error(sqlite3_vfs *v, int n, char *out)
{ (void)v; return full.real->xGetLastError(full.real, n, out); }
static int v_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{ (void)v; return full.real->xCurrentTimeInt64(full.real, out); }

static void register_full_vfs(void)
{
	full.real = sqlite3_vfs_find(NULL);
	assert_non_null(full.real);
	full.budget = -1;
	full.vfs.iVersion = 2;
	full.vfs.szOsFile = (int)sizeof(full_file) + full.real->szOsFile;
	full.vfs.mxPathname = full.real->mxPathname;
	full.vfs.zName = "coplan-test-full";
	full.vfs.xOpen = v_open;
	full.vfs.xDelete = v_delete;
	full.vfs.xAccess = v_access;
	full.vfs.xFullPathname = v_fullpath;
	full.vfs.xDlOpen = v_dlopen;
	full.vfs.xDlError = v_dlerror;
	full.vfs.xDlSym = v_dlsym;
	full.vfs.xDlClose = v_dlclose;
	full.vfs.xRandomness = v_random;
	full.vfs.xSleep = v_sleep;
	full.vfs.xCurrentTime = v_time;
	full.vfs.xGetLastError = v_last_error;
	full.vfs.xCurrentTimeInt64 = v_time64;
	assert_int_equal(sqlite3_vfs_register(&full.vfs, 1), SQLITE_OK);
}

/* ---- the test ------------------------------------------------------------------ */

static char base_path[512], run_path[512];

static int import_file(const char *db, const char *path, long long budget)
{
	coplan_ctx ctx = { 0 };
	coplan_import_request req = { 0 };
	coplan_import_result res;
	int rc;

	memset(&res, 0, sizeof(res));
	ctx.user = "Lt Col Test";
	req.path = path;
	if ((rc = coplan_store_open_existing(&ctx.store, db)))
		return rc;
	full.budget = budget;
	full.refused = 0;
	rc = coplan_service_import(&ctx, &req, &res);
	full.budget = -1;
	coplan_import_result_clear(&res);
	coplan_store_close(ctx.store);
	return rc;
}

static void test_import_disk_full(void **state)
{
	char *before;
	int failures = 0;

	(void)state;
	{
		coplan_store *store = NULL;

		test_remove_db(base_path);
		assert_int_equal(coplan_store_open(&store, base_path), 0);
		coplan_store_close(store);
	}
	assert_int_equal(import_file(base_path, EXAMPLE "/plan.json", -1), 0);
	before = test_db_dump(base_path);
	for (long long budget = 0;; budget = budget ? budget * 2 : 256) {
		char msg[1024];
		char *after;
		int rc, refused;

		assert_true(budget < (1LL << 30));
		test_copy_db(base_path, run_path);
		coplan_error_clear();
		rc = import_file(run_path, EXAMPLE "/activities.csv", budget);
		refused = full.refused;
		snprintf(msg, sizeof(msg), "%s", coplan_error_last());
		if (rc == 0) {
			after = test_db_dump(run_path);
			assert_true(strcmp(before, after) != 0);
			free(after);
			print_message("import of activities.csv: refused as disk full with a budget of up to "
			              "%lld bytes (%d budgets), each saying so and changing nothing\n",
			              budget / 2, failures);
			break;
		}
		if (!failures++)
			print_message("budget %lld bytes: %s\n", budget, msg);
		assert_true(refused > 0);
		if (rc != COPLAN_ESTORE || !strstr(msg, "the disk is full") || !strstr(msg, run_path))
			fail_msg("budget %lld bytes: returned %d, '%s' (expected the disk is full, naming %s)",
			         budget, rc, msg, run_path);
		after = test_db_dump(run_path);
		if (strcmp(before, after) != 0)
			fail_msg("budget %lld bytes: the database changed", budget);
		free(after);
	}
	assert_true(failures >= 3);
	free(before);
}

static int setup(void **state)
{
	(void)state;
	register_full_vfs();
	snprintf(base_path, sizeof(base_path), "%s/test_disk_full_%ld.db", COPLAN_TEST_TMP, (long)getpid());
	snprintf(run_path, sizeof(run_path), "%s/test_disk_full_run_%ld.db", COPLAN_TEST_TMP, (long)getpid());
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_remove_db(base_path);
	test_remove_db(run_path);
	sqlite3_vfs_unregister(&full.vfs);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_disk_full),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
