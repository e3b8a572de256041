/* SPDX-License-Identifier: Apache-2.0 */
/* html.c - HTML output: escaping, the page frame, the style sheet. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

int cps_html_esc(cp_buf *b, const char *s)
{
	int rc = 0;

	for (; s && *s && !rc; s++) {
		switch (*s) {
		case '&': rc = cp_buf_puts(b, "&amp;"); break;
		case '<': rc = cp_buf_puts(b, "&lt;"); break;
		case '>': rc = cp_buf_puts(b, "&gt;"); break;
		case '"': rc = cp_buf_puts(b, "&quot;"); break;
		case '\'': rc = cp_buf_puts(b, "&#39;"); break;
		default: rc = cp_buf_putc(b, *s); break;
		}
	}
	return rc;
}

/*
 * Formatted HTML: every %s argument is escaped (the format itself is the
 * page's own markup), so no caller can forget; %d, %ld, %zu, %u, %.Nf as printf.
 */
int cps_html_printf(cp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc = 0;

	va_start(ap, fmt);
	for (const char *p = fmt; *p && !rc; p++) {
		char spec[16];
		size_t n = 0;

		if (*p != '%') {
			rc = cp_buf_putc(b, *p);
			continue;
		}
		spec[n++] = *p++;
		while (*p && strchr("0123456789.-l z", *p) && n < sizeof(spec) - 2)
			spec[n++] = *p++;
		spec[n++] = *p;
		spec[n] = '\0';
		switch (*p) {
		case 's':
			rc = cps_html_esc(b, va_arg(ap, const char *));
			break;
		case '%':
			rc = cp_buf_putc(b, '%');
			break;
		case 'd':
		case 'u':
			if (strstr(spec, "zu") || strstr(spec, "zd"))
				rc = cp_buf_printf(b, spec, va_arg(ap, size_t));
			else if (strstr(spec, "l"))
				rc = cp_buf_printf(b, spec, va_arg(ap, long));
			else
				rc = cp_buf_printf(b, spec, va_arg(ap, int));
			break;
		case 'f':
			rc = cp_buf_printf(b, spec, va_arg(ap, double));
			break;
		default:
			rc = cp_buf_puts(b, "?");
			if (!*p)
				p--;
			break;
		}
	}
	va_end(ap);
	return rc;
}

void cps_csrf_field(cps_request *r)
{
	cps_html_printf(&r->out, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->session.csrf);
}

void cps_page_begin(cps_request *r, const char *title)
{
	r->content_type = "text/html; charset=utf-8";
	cps_html_printf(&r->out,
	                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	                "<title>%s - coplan</title>\n"
	                "<link rel=\"stylesheet\" href=\"/static/coplan.css\">\n</head>\n<body>\n"
	                "<header><a class=\"brand\" href=\"/\">coplan</a>", title);
	if (r->has_session) {
		/* (the arguments of cps_html_printf() are escaped: markup stays in its format) */
		cps_html_printf(&r->out, "<nav><a href=\"/\">Plans</a> <a href=\"/import\">Import</a>");
		if (r->session.is_admin)
			cps_html_printf(&r->out, " <a href=\"/users\">Users</a>");
		cps_html_printf(&r->out, "</nav><form class=\"logout\" method=\"post\" action=\"/logout\">");
		cps_csrf_field(r);
		cps_html_printf(&r->out, "<span class=\"who\">%s (%s)</span> <button type=\"submit\">Log out</button>"
		                "</form>", r->session.name, r->session.nation);
	}
	cps_html_printf(&r->out, "</header>\n<main>\n<h1>%s</h1>\n", title);
}

void cps_page_end(cps_request *r)
{
	cps_html_printf(&r->out, "</main>\n</body>\n</html>\n");
}

const char cps_css[] =
	"/* coplan: one small style sheet, readable on a laptop and a tablet */\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;"
	"color:#1c2430;background:#f6f7f9}\n"
	"header{display:flex;flex-wrap:wrap;align-items:center;gap:1em;padding:.6em 1em;background:#1d3557;color:#fff}\n"
	"header a{color:#fff;text-decoration:none;margin-right:1em}\n"
	".brand{font-weight:700;font-size:1.15em}\n"
	"header nav{flex:1}\n"
	".logout{margin:0}.who{margin-right:.5em;opacity:.9}\n"
	"main{max-width:1200px;margin:0 auto;padding:1em}\n"
	"h1{font-size:1.5em;margin:.3em 0 .6em}h2{font-size:1.2em;margin-top:1.5em}\n"
	"table{border-collapse:collapse;width:100%;background:#fff;margin:.5em 0 1em}\n"
	"th,td{border:1px solid #d5d9e0;padding:.35em .5em;text-align:left;vertical-align:top}\n"
	"th{background:#eef1f5}\n"
	".scroll{overflow-x:auto}\n"
	"form.inline{display:inline}\n"
	"fieldset{border:1px solid #d5d9e0;background:#fff;margin:0 0 1em;padding:.6em 1em}\n"
	"label{display:inline-block;margin:.2em 1em .2em 0}\n"
	"label.block{display:block;margin:.5em 0}\n"
	"input,select,textarea,button{font:inherit;padding:.3em .45em;border:1px solid #9aa5b4;border-radius:3px}\n"
	"input[type=text],input[type=password],textarea{max-width:100%}\n"
	".fields input[type=text]{width:100%}\n"
	"button{background:#1d3557;color:#fff;border-color:#1d3557;cursor:pointer}\n"
	"header button{background:#fff;color:#1d3557}\n"
	".error{background:#fde8e8;border-left:4px solid #c0392b;padding:.6em 1em}\n"
	".ok{background:#e8f6ec;border-left:4px solid #2e8b57;padding:.6em 1em}\n"
	".note{color:#556}\n"
	".gantt{width:100%;height:auto;background:#fff;border:1px solid #d5d9e0}\n"
	"td.dates,table.plan td:first-child,table.changes td:nth-child(2){white-space:nowrap}\n"
	"form.login,form.stack{max-width:22em}form.login input,form.stack input[type=text],"
	"form.stack input[type=password]{width:100%}\n"
	".status-cancelled{color:#888;text-decoration:line-through}\n"
	".actions a,.actions form{margin-right:1em}\n"
	".conflict td.theirs{background:#fff4e0}.conflict td.yours{background:#e8f0ff}\n"
	"progress{width:20em;max-width:100%}\n"
	"@media (max-width:700px){body{font-size:15px}th,td{padding:.25em .3em}main{padding:.5em}}\n";

long cps_plan_id(cps_request *r)
{
	long id = cps_param_id(r, 0);

	if (!id)
		cps_fail(r, COPLAN_ENOTFOUND, "no such plan: plan ids are whole numbers from 1");
	return id;
}

void cps_put_span(cps_request *r, coplan_date from, coplan_date to)
{
	char a[COPLAN_DATE_ISO_LEN], b[COPLAN_DATE_ISO_LEN];

	if (from == COPLAN_DATE_NONE) {
		cps_html_printf(&r->out, "<em>unplaced</em>");
		return;
	}
	coplan_date_format_iso(from, a);
	coplan_date_format_iso(to, b);
	if (from == to)
		cps_html_printf(&r->out, "%s", a);
	else
		cps_html_printf(&r->out, "%s&nbsp;&ndash; %s", a, b);
}
