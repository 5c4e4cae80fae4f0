import t from 'tap';
import fc from 'fast-check';
import { buildTestApp } from '../app.test-support.js';
import { directConversation, signedInUser } from '../chat/chat.test-support.js';
import { upload } from './files.test-support.js';

// The JSON side of attachments: `attachmentIds` on a send. Whatever arrives, a 4xx with a stable code, never a 5xx.
const app = await buildTestApp(t);
const [ada, bob] = await Promise.all([signedInUser(app), signedInUser(app)]);
const conversation = await directConversation(ada, bob);
const url = `/v1/conversations/${conversation}/messages`;
const mine = (await upload(app, ada, `/v1/conversations/${conversation}/attachments`, 'a.txt', 'text/plain', Buffer.from('a'))).json().id as string;
const bobs = (await upload(app, bob, `/v1/conversations/${conversation}/attachments`, 'b.txt', 'text/plain', Buffer.from('b'))).json().id as string;

const id = fc.oneof(fc.constant(mine), fc.constant(bobs), fc.stringMatching(/^[0-9a-f]{24}$/), fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null));
const ids = fc.oneof(fc.array(id, { maxLength: 12 }), fc.string(), fc.constant(null), fc.dictionary(fc.string(), id));
const body = fc.record(
  { body: fc.oneof(fc.string({ maxLength: 20 }), fc.constant(undefined)), clientMessageId: fc.stringMatching(/^[A-Za-z0-9]{1,12}$/), attachmentIds: ids },
  { requiredKeys: ['clientMessageId'] },
);

t.test('attachmentIds: every body answered with a known refusal or a stored message', async (t) => {
  await fc.assert(
    fc.asyncProperty(body, async (b) => {
      const res = await ada.call('POST', url, b);
      if (res.statusCode >= 500) return false;
      if (res.statusCode === 200 || res.statusCode === 201) {
        const list = (b as { attachmentIds?: unknown }).attachmentIds;
        // Accepted only with valid ids of Ada's own upload, or with none.
        if (Array.isArray(list) && list.length > 0) {
          if (!list.every((x) => x === mine)) return false;
        }
        return true;
      }
      return ['VALIDATION_FAILED', 'ATTACHMENT_UNAVAILABLE', 'INVALID_TEXT'].includes(res.json().code);
    }),
    { numRuns: 150 },
  );
  t.pass('no 5xx, only catalogue refusals');
});

t.test('attachmentIds: the rules', async (t) => {
  const code = async (b: unknown) => (await ada.call('POST', url, b)).json().code;
  t.equal(await code({ clientMessageId: 'r1', attachmentIds: Array.from({ length: 11 }, (_, i) => i.toString(16).padStart(24, '0')) }), 'VALIDATION_FAILED', 'at most 10');
  t.equal(await code({ clientMessageId: 'r2', attachmentIds: [mine, mine] }), 'VALIDATION_FAILED', 'no repeats');
  t.equal(await code({ clientMessageId: 'r3', attachmentIds: ['XYZ'] }), 'VALIDATION_FAILED');
  t.equal(await code({ clientMessageId: 'r4', attachmentIds: ['665f1c2ab3d4e5f6a7b8c9d0'] }), 'ATTACHMENT_UNAVAILABLE', 'no such upload');
  t.equal(await code({ clientMessageId: 'r5', attachmentIds: [bobs] }), 'ATTACHMENT_UNAVAILABLE', "another member's upload");
});
