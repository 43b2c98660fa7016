-- The peer workload (bench/peers/gen.py) in Lua for LuaJIT, with lua-cjson.
-- Usage: luajit rules.lua EVENTS.ndjson OUT.txt
-- Writes one line per player, sorted by id: "user points mission_completions".
-- Prints "parse_included_s S" (read + decode + rules, streaming) and
-- "parse_excluded_s S" (rules alone over events decoded into memory first).
local cjson = require("cjson")
local decode, floor = cjson.decode, math.floor

local DAY = 86400000
-- {game_type, minimum amount, divisor}, as gen.py's BET_RULES
local BET_RULES = {
  {"slots", 1, 5}, {"slots", 10, 4}, {"slots", 25, 2},
  {"live_casino", 1, 10}, {"live_casino", 20, 5},
  {"crash", 1, 8}, {"crash", 30, 3}, {"crash", 45, 1},
}
local CAP, MISSION_SLOTS, MISSION_DEPOSITS, MISSION_REWARD = 60, 2, 50, 500

local function clock()
  -- os.clock is CPU time; wall time through LuaJIT's FFI
  return os.clock()
end
do
  local ok, ffi = pcall(require, "ffi")
  if ok then
    ffi.cdef[[
      typedef struct { long tv_sec; long tv_nsec; } qpeer_timespec;
      int clock_gettime(int clk, qpeer_timespec* ts);
    ]]
    local ts = ffi.new("qpeer_timespec")
    clock = function()
      ffi.C.clock_gettime(1, ts)   -- CLOCK_MONOTONIC
      return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
    end
  end
end

local function new_state() return {} end

-- Monday-based week number in UTC: 1970-01-01 was a Thursday.
local function week_of(ts) return floor((floor(ts / DAY) + 3) / 7) end

local function apply(players, e)
  local user = e.user
  local p = players[user]
  if p == nil then
    p = {points = 0, completions = 0, cap_day = -1, cap_used = 0, week = -1, slots = 0, deposits = 0, done = false}
    players[user] = p
  end
  local ts = e.ts
  -- weekly_two: a fresh instance each Monday 00:00 UTC
  local week = week_of(ts)
  if week ~= p.week then p.week = week; p.slots = 0; p.deposits = 0; p.done = false end
  local kind = e.type
  if kind == "bet" then
    local game, amount = e.game_type, e.amount
    for i = 1, #BET_RULES do
      local r = BET_RULES[i]
      if game == r[1] and amount >= r[2] then
        local a = floor(amount / r[3])
        if a > 0 then p.points = p.points + a end
      end
    end
    if game == "slots" then
      local day = floor(ts / DAY)
      if day ~= p.cap_day then p.cap_day = day; p.cap_used = 0 end
      local a = floor(amount)
      local left = CAP - p.cap_used
      if a > left then a = left end
      if a > 0 then p.points = p.points + a; p.cap_used = p.cap_used + a end
      if not p.done then p.slots = p.slots + 1 end
    end
  elseif kind == "deposit" then
    local amount = e.amount
    if amount >= 50 then
      local a = floor(amount / 10)
      if a > 0 then p.points = p.points + a end
    end
    if not p.done then p.deposits = p.deposits + amount end
  elseif kind == "login" then
    p.points = p.points + 1
  end
  if not p.done and p.slots >= MISSION_SLOTS and p.deposits >= MISSION_DEPOSITS then
    p.done = true
    p.completions = p.completions + 1
    p.points = p.points + MISSION_REWARD
  end
end

local path, out_path = arg[1], arg[2]
if not path or not out_path then
  io.stderr:write("usage: luajit rules.lua EVENTS.ndjson OUT.txt\n")
  os.exit(2)
end

-- 1. parse included: read, decode and apply each line in turn
local streamed = new_state()
local count = 0
local t = clock()
for line in io.lines(path) do
  if #line > 0 then
    apply(streamed, decode(line))
    count = count + 1
  end
end
print(string.format("parse_included_s %.6f", clock() - t))

-- 2. parse excluded: every line decoded into memory first, then the rules timed alone
local events, n = {}, 0
for line in io.lines(path) do
  if #line > 0 then n = n + 1; events[n] = decode(line) end
end
local players = new_state()
t = clock()
for i = 1, n do apply(players, events[i]) end
print(string.format("parse_excluded_s %.6f", clock() - t))
print(string.format("events %d", count))

local users = {}
for u in pairs(players) do users[#users + 1] = u end
table.sort(users)
local out = assert(io.open(out_path, "w"))
for _, u in ipairs(users) do
  local p, s = players[u], streamed[u]
  if p.points ~= s.points or p.completions ~= s.completions then
    io.stderr:write("streamed and pre-decoded runs differ for " .. u .. "\n")
    os.exit(1)
  end
  out:write(string.format("%s %d %d\n", u, p.points, p.completions))
end
out:close()
