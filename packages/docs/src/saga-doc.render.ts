/** Renders docs/sagas/<machine>.md from a saga definition: chart, states, events, messages. */
import { describeStateOutputs, listStates, listTransitions, toMermaid, type SagaOutput } from '@ashchat/saga';
import { renderSagaFlow, replyOrigins, type SagaDocEntry } from '@ashchat/backend';

export const DOCS_COMMAND = 'pnpm run docs';
export const DOCS_CHECK_COMMAND = 'pnpm docs:check';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string): string => `\`${cell(s)}\``;

function outputText(o: SagaOutput, entry: SagaDocEntry): string {
  if (o.kind === 'effect') return `effect ${code(o.name)}`;
  const schema = entry.definition.messages[o.queue];
  return `${code(o.queue)}${schema?.$id ? ` (${schema.$id})` : ''}`;
}

export function renderSagaDoc(entry: SagaDocEntry): string {
  const { definition: def } = entry;
  const states = listStates(def.machine);
  const transitions = listTransitions(def.machine);
  const outputs = new Map(describeStateOutputs(def.machine).map((o) => [o.state, o]));
  const origins = replyOrigins(entry);
  const eventsOf = (state: string): string[] => [...new Set(transitions.filter((t) => t.source === state).map((t) => t.event))];

  const sends = (state: string): string => {
    const o = outputs.get(state);
    if (!o) return '';
    return [
      ...o.onEntry.map((x) => `on entry: ${outputText(x, entry)}`),
      ...o.onEvent.flatMap((e) => e.outputs.map((x) => `on ${code(e.event)}: ${outputText(x, entry)}`)),
    ].join('<br>');
  };
  const awaits = (state: string): string =>
    eventsOf(state)
      .map((event) => {
        const origin = origins.get(event);
        if (origin) return `reply ${code(origin.outcome)} → ${code(event)}`;
        if (event === 'saga.timeout') {
          const timers = transitions.filter((t) => t.source === state && t.event === event).map((t) => t.guard ?? 'timer');
          return `timer ${timers.map(code).join(', ')}`;
        }
        return code(event);
      })
      .join('<br>');

  const eventNames = [...new Set(transitions.map((t) => t.event))];
  const origin = (event: string): string => {
    const o = origins.get(event);
    if (o) return `reply ${o.message} \`outcome: ${o.outcome}\` on ${code(entry.replies!.queue)}`;
    if (event === 'saga.timeout') return 'durable timer (Redis key expiry or the sweep)';
    return 'sent to the saga by the backend (REST call or effect result)';
  };
  const meaning = (event: string): string => transitions.find((t) => t.event === event && t.description)?.description ?? '';

  const messageRows = Object.entries(def.messages).map(([queue, schema]) => {
    const sentIn = [...outputs.values()]
      .filter((o) => [...o.onEntry, ...o.onEvent.flatMap((e) => e.outputs)].some((x) => x.kind === 'message' && x.queue === queue))
      .map((o) => code(o.state));
    return `| ${code(queue)} | ${schema.$id ?? ''} | ${sentIn.join(', ')} | ${entry.replies ? `${code(entry.replies.queue)} (${String(entry.replies.schema.$id ?? '')})` : ''} |`;
  });

  return [
    `# ${entry.title}`,
    '',
    `<!-- GENERATED FILE: do not edit. Source: ${entry.source} (machine ${def.name}, version ${def.version}). -->`,
    `Generated from \`${entry.source}\` (machine \`${def.name}\`, version ${def.version}) by \`${DOCS_COMMAND}\`.`,
    `Do not edit by hand: \`${DOCS_CHECK_COMMAND}\` fails while this file differs from the code.`,
    '',
    '## State chart',
    '',
    '```mermaid',
    toMermaid(def.machine).trimEnd(),
    '```',
    '',
    '## Message flow',
    '',
    'Derived from the machine and the contracts\' messaging catalogue (`packages/contracts/src/messaging.catalogue.ts`);',
    'the queues and messages are specified in [asyncapi.yaml](../asyncapi.yaml).',
    '',
    '```mermaid',
    renderSagaFlow(entry).trimEnd(),
    '```',
    '',
    '## States',
    '',
    `| State | Kind | ${entry.statusOf ? 'REST status | ' : ''}Sends | Awaits | Description |`,
    `|---|---|${entry.statusOf ? '---|' : ''}---|---|---|`,
    ...states.map(
      (s) =>
        `| ${code(s.path)} | ${s.type} | ${entry.statusOf ? `${entry.statusOf(s.path)} | ` : ''}${sends(s.path)} | ${awaits(s.path)} | ${cell(s.description ?? '')} |`,
    ),
    '',
    '## Events',
    '',
    '| Event | Origin | Meaning |',
    '|---|---|---|',
    ...eventNames.map((e) => `| ${code(e)} | ${origin(e)} | ${cell(meaning(e))} |`),
    '',
    '## Transitions',
    '',
    '| From | Event | Guard | To |',
    '|---|---|---|---|',
    ...transitions.map(
      (t) =>
        `| ${code(t.source)} | ${code(t.event)} | ${t.guard ? code(t.guard) : ''} | ${t.targets.length > 0 ? t.targets.map(code).join(', ') : '(stays)'} |`,
    ),
    '',
    '## Messages',
    '',
    '| Queue | Request | Sent in | Answered on |',
    '|---|---|---|---|',
    ...messageRows,
    '',
    '## Notes',
    '',
    `- Durable timers: ${def.timerNames.map(code).join(', ')} (kept in context with a token; no xstate \`after\`).`,
    ...entry.notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}
