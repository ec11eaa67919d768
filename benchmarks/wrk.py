"""Running wrk over prepared requests: a generated Lua script replays them in turn and reports as JSON.

wrk's own summary has no p95 and does not tell a 200 from a 400 (only "non-2xx or 3xx"); the
script's done() prints the percentiles and the count of each status class, so a run that was
fast because every request failed is caught instead of reported.
"""
import json
import subprocess

from benchmarks import cpu
from benchmarks.common import WORK

THREADS, CONNECTIONS = 2, 16

LUA = r"""
local prepared = {%(requests)s}
local counter = 0
classes = {}  -- global: done() reads it with thread:get
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for i, r in ipairs(prepared) do
    prepared[i] = wrk.format(r[1], r[2], r[3], r[4])
  end
  classes = {}
end

function request()
  counter = counter + 1
  return prepared[(counter %% #prepared) + 1]
end

function response(status, headers, body)
  local class = tostring(math.floor(status / 100)) .. "xx"
  classes[class] = (classes[class] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("classes")
    for k, v in pairs(c) do merged[k] = (merged[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(merged) do table.insert(parts, string.format('"%%s": %%d', k, v)) end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, ' ..
    '"mean_us": %%f, "max_us": %%d, "errors": {"connect": %%d, "read": %%d, "write": %%d, "status": %%d, ' ..
    '"timeout": %%d}, "classes": {%%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max, e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ", ")))
end
"""


def lua_string(value: str | bytes) -> str:
    """A quoted Lua string holding exactly these bytes (long brackets would turn CRLF into LF)."""
    data = value if isinstance(value, bytes) else value.encode()
    return '"' + "".join(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\{b:03d}" for b in data) + '"'


def script_for(requests) -> str:
    entries = []
    for r in requests:
        headers = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in r.headers.items())
        body = lua_string(r.body) if r.body else "nil"
        entries.append(f"{{{lua_string(r.method)}, {lua_string(r.path)}, {{{headers}}}, {body}}}")
    return LUA % {"requests": ",\n".join(entries)}


def run(name: str, port: int, requests, seconds: float, server_pid: int | None = None) -> dict:
    """Runs wrk against 127.0.0.1:port for `seconds`; returns rps and latency percentiles in ms."""
    script = WORK / f"wrk-{name}.lua"
    script.write_text(script_for(requests), encoding="ascii")
    before = cpu.snapshot(server_pid)
    output = subprocess.run(
        ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{int(seconds)}s", "--timeout", "10s",
         "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    ).stdout
    after = cpu.snapshot(server_pid)
    others = cpu.others_share(before, after) if server_pid else None
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    raw = json.loads(line.removeprefix("WRK_JSON "))
    return {
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "requests": raw["requests"],
        "p50_ms": raw["p50_us"] / 1000, "p95_ms": raw["p95_us"] / 1000, "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "classes": raw["classes"],
        "socket_errors": {k: v for k, v in raw["errors"].items() if v and k != "status"},
        "other_processes_cpu": round(others, 2) if others is not None else None,
        # Server and wrk CPU per request: what throughput would follow from on an idle machine.
        "cpu_ms_per_request": round(cpu.ours_seconds(before, after) * 1000 / max(raw["requests"], 1), 3),
    }
