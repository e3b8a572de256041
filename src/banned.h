/* SPDX-License-Identifier: Apache-2.0 */
/* banned.h - functions the library must not use: unbounded or unchecked ones. */
#ifndef COPLAN_BANNED_H
#define COPLAN_BANNED_H

/* Using one of these is a compile error that names the better choice. */
#define BANNED(func) sorry_##func##_is_banned_in_coplan

#undef strcpy
#define strcpy(x, y) BANNED(strcpy_use_snprintf_or_cp_buf)
#undef strcat
#define strcat(x, y) BANNED(strcat_use_cp_buf)
#undef sprintf
#define sprintf(...) BANNED(sprintf_use_snprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf_use_vsnprintf)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi_use_strtol_with_checks)
#undef atol
#define atol(x) BANNED(atol_use_strtol_with_checks)

#endif
