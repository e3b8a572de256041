/* SPDX-License-Identifier: Apache-2.0 */
/* windows_zones.c - Windows time-zone names to IANA zones, by CLDR's windowsZones.xml read at run time. */
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "coplan/ical.h"
#include "common.h"

/*
 * The table is CLDR's common/supplemental/windowsZones.xml as Debian's
 * unicode-cldr-core ships it: <mapZone other="W. Europe Standard Time"
 * territory="001" type="Europe/Berlin"/>.  Territory "001" (the world) is
 * the default zone of each Windows name; its type holds one IANA name.
 */
static const char *table_path(void)
{
	const char *env = getenv("COPLAN_CLDR_WINDOWS_ZONES");

	return env && *env ? env : COPLAN_CLDR_WINDOWS_ZONES_PATH;
}

/* 1 if the reader's current mapZone element maps windows_name for territory 001; type in *type. */
static int matches(xmlTextReaderPtr reader, const char *windows_name, xmlChar **type)
{
	xmlChar *other = xmlTextReaderGetAttribute(reader, BAD_CAST "other");
	xmlChar *territory = xmlTextReaderGetAttribute(reader, BAD_CAST "territory");
	int hit = other && territory && !strcmp((const char *)other, windows_name) &&
	          !strcmp((const char *)territory, "001");

	*type = hit ? xmlTextReaderGetAttribute(reader, BAD_CAST "type") : NULL;
	xmlFree(other);
	xmlFree(territory);
	return hit && *type;
}

int coplan_ical_windows_zone(char **out, const char *windows_name)
{
	const char *path = table_path();
	xmlTextReaderPtr reader;
	xmlChar *type = NULL;
	int rc = 0, step, seen = 0;

	reader = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!reader)
		return cp_error(COPLAN_EIO, "%s: cannot read CLDR's Windows time-zone table "
		                "(install unicode-cldr-core)", path);
	while ((step = xmlTextReaderRead(reader)) == 1) {
		const xmlChar *name;

		if (xmlTextReaderNodeType(reader) != XML_READER_TYPE_ELEMENT)
			continue;
		name = xmlTextReaderConstLocalName(reader);
		if (!name || strcmp((const char *)name, "mapZone"))
			continue;
		seen++;
		if (matches(reader, windows_name, &type))
			break;
	}
	if (step < 0 || (step == 0 && !seen)) {
		rc = cp_error(COPLAN_EIO, "%s: not CLDR's Windows time-zone table (no mapZone read)", path);
		goto cleanup;
	}
	if (!type) {
		rc = cp_error(COPLAN_ENOTFOUND, "'%s' is not a Windows time-zone name in %s",
		              windows_name, path);
		goto cleanup;
	}
	/* type may list several zones separated by spaces; territory 001 has one, the first counts */
	*out = cp_strndup((const char *)type, strcspn((const char *)type, " "));
	if (!*out)
		rc = cp_error(COPLAN_ENOMEM, "out of memory");
cleanup:
	xmlFree(type);
	xmlFreeTextReader(reader);
	return rc;
}
