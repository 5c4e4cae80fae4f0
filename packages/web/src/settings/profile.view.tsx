import type { MeView } from '@ashchat/contracts';
import { useEffect, useId, useState } from 'preact/hooks';
import { ApiError, http, session } from '../api/api.js';
import { Field, Notice } from '../app/ui.js';
import { LANGUAGES, t } from '../i18n/i18n.js';
import { settingsErrorText } from './settings.errors.js';
import { languageChoices, profileChanges } from './settings.format.js';
import { Form, Section } from './settings.ui.js';
import { AvatarSettings } from './avatar.view.js';

/** Nickname, preferred language, machine translation and the missed-message mail (PATCH /v1/me); the UI switches language as soon as the account has the new one. */
export function ProfileView({ me }: { me: MeView }) {
  const languageId = useId();
  const [nickname, setNickname] = useState(me.nickname);
  const [preferredLanguage, setPreferredLanguage] = useState(me.preferredLanguage);
  const [digestEmails, setDigestEmails] = useState(me.digestEmails);
  const [autoTranslate, setAutoTranslate] = useState(me.autoTranslate);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ kind: 'success' | 'info'; text: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  // Another tab or screen changed the account: show what it now is.
  useEffect(() => {
    setNickname(me.nickname);
    setPreferredLanguage(me.preferredLanguage);
    setDigestEmails(me.digestEmails);
    setAutoTranslate(me.autoTranslate);
  }, [me.nickname, me.preferredLanguage, me.digestEmails, me.autoTranslate]);

  const submit = async () => {
    setResult(null);
    setError(null);
    const changes = profileChanges(me, { nickname, preferredLanguage, digestEmails, autoTranslate });
    if (Object.keys(changes).length === 0) {
      setResult({ kind: 'info', text: t('settings.profile.unchanged') });
      return;
    }
    setBusy(true);
    try {
      // The shell's language follows session.me, so the page re-renders in the new language at once.
      session.me.value = await http.request<MeView>('PATCH', '/v1/me', changes);
      setResult({ kind: 'success', text: t('settings.profile.saved') });
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'INTERNAL_ERROR', String(caught)));
    } finally {
      setBusy(false);
    }
  };

  // Only the nickname is free text: a refused body is about it.
  const nicknameError = error?.code === 'VALIDATION_FAILED' || error?.code === 'INVALID_TEXT' ? t('settings.profile.invalidNickname') : null;
  return (
    <Section id="profile" title={t('settings.profile.title')} intro={t('settings.profile.intro', { email: me.email })}>
      <AvatarSettings me={me} />
      <Form onSubmit={submit} submit={{ label: t('settings.profile.save'), busy }}>
        {error && !nicknameError && <Notice kind="error">{settingsErrorText(error)}</Notice>}
        {result && <Notice kind={result.kind}>{result.text}</Notice>}
        <Field
          label={t('settings.profile.nickname')}
          name="nickname"
          autoComplete="nickname"
          required
          minLength={2}
          maxLength={32}
          hint={t('auth.nicknameHint')}
          error={nicknameError}
          value={nickname}
          onInput={(e) => setNickname(e.currentTarget.value)}
        />
        <div class="field">
          <label for={languageId}>{t('settings.profile.language')}</label>
          <select
            id={languageId}
            name="preferredLanguage"
            aria-describedby={`${languageId}-hint`}
            value={preferredLanguage}
            onChange={(e) => setPreferredLanguage(e.currentTarget.value)}
          >
            {languageChoices(LANGUAGES, me.preferredLanguage).map((choice) => {
              // A regional tag is shown in its language's translation ("Español (es-MX)"); another one in English.
              const name = choice.shownIn && t(`auth.language.${choice.shownIn}`);
              const text = !name ? t('settings.profile.otherLanguage', { tag: choice.value }) : choice.translated ? name : `${name} (${choice.value})`;
              return (
                <option key={choice.value} value={choice.value}>
                  {text}
                </option>
              );
            })}
          </select>
          <p class="field-hint" id={`${languageId}-hint`}>
            {t('settings.profile.languageHint')}
          </p>
        </div>
        <div class="field">
          <label class="settings-check">
            <input
              type="checkbox"
              name="autoTranslate"
              checked={autoTranslate}
              aria-describedby={`${languageId}-translate-hint`}
              onChange={(e) => setAutoTranslate(e.currentTarget.checked)}
            />
            <span>{t('settings.profile.autoTranslate')}</span>
          </label>
          <p class="field-hint" id={`${languageId}-translate-hint`}>
            {t('settings.profile.autoTranslateHint')}
          </p>
        </div>
        <div class="field">
          <label class="settings-check">
            <input
              type="checkbox"
              name="digestEmails"
              checked={digestEmails}
              aria-describedby={`${languageId}-digest-hint`}
              onChange={(e) => setDigestEmails(e.currentTarget.checked)}
            />
            <span>{t('settings.profile.digestEmails')}</span>
          </label>
          <p class="field-hint" id={`${languageId}-digest-hint`}>
            {t('settings.profile.digestEmailsHint')}
          </p>
        </div>
      </Form>
    </Section>
  );
}
