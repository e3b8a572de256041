/* SPDX-License-Identifier: Apache-2.0 */
/* coplan/coplan.h - the whole public API of libcoplan in one include. */
#ifndef COPLAN_COPLAN_H
#define COPLAN_COPLAN_H

#include "coplan/errors.h"
#include "coplan/date.h"
#include "coplan/calendar.h"
#include "coplan/model.h"
#include "coplan/store.h"
#include "coplan/import.h"
#include "coplan/export.h"
#include "coplan/explain.h"
#include "coplan/schedule.h"
#include "coplan/report.h"
#include "coplan/compare.h"
#include "coplan/ical.h"
#include "coplan/document.h"
#include "coplan/bundle.h"
#include "coplan/exchange.h"
#include "coplan/sign.h"
#include "coplan/service.h"

/* The library's version, "MAJOR.MINOR.PATCH"; static storage. */
const char *coplan_version(void);

#endif
