import { randomBytes } from 'node:crypto';
import type { AddressObject, ParsedMail } from 'mailparser';

/** Mailpit's address shape. */
export interface MailAddress {
  Name: string;
  Address: string;
}

export interface MailAttachmentInfo {
  PartID: string;
  FileName: string;
  ContentType: string;
  ContentID: string;
  Size: number;
}

/** One captured mail, already in Mailpit's field names. */
export interface StoredMail {
  ID: string;
  MessageID: string;
  Read: boolean;
  From: MailAddress;
  To: MailAddress[];
  Cc: MailAddress[];
  Bcc: MailAddress[];
  ReplyTo: MailAddress[];
  ReturnPath: string;
  Subject: string;
  Date: string;
  Created: string;
  Text: string;
  HTML: string;
  Size: number;
  Attachments: MailAttachmentInfo[];
  Inline: MailAttachmentInfo[];
  Raw: Buffer;
}

function addresses(field: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  const flat = list.flatMap((o) => o.value).flatMap((a) => (a.group ? a.group : [a]));
  return flat.filter((a) => a.address).map((a) => ({ Name: a.name ?? '', Address: a.address ?? '' }));
}

/** Mailpit-style ID: 22 base62 characters. */
function newId(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return Array.from(randomBytes(22), (b) => alphabet[b % 62]).join('');
}

export function toStoredMail(parsed: ParsedMail, raw: Buffer, envelope: { from: string; to: string[] }): StoredMail {
  const to = addresses(parsed.to);
  const cc = addresses(parsed.cc);
  const listed = new Set([...to, ...cc].map((a) => a.Address.toLowerCase()));
  // Envelope recipients missing from the headers were blind copies (what Mailpit reports as Bcc).
  const bcc = [
    ...addresses(parsed.bcc),
    ...envelope.to.filter((a) => !listed.has(a.toLowerCase())).map((a) => ({ Name: '', Address: a })),
  ].filter((a, i, all) => all.findIndex((b) => b.Address.toLowerCase() === a.Address.toLowerCase()) === i);
  const attachments = parsed.attachments.map((a, i) => ({
    PartID: String(i + 1),
    FileName: a.filename ?? '',
    ContentType: a.contentType,
    ContentID: a.contentId ?? '',
    Size: a.size,
    inline: a.contentDisposition === 'inline' || Boolean(a.related),
  }));
  const strip = ({ inline: _inline, ...rest }: (typeof attachments)[number]): MailAttachmentInfo => rest;
  const now = new Date();
  return {
    ID: newId(),
    MessageID: (parsed.messageId ?? '').replace(/^<|>$/g, ''),
    Read: false,
    From: addresses(parsed.from)[0] ?? { Name: '', Address: envelope.from },
    To: to,
    Cc: cc,
    Bcc: bcc,
    ReplyTo: addresses(parsed.replyTo),
    ReturnPath: envelope.from,
    Subject: parsed.subject ?? '',
    Date: (parsed.date ?? now).toISOString(),
    Created: now.toISOString(),
    Text: parsed.text ?? '',
    HTML: typeof parsed.html === 'string' ? parsed.html : '',
    Size: raw.length,
    Attachments: attachments.filter((a) => !a.inline).map(strip),
    Inline: attachments.filter((a) => a.inline).map(strip),
    Raw: raw,
  };
}

/** List entry as Mailpit's GET /api/v1/messages returns it. */
export function summary(m: StoredMail) {
  const snippetSource = m.Text || m.HTML.replace(/<[^>]*>/g, ' ');
  return {
    ID: m.ID,
    MessageID: m.MessageID,
    Read: m.Read,
    From: m.From,
    To: m.To,
    Cc: m.Cc,
    Bcc: m.Bcc,
    ReplyTo: m.ReplyTo,
    Subject: m.Subject,
    Created: m.Created,
    Tags: [] as string[],
    Size: m.Size,
    Attachments: m.Attachments.length,
    Snippet: snippetSource.replace(/\s+/g, ' ').trim().slice(0, 250),
  };
}

/** Full message as Mailpit's GET /api/v1/message/{ID} returns it. */
export function detail(m: StoredMail) {
  const { Raw: _raw, Read: _read, Created: _created, ...rest } = m;
  return { ...rest, Tags: [] as string[] };
}

/**
 * Mailpit search subset: `to:`, `from:`, `cc:`, `subject:`, `message-id:` and plain words (subject,
 * body, addresses); values may be quoted; all terms must match (case-insensitive substring).
 */
export function matchesQuery(m: StoredMail, query: string): boolean {
  const terms = query.match(/(?:[a-z-]+:)?(?:"[^"]*"|\S+)/gi) ?? [];
  const addr = (list: MailAddress[]) => list.map((a) => `${a.Name} <${a.Address}>`).join(' ').toLowerCase();
  return terms.every((term) => {
    const m2 = /^([a-z-]+):(.*)$/i.exec(term);
    const key = m2 ? m2[1]!.toLowerCase() : '';
    const value = (m2 ? m2[2]! : term).replace(/^"|"$/g, '').toLowerCase();
    switch (key) {
      case 'to': return addr(m.To).includes(value);
      case 'from': return addr([m.From]).includes(value);
      case 'cc': return addr(m.Cc).includes(value);
      case 'bcc': return addr(m.Bcc).includes(value);
      case 'subject': return m.Subject.toLowerCase().includes(value);
      case 'message-id': return m.MessageID.toLowerCase() === value.replace(/^<|>$/g, '');
      default: {
        const haystack = [m.Subject, m.Text, m.HTML, addr([m.From]), addr(m.To), addr(m.Cc)].join(' ').toLowerCase();
        return haystack.includes((key ? `${key}:` : '') + value);
      }
    }
  });
}

/** Bounded in-memory store, newest first; the oldest mails fall off beyond `max`. */
export function createMailStore(max: number) {
  let mails: StoredMail[] = [];
  return {
    add(m: StoredMail) {
      mails.unshift(m);
      if (mails.length > max) mails.length = max;
    },
    all: (): readonly StoredMail[] => mails,
    get: (id: string) => (id === 'latest' ? mails[0] : mails.find((m) => m.ID === id)),
    delete(ids?: readonly string[]) {
      if (!ids) mails = [];
      else mails = mails.filter((m) => !ids.includes(m.ID));
    },
  };
}
export type MailStore = ReturnType<typeof createMailStore>;
