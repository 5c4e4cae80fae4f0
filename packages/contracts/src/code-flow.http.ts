import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, LineString } from './common.schema.js';

/**
 * What the code-confirmed flows after registration (password reset, device challenge) share: the
 * six-digit code, the status of a flow and its last recoverable error.
 */

export const VerificationCode = Type.String({ pattern: '^[0-9]{6}$', description: 'The six-digit code from the mail', examples: ['042917'] });

export const CodeFlowStatus = Type.Union(
  [
    Type.Literal('pending'),
    Type.Literal('awaiting-code'),
    Type.Literal('verifying'),
    Type.Literal('completed'),
    Type.Literal('expired'),
    Type.Literal('locked'),
    Type.Literal('failed'),
    Type.Literal('denied'),
  ],
  {
    $id: 'CodeFlowStatus',
    description: [
      'Where a password reset or a device challenge stands: `pending` (a code is being mailed), `awaiting-code`',
      '(submit the mailed code), `verifying` (a submitted code is being checked), `completed`, `expired` (start again),',
      '`locked` (too many wrong codes; start again), `failed` (the code could not be mailed; start again),',
      '`denied` (device challenges only: the account owner answered "this was not me").',
    ].join(' '),
  },
);
export type CodeFlowStatus = Static<typeof CodeFlowStatus>;

export const CodeFlowLastError = Type.Union([Type.Literal('invalid-code'), Type.Literal('verifier-timeout')], {
  $id: 'CodeFlowLastError',
  description: 'The last recoverable problem while waiting for the code: `invalid-code` (wrong code), `verifier-timeout` (could not be checked in time; submit it again).',
});
export type CodeFlowLastError = Static<typeof CodeFlowLastError>;

/** The fields every code flow's view has (each view adds its id). */
export const codeFlowFields = {
  status: CodeFlowStatus,
  attemptsLeft: Type.Integer({ minimum: 0, description: 'Wrong codes that may still be submitted before the flow locks', examples: [5] }),
  expiresAt: Type.Union([IsoDateTime, Type.Null()], { description: 'When the current code expires; null once the flow is over' }),
  resendAvailableAt: Type.Union([IsoDateTime, Type.Null()], { description: 'From when another code may be requested; null when none can be' }),
  resendsLeft: Type.Integer({ minimum: 0, description: 'Further codes that may still be requested', examples: [3] }),
  lastError: Type.Union([CodeFlowLastError, Type.Null()], { description: 'Set while awaiting the code after a wrong code or a verifier timeout' }),
  statusUrl: LineString({ description: 'Where to poll the flow (relative URL)' }),
};
