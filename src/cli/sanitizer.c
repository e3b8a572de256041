/* SPDX-License-Identifier: Apache-2.0 */
/* sanitizer.c - run-time options for sanitizer builds of the command (no effect otherwise). */

/*
 * LeakSanitizer: cairo 1.16 (Debian 12) loses about 768 bytes per embedded
 * CFF (OpenType) font subset when a PDF surface is finished; ours are
 * released (coplan_document_shutdown() frees the font caches).  Suppressed
 * by name so that a sanitizer run still reports every leak of our own; the
 * name is only seen with the slow unwinder (Debian's cairo has no frame
 * pointers).
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:cairo_surface_finish\n";
}
