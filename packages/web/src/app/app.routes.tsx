import type { JSX } from 'preact';
import { DeviceChallengeScreen } from '../auth/device-challenge.screen.js';
import { PasswordResetScreen } from '../auth/password-reset.screen.js';
import { SignInScreen } from '../auth/sign-in.screen.js';
import { SignUpScreen } from '../auth/sign-up.screen.js';
import { VerifyScreen } from '../auth/verify.screen.js';
import { ConversationScreen } from '../chat/conversation.screen.js';
import { ConversationsScreen } from '../chat/conversations.screen.js';
import { SettingsScreen } from '../settings/settings.screen.js';
import { SearchScreen } from '../search/search.screen.js';
import type { RouteDef } from './router.match.js';

export interface Screen {
  /** `signed-in`: only with a session (else → /sign-in); `signed-out`: only without (else → /); `any`: both. */
  access: 'signed-in' | 'signed-out' | 'any';
  render: (params: Record<string, string>) => JSX.Element;
}

export const routes: RouteDef<Screen>[] = [
  { path: '/', value: { access: 'signed-in', render: () => <ConversationsScreen /> } },
  { path: '/c/:conversationId', value: { access: 'signed-in', render: (p) => <ConversationScreen conversationId={p.conversationId ?? ''} /> } },
  { path: '/search', value: { access: 'signed-in', render: () => <SearchScreen conversationId={null} /> } },
  { path: '/c/:conversationId/search', value: { access: 'signed-in', render: (p) => <SearchScreen conversationId={p.conversationId ?? ''} /> } },
  { path: '/settings', value: { access: 'signed-in', render: () => <SettingsScreen /> } },
  { path: '/sign-in', value: { access: 'signed-out', render: () => <SignInScreen /> } },
  { path: '/sign-up', value: { access: 'signed-out', render: () => <SignUpScreen /> } },
  { path: '/verify', value: { access: 'any', render: () => <VerifyScreen /> } },
  { path: '/password-reset', value: { access: 'any', render: () => <PasswordResetScreen /> } },
  { path: '/device-challenge', value: { access: 'any', render: () => <DeviceChallengeScreen /> } },
];
