-- wrk script for bench/run.sh: sets the method from WRK_METHOD and prints one machine-readable line.
wrk.method = os.getenv("WRK_METHOD") or "GET"
wrk.headers["Host"] = "docker"

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f bytes=%d status_errors=%d socket_errors=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.bytes, e.status, e.connect + e.read + e.write + e.timeout))
end
