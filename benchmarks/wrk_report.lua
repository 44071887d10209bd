-- wrk script: after the run, print one parseable line with the figures the README's table records.
--
--   wrk -t2 -c16 -d30s --latency -s benchmarks/wrk_report.lua URL
--
-- prints (after wrk's own report), latencies in milliseconds:
--   WRK_REPORT requests=N duration_s=S rps=R p50_ms=A p90_ms=B p99_ms=C max_ms=D non2xx=E socket_errors=F bytes=G
-- socket_errors = connect + read + write + timeout errors. Non-2xx answers (e.g. 429 from the rate limit)
-- are counted by wrk as errors.status.

done = function(summary, latency, requests)
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "WRK_REPORT requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f "
         .. "non2xx=%d socket_errors=%d bytes=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000,
      e.status, e.connect + e.read + e.write + e.timeout, summary.bytes))
end
