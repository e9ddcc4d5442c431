-- The Lua side of bench/load-generator.ts: wrk runs it in each of its threads.
-- WRK_DISTINCT_PREFIX set: every request asks PREFIX followed by a fresh hexadecimal counter, so
-- no two requests of a run are the same URL (none is answered from a response cache).
-- At the end, one line "WRK_JSON {...}" with the figures the bench reads (latency in microseconds).

local prefix = os.getenv("WRK_DISTINCT_PREFIX")
local counter = 0

if prefix then
  request = function()
    counter = counter + 1
    return wrk.format(nil, prefix .. string.format("%x", counter))
  end
end

-- CPU time wrk itself used (user + system, clock ticks, all its threads), from /proc/self/stat;
-- -1 where there is none.
local function cpu_ticks()
  local file = io.open("/proc/self/stat", "r")
  if not file then return -1 end
  local stat = file:read("*a")
  file:close()
  -- Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  local fields = {}
  for field in stat:match("%) (.*)"):gmatch("%S+") do fields[#fields + 1] = field end
  return tonumber(fields[12]) + tonumber(fields[13])
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '\nWRK_JSON {"requests":%d,"durationUs":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50Us":%d,"p99Us":%d,"cpuTicks":%d}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(99), cpu_ticks()))
end
