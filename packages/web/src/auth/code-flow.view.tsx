import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Link } from '../app/router.js';
import { Button, Field, Notice } from '../app/ui.js';
import { useNow } from '../app/use-now.js';
import { errorText } from '../i18n/error.text.js';
import { t } from '../i18n/i18n.js';
import { describeFlow, formatCountdown, type CodeFlowViewLike } from './code-flow.model.js';

export interface CodeFlowProps {
  view: CodeFlowViewLike;
  submitLabel: string;
  /** Submits the code; throws ApiError (the screen reloads the view, which then shows attempts, lockout…). */
  onSubmit: (code: string) => Promise<void>;
  onResend: () => Promise<void>;
  restart: { href: string; label: string };
  /** Further fields submitted with the code (the new password of a reset). */
  children?: ComponentChildren;
}

/** The code form of every mailed-code flow: status, attempts left, expiry, resend with its cooldown, the end states. */
export function CodeFlow({ view, submitLabel, onSubmit, onResend, restart, children }: CodeFlowProps) {
  const now = useNow();
  const flow = describeFlow(view, now);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<'submit' | 'resend' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [resent, setResent] = useState(false);

  const run = async (kind: 'submit' | 'resend', action: () => Promise<void>) => {
    setBusy(kind);
    setError(null);
    setResent(false);
    try {
      await action();
      if (kind === 'resend') {
        setResent(true);
        setCode('');
      }
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(null);
    }
  };

  if (flow.phase === 'over') {
    return (
      <div class="form">
        <Notice kind="error">{t(flow.message ?? 'auth.flow.failed')}</Notice>
        {flow.reason && <p class="card-intro">{t(flow.reason)}</p>}
        <Link href={restart.href} class="button button-primary">
          {restart.label}
        </Link>
      </div>
    );
  }

  const canSubmit = flow.phase === 'awaiting-code' && /^\d{6}$/.test(code) && busy === null;
  const showError = error && !(flow.message === 'auth.flow.invalidCode' && error === t('error.INVALID_CODE'));
  return (
    <form
      class="form"

      onSubmit={(event) => {
        event.preventDefault();
        if (canSubmit) void run('submit', () => onSubmit(code));
      }}
    >
      {flow.phase === 'sending' && <Notice>{t('auth.flow.pending')}</Notice>}
      {flow.phase === 'verifying' && <Notice>{t('auth.flow.verifying')}</Notice>}
      {resent && flow.phase !== 'sending' && <Notice kind="success">{t('auth.flow.resent')}</Notice>}
      {flow.message && (
        <Notice kind="error">
          {t(flow.message)}
          {flow.attemptsLeft !== null && ` ${t('auth.flow.attemptsLeft', { count: flow.attemptsLeft })}`}
        </Notice>
      )}
      {showError && <Notice kind="error">{error}</Notice>}
      <Field
        label={t('auth.code')}
        hint={t('auth.codeHint')}
        class="code-input"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        value={code}
        onInput={(event) => setCode(event.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
      />
      {children}
      <Button type="submit" class="button button-primary button-block" busy={busy === 'submit'} disabled={!canSubmit && busy !== 'submit'}>
        {submitLabel}
      </Button>
      <ul class="flow-facts">
        {flow.expiresInMs !== null && <li>{t('auth.flow.expiresIn', { time: formatCountdown(flow.expiresInMs) })}</li>}
      </ul>
      {flow.phase === 'awaiting-code' &&
        (flow.resendInMs === null ? (
          <p class="field-hint">{t('auth.flow.noResends')}</p>
        ) : (
          <Button type="button" kind="secondary" busy={busy === 'resend'} disabled={flow.resendInMs > 0 || busy !== null} onClick={() => void run('resend', onResend)}>
            {flow.resendInMs > 0 ? t('auth.flow.resendIn', { time: formatCountdown(flow.resendInMs) }) : t('auth.flow.resend')}
          </Button>
        ))}
    </form>
  );
}
