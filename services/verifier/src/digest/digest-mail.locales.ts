import type { MailLanguage } from '../verification/mail.locales.js';

/**
 * The texts of the missed-message mail per language. Plain strings only: the template escapes
 * every line for HTML (names and excerpts are user text). Every mail language has all of them.
 */
export interface DigestMailTexts {
  subject(unread: number): string;
  greeting(nickname: string): string;
  intro: string;
  /** One conversation's heading: its name, unread and mention counts. */
  conversation(name: string, unread: number, mentions: number): string;
  /** One excerpt: who wrote it and the start of the text. */
  excerpt(sender: string, text: string): string;
  more(conversations: number): string;
  open: string;
  optOut: string;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const en: DigestMailTexts = {
  subject: (unread) => `You have ${plural(unread, 'unread message', 'unread messages')} on AshChat`,
  greeting: (nickname) => `Hello ${nickname},`,
  intro: 'While you were away, these conversations got new messages:',
  conversation: (name, unread, mentions) => `${name}: ${plural(unread, 'unread message', 'unread messages')}${mentions > 0 ? `, ${plural(mentions, 'mention', 'mentions')} of you` : ''}`,
  excerpt: (sender, text) => `  ${sender}: ${text}`,
  more: (n) => `… and ${plural(n, 'more conversation', 'more conversations')}.`,
  open: 'Open AshChat to read and reply:',
  optOut: 'You get this mail when messages wait for you while you are offline, at most one per period. You can turn it off in your settings:',
};

const de: DigestMailTexts = {
  subject: (unread) => `Du hast ${plural(unread, 'ungelesene Nachricht', 'ungelesene Nachrichten')} in AshChat`,
  greeting: (nickname) => `Hallo ${nickname},`,
  intro: 'während du weg warst, kamen in diesen Unterhaltungen neue Nachrichten an:',
  conversation: (name, unread, mentions) => `${name}: ${plural(unread, 'ungelesene Nachricht', 'ungelesene Nachrichten')}${mentions > 0 ? `, davon ${plural(mentions, 'Erwähnung', 'Erwähnungen')} von dir` : ''}`,
  excerpt: (sender, text) => `  ${sender}: ${text}`,
  more: (n) => `… und ${plural(n, 'weitere Unterhaltung', 'weitere Unterhaltungen')}.`,
  open: 'Öffne AshChat, um sie zu lesen und zu antworten:',
  optOut: 'Diese Mail kommt, wenn Nachrichten auf dich warten, während du offline bist, höchstens eine pro Zeitraum. Du kannst sie in deinen Einstellungen abschalten:',
};

/** French takes the singular for 0 and 1. */
const pluralFr = (n: number, one: string, many: string): string => `${n} ${n < 2 ? one : many}`;

const fr: DigestMailTexts = {
  subject: (unread) => `Vous avez ${pluralFr(unread, 'message non lu', 'messages non lus')} sur AshChat`,
  greeting: (nickname) => `Bonjour ${nickname},`,
  intro: 'Pendant votre absence, ces discussions ont reçu de nouveaux messages\u00a0:',
  conversation: (name, unread, mentions) =>
    `${name}\u00a0: ${pluralFr(unread, 'message non lu', 'messages non lus')}${mentions > 0 ? `, dont ${mentions} ${mentions < 2 ? 'vous mentionne' : 'vous mentionnent'}` : ''}`,
  excerpt: (sender, text) => `  ${sender}\u00a0: ${text}`,
  more: (n) => `… et ${pluralFr(n, 'autre discussion', 'autres discussions')}.`,
  open: 'Ouvrez AshChat pour les lire et y répondre\u00a0:',
  optOut: 'Vous recevez cet e-mail quand des messages vous attendent pendant que vous êtes hors ligne, au plus un par période. Vous pouvez le désactiver dans vos paramètres\u00a0:',
};

const es: DigestMailTexts = {
  subject: (unread) => `Tienes ${plural(unread, 'mensaje sin leer', 'mensajes sin leer')} en AshChat`,
  greeting: (nickname) => `Hola, ${nickname}:`,
  intro: 'Mientras no estabas, estas conversaciones recibieron mensajes nuevos:',
  conversation: (name, unread, mentions) =>
    `${name}: ${plural(unread, 'mensaje sin leer', 'mensajes sin leer')}${mentions > 0 ? `, ${mentions} ${mentions === 1 ? 'te menciona' : 'te mencionan'}` : ''}`,
  excerpt: (sender, text) => `  ${sender}: ${text}`,
  more: (n) => `… y ${plural(n, 'conversación más', 'conversaciones más')}.`,
  open: 'Abre AshChat para leerlos y responder:',
  optOut: 'Recibes este correo cuando tienes mensajes esperándote mientras estás sin conexión, como máximo uno por periodo. Puedes desactivarlo en tus ajustes:',
};

export const DIGEST_MAIL_TEXTS: Record<MailLanguage, DigestMailTexts> = { en, de, fr, es };
