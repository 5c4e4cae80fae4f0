import t from 'tap';
import { signal } from '@preact/signals';
import type { MessageTranslation, MessageView } from '@ashchat/contracts';
import type { Realtime, RealtimeStatus } from '../realtime/realtime.client.js';
import type { ServerFrame } from '../realtime/realtime.protocol.js';
import type { Http } from './chat.ports.js';
import { createChat } from './chat.store.js';
import { createTranslationToggles } from './translation.store.js';
import { messageId as id, messageView } from './message.fixture.test-support.js';

/** Translations through the chat's wiring: pages, live events and the per-message original toggle (ports stood in for). */
const ME = '00000000-0000-4000-8000-000000000002';
const ADA = '00000000-0000-4000-8000-000000000001';
const CONV = 'a'.repeat(24);
const translated = (text: string): MessageTranslation => ({ language: 'es', status: 'translated', text, via: [], reason: null });
const msg = (n: number, over: Partial<MessageView> = {}): MessageView =>
  messageView(n, { conversationId: CONV, senderId: ADA, clientMessageId: `c${n}`, body: 'Good morning', createdAt: '2026-01-01T00:00:00.000Z', language: 'en', ...over });

function setup(page: MessageView[]) {
  const listeners = new Map<string, (f: ServerFrame) => void>();
  const realtime = {
    status: signal<RealtimeStatus>('connecting'),
    userId: signal<string | null>(ME),
    on: (type: string, fn: (f: ServerFrame) => void) => (listeners.set(type, fn), () => listeners.delete(type)),
    onResume: () => () => {},
    request: async () => ({}),
    close: () => {},
  } as unknown as Realtime;
  const http: Http = {
    request: async <T>(_m: string, path: string) => (path.startsWith(`/v1/conversations/${CONV}/messages`) ? { items: page, nextCursor: null } : { items: [], nextCursor: null }) as T,
  };
  const chat = createChat({ http, realtime, pageVisible: signal(true) });
  t.teardown(() => chat.dispose());
  const emit = (frame: unknown) => listeners.get((frame as ServerFrame).type)!(frame as ServerFrame);
  const first = () => chat.messages.history(CONV).value.messages[0]!;
  return { chat, emit, first };
}

t.test('message.translated fills in a pending translation; a later replay of message.new does not take it back', async (t) => {
  const s = setup([msg(1, { translation: { language: 'es', status: 'pending', text: null, via: [], reason: null } })]);
  await s.chat.messages.loadOlder(CONV);
  t.equal(s.first().translation?.status, 'pending');
  s.emit({ type: 'message.translated', conversationId: CONV, messageId: id(1), translation: translated('Buenos días') });
  t.same(s.first().translation, translated('Buenos días'));
  s.emit({ type: 'message.new', conversationId: CONV, message: msg(1) });
  t.equal(s.first().translation?.text, 'Buenos días');
});

t.test('message.edited (translation null) shows the new original until its translation arrives', async (t) => {
  const s = setup([msg(1, { translation: translated('Buenos días') })]);
  await s.chat.messages.loadOlder(CONV);
  s.emit({ type: 'message.edited', conversationId: CONV, message: msg(1, { body: 'Good evening', editedAt: '2026-01-01T00:05:00.000Z' }) });
  t.equal(s.first().translation, null, 'the old translation is stale');
  t.equal(s.first().body, 'Good evening');
  s.emit({ type: 'message.translated', conversationId: CONV, messageId: id(1), translation: translated('Buenas tardes') });
  t.equal(s.first().translation?.text, 'Buenas tardes');
});

t.test('message.translated for a conversation not loaded is ignored (its page brings the translation)', async (t) => {
  const s = setup([]);
  s.emit({ type: 'message.translated', conversationId: 'b'.repeat(24), messageId: id(1), translation: translated('x') });
  t.notOk(s.chat.messages.notLoaded().includes('b'.repeat(24)), 'no history is created for it');
});

t.test('toggles: remembered while the conversation is on screen, forgotten when it closes', async (t) => {
  const visible = signal<string | null>(CONV);
  const toggles = createTranslationToggles(visible);
  t.teardown(toggles.dispose);
  toggles.toggle(id(1));
  t.ok(toggles.showsOriginal(id(1)));
  t.notOk(toggles.showsOriginal(id(2)));
  toggles.toggle(id(1));
  t.notOk(toggles.showsOriginal(id(1)), 'toggling again shows the translation');
  toggles.toggle(id(1));
  visible.value = null;
  t.notOk(toggles.showsOriginal(id(1)), 'closed: forgotten');
  visible.value = CONV;
  toggles.toggle(id(2));
  visible.value = 'b'.repeat(24);
  t.notOk(toggles.showsOriginal(id(2)), 'another conversation opened: forgotten');
});
