/**
 * Presence state in Redis, changed only by these scripts so every transition is atomic and its
 * event is PUBLISHed inside the same script: watchers see online/offline in the order Redis applied
 * them, whichever instances caused them. Time is Redis' own (TIME), so instances with skewed clocks
 * agree on deadlines.
 *
 * Keys (P = `<ns>:presence:`), none with a TTL — liveness lives in one sorted set instead:
 * - `P instances`  zset  instanceId → deadline (ms): the instance is dead once its deadline passed
 * - `P beats`      hash  instanceId → last heartbeat (ms): a crashed instance's users were last seen then
 * - `P i:<inst>`   set   users with at least one connection on that instance
 * - `P u:<user>`   set   instances the user is connected to; online ⇔ not empty
 * - `P seen:<user>` string  when the user went offline (ms)
 * Channel (C = presence channel prefix) `C<user>` carries `{type:'presence', userId, status, at}`.
 *
 * Every script takes ARGV[1] = P, ARGV[2] = C, ARGV[3] = the calling instance, ARGV[4] = TTL (ms).
 * Keys are built inside the scripts (one Redis node, like the rest of the backend; not cluster-safe).
 */
const COMMON = `
local P, C, inst, ttl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function announce(user, status, at)
  redis.call('PUBLISH', C .. user, cjson.encode({type = 'presence', userId = user, status = status, at = tostring(at)}))
end
local function join(user)
  redis.call('SADD', P .. 'i:' .. inst, user)
  if redis.call('SADD', P .. 'u:' .. user, inst) == 1 and redis.call('SCARD', P .. 'u:' .. user) == 1 then
    announce(user, 'online', now)
  end
end
-- 'from' left 'user' (gracefully, or by dying): offline if no instance holds the user any more.
local function drop(from, user, at)
  if redis.call('SREM', P .. 'u:' .. user, from) == 1 and redis.call('SCARD', P .. 'u:' .. user) == 0 then
    redis.call('SET', P .. 'seen:' .. user, tostring(at))
    announce(user, 'offline', at)
  end
end
local function register()
  redis.call('ZADD', P .. 'instances', now + ttl, inst)
  redis.call('HSET', P .. 'beats', inst, tostring(now))
end
local function live()
  local deadline = redis.call('ZSCORE', P .. 'instances', inst)
  return deadline and tonumber(deadline) >= now
end
`;

/**
 * ARGV[5] = number of joins, then the joining users, then the leaving users. Returns 0 without
 * touching anything when this instance is not live (reaped, or never registered): the caller must
 * resync, since writing users under a dead instance would leave them online for good.
 */
export const APPLY = `${COMMON}
if not live() then return 0 end
local joins = tonumber(ARGV[5])
for i = 6, 5 + joins do join(ARGV[i]) end
for i = 6 + joins, #ARGV do
  redis.call('SREM', P .. 'i:' .. inst, ARGV[i])
  drop(inst, ARGV[i], now)
end
return 1
`;

/**
 * ARGV[5..] = every user connected here. (Re-)registers the instance and makes Redis match: users
 * no longer here leave, the others join. Used at start, after a Redis error and after being reaped.
 */
export const RESYNC = `${COMMON}
register()
local want = {}
for i = 5, #ARGV do want[ARGV[i]] = true end
for _, user in ipairs(redis.call('SMEMBERS', P .. 'i:' .. inst)) do
  if not want[user] then
    redis.call('SREM', P .. 'i:' .. inst, user)
    drop(inst, user, now)
  end
end
for i = 5, #ARGV do join(ARGV[i]) end
return 1
`;

/**
 * The shared heartbeat: one call per instance and period, whatever its number of connections.
 * Extends this instance's deadline (if still live), then reaps at most ARGV[5] users of instances
 * whose deadline passed, in batches so a big dead instance never blocks Redis for long. Any
 * instance may reap any dead one; the scripts' atomicity makes each user go offline once.
 * Returns {live (1/0), earliest deadline of another instance or -1, now}.
 */
export const TICK = `${COMMON}
local isLive = live()
if isLive then register() end
local budget = tonumber(ARGV[5])
for _, dead in ipairs(redis.call('ZRANGEBYSCORE', P .. 'instances', '-inf', '(' .. now, 'LIMIT', 0, 20)) do
  if budget <= 0 then break end
  if dead ~= inst then
    local beat = tonumber(redis.call('HGET', P .. 'beats', dead) or now)
    local users = redis.call('SPOP', P .. 'i:' .. dead, budget)
    for _, user in ipairs(users) do drop(dead, user, beat) end
    budget = budget - #users
    if redis.call('SCARD', P .. 'i:' .. dead) == 0 then
      redis.call('ZREM', P .. 'instances', dead)
      redis.call('HDEL', P .. 'beats', dead)
    end
  end
end
local nextDue = -1
local first = redis.call('ZRANGE', P .. 'instances', 0, 1, 'WITHSCORES')
for i = 1, #first, 2 do
  if first[i] ~= inst then nextDue = tonumber(first[i + 1]); break end
end
return {isLive and 1 or 0, nextDue, now}
`;

/** Graceful shutdown: every user of this instance leaves now (no waiting for the TTL). */
export const CLOSE = `${COMMON}
for _, user in ipairs(redis.call('SMEMBERS', P .. 'i:' .. inst)) do drop(inst, user, now) end
redis.call('DEL', P .. 'i:' .. inst)
redis.call('ZREM', P .. 'instances', inst)
redis.call('HDEL', P .. 'beats', inst)
return 1
`;

/** What a presence script publishes (`at` in ms, as a string: cjson would print big numbers in exponent form). */
export interface PresenceWire {
  type: 'presence';
  userId: string;
  status: 'online' | 'offline';
  at: string;
}
