-- SPDX-License-Identifier: Apache-2.0
-- server.lua - wrk script for the web server's benchmark: the session cookie on every request,
-- and at the end one line "RESULT p50_ms p99_ms requests_per_s errors" for run-server-bench.sh.
local cookie = os.getenv("COPLAN_COOKIE")

wrk.headers["Cookie"] = cookie

function done(summary, latency, requests)
   local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                  + summary.errors.status + summary.errors.timeout
   io.write(string.format("RESULT %.2f %.2f %.0f %d\n", latency:percentile(50) / 1000,
                          latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6), errors))
end
