import { timingSafeEqual } from 'node:crypto';
import { MAX_CODE_ATTEMPTS } from '@ashchat/contracts';
import type { Redis } from 'ioredis';
import { redisScript } from './redis.script.js';

/**
 * The pending code of one flow (a hash): only the keyed digest, never the code. Flows are
 * registrations, password resets and device challenges, all keyed by their (random UUID) id; the
 * parameters keep the name `registrationId` from when registration was the only flow.
 */
export const verificationKey = (registrationId: string): string => `verification:${registrationId}`;
/** The answer given to one confirm request, so a redelivery gets the same answer. */
/** Every creation request seen for a registration, so a late repeat of an old one changes nothing. */
export const verificationRequestsKey = (registrationId: string): string => `verification-requests:${registrationId}`;
export const verificationResultKey = (registrationId: string, requestId: string): string =>
  `verification-result:${registrationId}:${requestId}`;

export const DEFAULT_RESULT_TTL_MS = 10 * 60_000;

export type IssueResult =
  | { kind: 'issued' }
  /** This request already produced a code and its mail went out: do not send another. */
  | { kind: 'already-sent' }
  /** An older request of this registration, repeated after a newer one replaced its code. */
  | { kind: 'superseded' }
  /** Another delivery of this request is sending its mail right now (lease still valid). */
  | { kind: 'in-progress'; retryInMs: number };

export type ConfirmOutcome = 'confirmed' | 'invalid' | 'locked' | 'expired';
export interface ConfirmResult {
  outcome: ConfirmOutcome;
  attemptsLeft: number;
}

export interface VerificationStore {
  /**
   * Replaces the pending code of the registration with `digest` (attempts left are kept), unless
   * this very request already sent its mail or is sending it, or a newer request replaced it. The entry expires after `ttlMs`.
   * `leaseUntil`: until when this delivery owns the mail sending; a later delivery of the same
   * request takes over only after that.
   */
  issue(i: { registrationId: string; requestId: string; digest: string; ttlMs: number; now: number; leaseUntil: number }): Promise<IssueResult>;
  /** Records that the mail for this code went out; false if the entry changed meanwhile. */
  markSent(registrationId: string, requestId: string, digest: string): Promise<boolean>;
  /** Removes the entry if it still holds this request's code (the mail could not be sent). */
  discard(registrationId: string, requestId: string, digest: string): Promise<boolean>;
  /** Checks a submitted digest once per requestId; repeated calls return the first answer. */
  confirm(registrationId: string, requestId: string, submittedDigest: string): Promise<ConfirmResult>;
}

// HMGET yields `false` for a missing field in Lua.
const ISSUE = redisScript(`
local cur = redis.call('HMGET', KEYS[1], 'requestId', 'status', 'leaseUntil', 'attemptsLeft')
if cur[1] == ARGV[1] then
  if cur[2] == 'sent' then return {'already-sent', 0} end
  local now = tonumber(ARGV[5])
  local lease = tonumber(cur[3]) or 0
  if lease > now then return {'in-progress', lease - now} end
elseif redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then
  return {'superseded', 0}
end
local attempts = cur[4] or ARGV[6]
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'registrationId', ARGV[7], 'requestId', ARGV[1], 'digest', ARGV[2],
  'attemptsLeft', attempts, 'status', 'pending', 'leaseUntil', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
return {'issued', 0}
`);

const MARK_SENT = redisScript(`
local cur = redis.call('HMGET', KEYS[1], 'requestId', 'digest')
if cur[1] ~= ARGV[1] or cur[2] ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'status', 'sent')
redis.call('HDEL', KEYS[1], 'leaseUntil')
return 1
`);

const DISCARD = redisScript(`
local cur = redis.call('HMGET', KEYS[1], 'requestId', 'digest')
if cur[1] ~= ARGV[1] or cur[2] ~= ARGV[2] then return 0 end
-- Forget the request too: a repeat of it is a new chance to deliver the mail, not a stale one.
redis.call('SREM', KEYS[2], ARGV[1])
return redis.call('DEL', KEYS[1])
`);

