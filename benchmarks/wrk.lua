-- wrk script of the HTTP benchmark (benchmarks/http_load.py): rotates over many principals and paths.
--   wrk ... -s benchmarks/wrk.lua <url> -- <auth file> <paths file> <method> [<body file>]
-- <auth file>: one Authorization header value per line ("-" for none), one per principal.
-- <paths file>: one path (with query) per line; requests cycle through them.
-- Each thread starts at another principal, so every connection spreads its requests over all of them.
-- done() prints one line "DEVSKY-RESULT {json}" with latency percentiles (microseconds) and counts.

local next_thread = 0
local auths, paths, method, body = {}, {}, "GET", nil
local counter = 0
local offset = 0

local function lines(name)
  local list = {}
  if name == nil or name == "-" then return list end
  for line in io.lines(name) do
    if line ~= "" then list[#list + 1] = line end
  end
  return list
end

function setup(thread)
  thread:set("offset", next_thread * 7919)
  next_thread = next_thread + 1
end

function init(args)
  auths = lines(args[1])
  paths = lines(args[2])
  if #paths == 0 then paths = { wrk.path } end
  method = args[3] or "GET"
  if args[4] and args[4] ~= "-" then
    local file = assert(io.open(args[4], "rb"))
    body = file:read("*a")
    file:close()
  end
  wrk.headers["X-Forwarded-Proto"] = "https" -- TLS ends at the load balancer in production
  wrk.headers["Accept"] = "application/json"
  if body then wrk.headers["Content-Type"] = "application/json" end
end

function request()
  counter = counter + 1
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  if #auths > 0 then headers["Authorization"] = auths[(offset + counter) % #auths + 1] end
  return wrk.format(method, paths[counter % #paths + 1], headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'DEVSKY-RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.timeout, e.status))
end
