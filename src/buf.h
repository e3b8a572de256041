/* SPDX-License-Identifier: Apache-2.0 */
/* buf.h - a growable byte buffer with a hard cap, for every input and output built in memory. */
#ifndef COPLAN_BUF_H
#define COPLAN_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include "common.h"

/*
 * Invariants: data is NULL or NUL-terminated at data[len]; len < cap;
 * len never exceeds max.  A buffer that would grow past max fails with
 * COPLAN_ELIMIT and is left unchanged.  CP_BUF_INIT(max) is a valid empty
 * buffer; cp_buf_release() frees it; cp_buf_detach() hands data over.
 */
typedef struct {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
} cp_buf;

#define CP_BUF_DEFAULT_MAX ((size_t)256 * 1024 * 1024)
#define CP_BUF_INIT(max_) { NULL, 0, 0, (max_) }

/* Append n bytes; 0, COPLAN_ELIMIT or COPLAN_ENOMEM (last error set). */
int cp_buf_add(cp_buf *b, const void *data, size_t n);

/* Append a NUL-terminated string. */
int cp_buf_puts(cp_buf *b, const char *s);

/* Append one byte. */
int cp_buf_putc(cp_buf *b, char c);

/* Append printf-style formatted text. */
int cp_buf_printf(cp_buf *b, const char *fmt, ...) CP_PRINTF(2, 3);

/* Empty the buffer, keeping its memory. */
void cp_buf_clear(cp_buf *b);

/* Free the memory and reset to empty (max is kept). */
void cp_buf_release(cp_buf *b);

/*
 * Hand the data (always NUL-terminated, never NULL on success) to the
 * caller, who frees it; the buffer is left empty.  *len may be NULL.
 * Returns NULL only when allocating an empty string fails.
 */
char *cp_buf_detach(cp_buf *b, size_t *len);

/*
 * Read the whole file at path into b (replacing its content).
 * Errors: COPLAN_EIO (naming the path and errno), COPLAN_ELIMIT, COPLAN_ENOMEM.
 */
int cp_buf_read_file(cp_buf *b, const char *path);

/*
 * Write n bytes to path atomically: to a temporary file beside it, fsync,
 * then rename over path and fsync the folder, so that path is either the old or the new content.
 * The new file keeps an old one's mode (and owner, where the process may
 * set it); a new file gets 0666 less the umask.  A symbolic link stays a
 * link (its target is replaced); a FIFO or device (/dev/null, a terminal)
 * is written through, never replaced; a folder or a file the process may
 * not write is refused.  Errors: COPLAN_EIO, COPLAN_ENOMEM.
 */
int cp_write_file_atomic(const char *path, const void *data, size_t n);

/*
 * fsync the folder that holds path (".", when path has no '/'), so that a
 * rename or creation of path survives a crash.  A file system that cannot
 * sync a folder (EINVAL) is not an error.  Errors: COPLAN_EIO, COPLAN_ENOMEM.
 */
int cp_fsync_dir_of(const char *path);

#endif
