/* SPDX-License-Identifier: Apache-2.0 */
/* buf.c - growable, capped byte buffer and whole-file read and atomic write. */
/* realpath() is X/Open (XSI), beyond the POSIX base the build asks for */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

static int buf_reserve(cp_buf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return cp_error(COPLAN_ELIMIT, "input larger than the limit of %zu bytes", b->max);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > ((size_t)-1) / 2 ? need : ncap * 2;
	p = realloc(b->data, ncap);
	if (!p)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	b->data = p;
	b->cap = ncap;
	return 0;
}

int cp_buf_add(cp_buf *b, const void *data, size_t n)
{
	int rc = buf_reserve(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int cp_buf_puts(cp_buf *b, const char *s)
{
	return cp_buf_add(b, s, strlen(s));
}

int cp_buf_putc(cp_buf *b, char c)
{
	return cp_buf_add(b, &c, 1);
}

int cp_buf_printf(cp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return cp_error(COPLAN_ERROR, "cannot format text");
	rc = buf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void cp_buf_clear(cp_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void cp_buf_release(cp_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *cp_buf_detach(cp_buf *b, size_t *len)
{
	char *data = b->data;

	if (!data)
		data = calloc(1, 1);
	if (len)
		*len = data ? b->len : 0;
	b->data = NULL;
	b->len = b->cap = 0;
	return data;
}

int cp_buf_read_file(cp_buf *b, const char *path)
{
	char chunk[65536];
	FILE *f;
	size_t n;
	int rc = 0;

	cp_buf_clear(b);
	f = fopen(path, "rb");
	if (!f)
		return cp_error(COPLAN_EIO, "%s: cannot open: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		rc = cp_buf_add(b, chunk, n);
		if (rc) {
			if (rc == COPLAN_ELIMIT)
				cp_error(rc, "%s: file larger than the limit of %zu bytes", path, b->max);
			break;
		}
	}
	if (!rc && ferror(f))
		rc = cp_error(COPLAN_EIO, "%s: cannot read: %s", path, strerror(errno));
	fclose(f);
	if (!rc && !b->data)
		rc = buf_reserve(b, 0);
	if (!rc)
		b->data[b->len] = '\0';
	return rc;
}

/* Write all n bytes to fd.  0 or COPLAN_EIO naming path. */
static int write_all(int fd, const char *path, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOSPC || errno == EDQUOT)
				return cp_error(COPLAN_EIO, "%s: cannot write: the disk is full (%s); "
				                "nothing was replaced", path, strerror(errno));
			return cp_error(COPLAN_EIO, "%s: cannot write: %s", path, strerror(errno));
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Something that is not a regular file (a FIFO, a terminal, /dev/null,
 * /dev/stdout): written through, never replaced by a file of ours.
 */
static int write_through(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_NOCTTY), rc;

	if (fd < 0)
		return cp_error(COPLAN_EIO, "%s: cannot open: %s", path, strerror(errno));
	rc = write_all(fd, path, data, n);
	if (close(fd) != 0 && !rc)
		rc = cp_error(COPLAN_EIO, "%s: cannot close: %s", path, strerror(errno));
	return rc;
}

int cp_fsync_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, rc = 0;

	if (!slash)
		dir = cp_strdup(".");
	else if (slash == path)
		dir = cp_strdup("/");
	else if ((dir = malloc((size_t)(slash - path) + 1)) != NULL) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	if (!dir)
		return cp_error(COPLAN_ENOMEM, "out of memory");
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) < 0) {
		rc = cp_error(COPLAN_EIO, "%s: cannot open its folder to sync it: %s", path, strerror(errno));
	} else {
		/* some file systems cannot sync a folder (EINVAL): nothing more to do there */
		if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
			rc = cp_error(COPLAN_EIO, "%s: cannot sync its folder: %s", path, strerror(errno));
		close(fd);
	}
	free(dir);
	return rc;
}

int cp_write_file_atomic(const char *path, const void *data, size_t n)
{
	struct stat st;
	char *target = NULL, *tmp = NULL;
	mode_t mode, mask;
	int fd = -1, rc = 0, existed;

	/* a symbolic link stays a link: its target is what gets replaced */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		if (!(target = realpath(path, NULL)))
			return cp_error(COPLAN_EIO, "%s: the link points nowhere: %s", path, strerror(errno));
		path = target;
	}
	existed = stat(path, &st) == 0;
	if (existed && S_ISDIR(st.st_mode)) {
		rc = cp_error(COPLAN_EIO, "%s: is a folder (expected a file name)", path);
		goto cleanup;
	}
	if (existed && !S_ISREG(st.st_mode)) {
		rc = write_through(path, data, n);
		goto cleanup;
	}
	/* a file its owner made read-only is not replaced behind their back */
	if (existed && access(path, W_OK) != 0) {
		rc = cp_error(COPLAN_EIO, "%s: cannot replace: %s", path, strerror(errno));
		goto cleanup;
	}
	mask = umask(0);
	umask(mask);
	mode = existed ? (st.st_mode & 07777) : (0666 & ~mask);
	if (!(tmp = malloc(strlen(path) + 16))) {
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
		goto cleanup;
	}
	snprintf(tmp, strlen(path) + 16, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		rc = cp_error(COPLAN_EIO, "%s: cannot create: %s", path, strerror(errno));
		goto cleanup;
	}
	rc = write_all(fd, path, data, n);
	/* the new file keeps the old one's permissions and, where we may, its owner */
	if (!rc && fchmod(fd, mode) != 0)
		rc = cp_error(COPLAN_EIO, "%s: cannot set mode: %s", path, strerror(errno));
	if (!rc && existed && (st.st_uid != geteuid() || st.st_gid != getegid()) &&
	    fchown(fd, st.st_uid, st.st_gid) != 0 && geteuid() == 0)
		rc = cp_error(COPLAN_EIO, "%s: cannot keep its owner: %s", path, strerror(errno));
	if (!rc && fsync(fd) != 0)
		rc = cp_error(COPLAN_EIO, "%s: cannot sync: %s", path, strerror(errno));
	if (close(fd) != 0 && !rc)
		rc = cp_error(COPLAN_EIO, "%s: cannot close: %s", path, strerror(errno));
	if (!rc && rename(tmp, path) != 0)
		rc = cp_error(COPLAN_EIO, "%s: cannot replace: %s", path, strerror(errno));
	if (rc)
		unlink(tmp);
	/* the rename is only durable once the folder that holds the name is synced */
	if (!rc)
		rc = cp_fsync_dir_of(path);
cleanup:
	free(tmp);
	free(target);
	return rc;
}
