import type { UserSummary } from '@ashchat/contracts';
import { useEffect, useId, useState } from 'preact/hooks';
import { errorText } from '../i18n/error.text.js';
import { t } from '../i18n/i18n.js';
import type { Chat } from './chat.store.js';

const DEBOUNCE_MS = 250;

/** A nickname search with its results as buttons; `onPick` gets the chosen user. */
export function UserPicker({ chat, exclude, onPick, busy = false }: { chat: Chat; exclude: readonly string[]; onPick(user: UserSummary): void; busy?: boolean }) {
  const id = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<UserSummary[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setResults(null);
      setSearching(false);
      return;
    }
    let current = true;
    setSearching(true);
    const timer = setTimeout(() => {
      chat.users
        .search(q)
        .then((page) => current && (setResults(page.items), setError(null)))
        .catch((e: unknown) => current && setError(errorText(e)))
        .finally(() => current && setSearching(false));
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [chat, query]);

  const shown = (results ?? []).filter((u) => !exclude.includes(u.id) && u.id !== chat.me.value);
  return (
    <div class="user-picker">
      <div class="field">
        <label for={id}>{t('chat.search.label')}</label>
        <input id={id} type="search" value={query} autoComplete="off" maxLength={32} onInput={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter picks the first result (and never submits a surrounding form).
            if (e.key !== 'Enter') return;
            e.preventDefault();
            if (shown[0] && !busy) onPick(shown[0]);
          }}
          aria-describedby={`${id}-status`}
        />
      </div>
      <p id={`${id}-status`} class="user-picker-status" role="status">
        {searching ? t('chat.search.searching') : error ? error : results && shown.length === 0 ? t('chat.search.none') : ''}
      </p>
      {shown.length > 0 && (
        <ul class="user-results" aria-label={t('chat.search.results')}>
          {shown.map((u) => (
            <li key={u.id}>
              <button type="button" class="user-result" disabled={busy} onClick={() => onPick(u)}>
                <span class="avatar" aria-hidden="true">
                  {u.nickname.slice(0, 1).toUpperCase()}
                </span>
                {u.nickname}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
