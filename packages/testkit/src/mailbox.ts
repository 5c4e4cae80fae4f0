import { waitFor } from './wait-for.js';

export interface MailboxAddress {
  Name: string;
  Address: string;
}

/** Entry of GET /api/v1/messages (Mailpit shape; the embedded sink serves the same). */
export interface MailSummary {
  ID: string;
  MessageID: string;
  Read: boolean;
  From: MailboxAddress;
  To: MailboxAddress[];
  Cc: MailboxAddress[];
  Bcc: MailboxAddress[];
  ReplyTo: MailboxAddress[];
  Subject: string;
  Created: string;
  Tags: string[];
  Size: number;
  Attachments: number;
  Snippet: string;
}

/** GET /api/v1/message/{ID}. */
export interface MailDetail {
  ID: string;
  MessageID: string;
  From: MailboxAddress;
  To: MailboxAddress[];
  Cc: MailboxAddress[];
  Bcc: MailboxAddress[];
  ReplyTo: MailboxAddress[];
  ReturnPath: string;
  Subject: string;
  Date: string;
  Tags: string[];
  Text: string;
  HTML: string;
  Size: number;
  Inline: unknown[];
  Attachments: unknown[];
}

export interface MailList {
  total: number;
  unread: number;
  count: number;
  messages_count: number;
  start: number;
  tags: string[];
  messages: MailSummary[];
}

export interface Mailbox {
  /** Newest first. */
  list(opts?: { start?: number; limit?: number }): Promise<MailSummary[]>;
  get(id: string): Promise<MailDetail>;
  /** Mailpit search syntax, e.g. `to:alice@example.com subject:"Your code"`. */
  search(query: string, opts?: { limit?: number }): Promise<MailSummary[]>;
  /** Deletes every mail — also other tests' mails; prefer unique addresses + waitForMessage. */
  clear(): Promise<void>;
  /** Polls until a mail to `to` (and with the subject part, if given) arrives; returns the newest. */
  waitForMessage(o: { to: string; subjectIncludes?: string; timeoutMs?: number }): Promise<MailDetail>;
}

/** Client for a Mailpit-compatible HTTP API (real Mailpit or the embedded sink). */
export function createMailbox(mailApiUrl: string): Mailbox {
  if (!mailApiUrl) throw new Error('createMailbox: no mail API URL (MAIL_API_URL is empty)');
  const url = (path: string) => new URL(path, mailApiUrl.endsWith('/') ? mailApiUrl : `${mailApiUrl}/`);
  const call = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(url(path), { ...init, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`mail API ${init?.method ?? 'GET'} ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const search = async (query: string, o: { limit?: number } = {}) =>
    (await call<MailList>(`api/v1/search?query=${encodeURIComponent(query)}&limit=${o.limit ?? 200}`)).messages;
  return {
    async list(o = {}) {
      return (await call<MailList>(`api/v1/messages?start=${o.start ?? 0}&limit=${o.limit ?? 200}`)).messages;
    },
    get: (id) => call<MailDetail>(`api/v1/message/${encodeURIComponent(id)}`),
    search,
    async clear() {
      await call<unknown>('api/v1/messages', { method: 'DELETE' });
    },
    async waitForMessage(o) {
      const wanted = o.to.toLowerCase();
      const found = await waitFor(
        async () => {
          const hits = await search(`to:"${o.to}"`);
          return hits.find(
            (m) =>
              [...m.To, ...m.Cc, ...m.Bcc].some((a) => a.Address.toLowerCase() === wanted) &&
              (o.subjectIncludes === undefined || m.Subject.includes(o.subjectIncludes)),
          );
        },
        {
          timeoutMs: o.timeoutMs ?? 10_000,
          intervalMs: 100,
          message: `a mail to ${o.to}${o.subjectIncludes ? ` with subject containing "${o.subjectIncludes}"` : ''}`,
        },
      );
      return this.get(found.ID);
    },
  };
}