// The submitted digest was compared in Node in constant time; this script only applies the
// outcome, and only if the stored digest is still the one that comparison saw (ARGV[1], '' when
// there was no entry). A decrement never goes below 0, and the first answer per request sticks.
const CONFIRM = redisScript(`
local prior = redis.call('GET', KEYS[2])
if prior then return prior end
local cur = redis.call('HMGET', KEYS[1], 'digest', 'attemptsLeft')
if (cur[1] or '') ~= ARGV[1] then return 'retry' end
local outcome, attempts
if not cur[1] then
  outcome, attempts = 'expired', 0
else
  attempts = tonumber(cur[2]) or 0
  if attempts <= 0 then
    outcome, attempts = 'locked', 0
  elseif ARGV[2] == '1' then
    outcome = 'confirmed'
    redis.call('DEL', KEYS[1])
  else
    attempts = redis.call('HINCRBY', KEYS[1], 'attemptsLeft', -1)
    if attempts <= 0 then outcome, attempts = 'locked', 0 else outcome = 'invalid' end
  end
end
local result = outcome .. ':' .. attempts
redis.call('SET', KEYS[2], result, 'PX', ARGV[3])
return result
`);

const OUTCOMES: readonly ConfirmOutcome[] = ['confirmed', 'invalid', 'locked', 'expired'];
// Another writer (a resend) may change the entry between our read and the script; a few rounds
// always suffice in practice, and the bound keeps a pathological race from spinning.
const MAX_CONFIRM_ROUNDS = 5;

function parseConfirmResult(raw: unknown): ConfirmResult {
  const [outcome, attempts] = String(raw).split(':');
  const attemptsLeft = Number(attempts);
  if (!OUTCOMES.includes(outcome as ConfirmOutcome) || !Number.isInteger(attemptsLeft) || attemptsLeft < 0) {
    throw new Error('unexpected verification result in Redis');
  }
  return { outcome: outcome as ConfirmOutcome, attemptsLeft };
}

/** Constant-time equality of two hex digests; unequal lengths still cost one comparison. */
export function digestsEqual(storedHex: string, submittedHex: string): boolean {
  const stored = Buffer.from(storedHex, 'hex');
  const submitted = Buffer.from(submittedHex, 'hex');
  if (stored.length !== submitted.length || stored.length === 0) {
    timingSafeEqual(submitted, submitted);
    return false;
  }
  return timingSafeEqual(stored, submitted);
}

export function createVerificationStore(redis: Redis, o: { maxAttempts?: number; resultTtlMs?: number } = {}): VerificationStore {
  const maxAttempts = o.maxAttempts ?? MAX_CODE_ATTEMPTS;
  const resultTtlMs = o.resultTtlMs ?? DEFAULT_RESULT_TTL_MS;

  return {
    async issue({ registrationId, requestId, digest, ttlMs, now, leaseUntil }) {
      const raw = await ISSUE(redis, [verificationKey(registrationId), verificationRequestsKey(registrationId)], [
        requestId, digest, Math.max(1, Math.ceil(ttlMs)), leaseUntil, now, maxAttempts, registrationId,
      ]);
      const [kind, ms] = raw as [string, number];
      if (kind === 'issued' || kind === 'already-sent' || kind === 'superseded') return { kind };
      if (kind === 'in-progress') return { kind, retryInMs: Number(ms) };
      throw new Error('unexpected issue result from Redis');
    },

    async markSent(registrationId, requestId, digest) {
      return (await MARK_SENT(redis, [verificationKey(registrationId)], [requestId, digest])) === 1;
    },

    async discard(registrationId, requestId, digest) {
      return (await DISCARD(redis, [verificationKey(registrationId), verificationRequestsKey(registrationId)], [requestId, digest])) === 1;
    },

    async confirm(registrationId, requestId, submittedDigest) {
      const keys = [verificationKey(registrationId), verificationResultKey(registrationId, requestId)];
      for (let round = 0; round < MAX_CONFIRM_ROUNDS; round++) {
        const stored = (await redis.hget(keys[0]!, 'digest')) ?? '';
        const matched = stored !== '' && digestsEqual(stored, submittedDigest);
        const raw = await CONFIRM(redis, keys, [stored, matched ? '1' : '0', resultTtlMs]);
        if (raw !== 'retry') return parseConfirmResult(raw);
      }
      throw new Error('verification entry kept changing while confirming');
    },
  };
}
