/* SPDX-License-Identifier: Apache-2.0 */
/* ics_fuzzer.c - the iCalendar reader (holiday feeds, unit diaries) on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "coplan/coplan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	coplan_ical_calendar *cal = NULL;
	coplan_ical_options opts = { 0 };

	/* a horizon of one year keeps recurrence expansion bounded and fast */
	opts.horizon = 1;
	opts.from = coplan_date_from_ymd(2024, 1, 1);
	opts.to = coplan_date_from_ymd(2024, 12, 31);
	if (coplan_ical_read(&cal, "fuzz.ics", (const char *)data, size, &opts) == 0)
		coplan_ical_calendar_free(cal);
	return 0;
}
