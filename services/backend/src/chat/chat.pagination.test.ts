import t from 'tap';
import { ObjectId } from 'mongodb';
import { buildTestApp } from '../app.test-support.js';
import { directConversation, signedInUser } from './chat.test-support.js';

const SEEDED = 1_000;

t.test('walking a 1,000-message conversation while others are sent: no gaps, no duplicates', async (t) => {
  const app = await buildTestApp(t);
  const [ada, bob] = await Promise.all([signedInUser(app), signedInUser(app)]);
  if (!ada || !bob) throw new Error('users');
  const conversation = await directConversation(ada, bob);
  const { repositories } = app.chat;
  const conversationId = new ObjectId(conversation);

  // Seeded through the repository (in batches, both senders): the walk is what goes through HTTP.
  const seeded = new Set<string>();
  for (let batch = 0; batch < SEEDED / 50; batch++) {
    const stored = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const n = batch * 50 + i;
        return repositories.messages.insert({ conversationId, senderId: n % 2 ? ada.id : bob.id, clientMessageId: `seed-${n}`, body: `seed ${n}` }, new Date());
      }),
    );
    for (const { message } of stored) seeded.add(message._id.toHexString());
  }

  let writing = true;
  let written = 0;
  let firstWritten: () => void = () => undefined;
  // The walk waits for this after its first page, so at least one send lands mid-walk.
  const firstWrite = new Promise<void>((resolve) => (firstWritten = resolve));
  const writer = (async () => {
    while (writing) {
      const res = await bob.call('POST', `/v1/conversations/${conversation}/messages`, { body: 'meanwhile', clientMessageId: `live-${written}` });
      if (res.statusCode !== 201) throw new Error(`concurrent send answered ${res.statusCode}`);
      written++;
      firstWritten();
    }
  })();

  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  try {
    do {
      const query: string = cursor === null ? '?limit=37' : `?limit=37&before=${cursor}`;
      const res = await ada.call('GET', `/v1/conversations/${conversation}/messages${query}`);
      t.equal(res.statusCode, 200);
      const page = res.json<{ items: { id: string }[]; nextCursor: string | null }>();
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
      if (pages === 0) await Promise.race([firstWrite, writer]);
      pages++;
    } while (cursor !== null && pages < 200);
  } finally {
    writing = false;
    await writer;
  }

  t.ok(written > 0, `${written} messages were sent during the walk`);
  t.equal(new Set(seen).size, seen.length, 'no message twice');
  t.same([...seen].sort().reverse(), seen, 'newest first throughout');
  t.same([...seeded].filter((id) => !seen.includes(id)), [], 'every message that existed at the start was visited');
  t.ok(seen.length >= SEEDED && seen.length <= SEEDED + written, 'only messages of this conversation');
});
