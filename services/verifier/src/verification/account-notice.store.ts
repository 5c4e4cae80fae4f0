import type { Redis } from 'ioredis';
import { redisScript } from './redis.script.js';

/** The sending state of one account notice (a hash: status, owner, leaseUntil); no mail content. */
export const accountNoticeKey = (noticeId: string): string => `account-notice:${noticeId}`;

/** How long a notice id is remembered: far longer than any redelivery or duplicate publish. */
export const DEFAULT_NOTICE_TTL_MS = 7 * 24 * 60 * 60_000;

export type NoticeClaim =
  | { kind: 'claimed' }
  /** Its mail went out already: do not send another. */
  | { kind: 'already-sent' }
  /** Another delivery is sending it right now (lease still valid). */
  | { kind: 'in-progress'; retryInMs: number };

export interface AccountNoticeStore {
  /**
   * Makes `owner` (one delivery) the sender of the notice until `leaseUntil`, unless it was sent
   * already or another delivery holds a valid lease. An expired lease (that delivery died) is taken over.
   */
  claim(i: { noticeId: string; owner: string; now: number; leaseUntil: number }): Promise<NoticeClaim>;
  /** Records that the mail went out (whoever holds the lease: the mail is out either way). */
  markSent(noticeId: string): Promise<void>;
  /** Gives up `owner`'s claim after a failed mail, so a replay of the dead letter may send it. */
  release(noticeId: string, owner: string): Promise<boolean>;
}

const CLAIM = redisScript(`
local cur = redis.call('HMGET', KEYS[1], 'status', 'leaseUntil')
if cur[1] == 'sent' then return {'already-sent', 0} end
local now = tonumber(ARGV[2])
local lease = tonumber(cur[2]) or 0
if cur[1] == 'sending' and lease > now then return {'in-progress', lease - now} end
redis.call('HSET', KEYS[1], 'status', 'sending', 'owner', ARGV[1], 'leaseUntil', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {'claimed', 0}
`);

const MARK_SENT = redisScript(`
redis.call('HSET', KEYS[1], 'status', 'sent')
redis.call('HDEL', KEYS[1], 'owner', 'leaseUntil')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`);

const RELEASE = redisScript(`
local cur = redis.call('HMGET', KEYS[1], 'status', 'owner')
if cur[1] ~= 'sending' or cur[2] ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`);

export function createAccountNoticeStore(redis: Redis, o: { ttlMs?: number } = {}): AccountNoticeStore {
  const ttlMs = o.ttlMs ?? DEFAULT_NOTICE_TTL_MS;
  return {
    async claim({ noticeId, owner, now, leaseUntil }) {
      const [kind, ms] = (await CLAIM(redis, [accountNoticeKey(noticeId)], [owner, now, leaseUntil, ttlMs])) as [string, number];
      if (kind === 'claimed' || kind === 'already-sent') return { kind };
      if (kind === 'in-progress') return { kind, retryInMs: Number(ms) };
      throw new Error('unexpected notice claim result from Redis');
    },
    async markSent(noticeId) {
      await MARK_SENT(redis, [accountNoticeKey(noticeId)], [ttlMs]);
    },
    async release(noticeId, owner) {
      return (await RELEASE(redis, [accountNoticeKey(noticeId)], [owner])) === 1;
    },
  };
}
