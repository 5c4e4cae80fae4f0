import { useState } from 'preact/hooks';
import { navigate } from '../app/router.js';
import { t } from '../i18n/i18n.js';
import { enc } from '../chat/chat.ports.js';
import './search.css';

/** Where the results of `query` are shown: across every chat, or within one. */
export const searchHref = (query: string, scope: string | null): string => `${scope ? `/c/${enc(scope)}/search` : '/search'}?q=${enc(query.trim())}`;

/**
 * A search box (a form, so Enter searches and the field has a visible label); it opens the results
 * screen. `scope`: the conversation to search in, or null for all of them.
 */
export function SearchField({ scope, initial = '', autoFocus = false }: { scope: string | null; initial?: string; autoFocus?: boolean }) {
  const [value, setValue] = useState(initial);
  const id = scope ? 'search-field-conversation' : 'search-field-all';
  return (
    <form
      class="search-field"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) navigate(searchHref(value, scope));
      }}
    >
      <label for={id}>{t(scope ? 'search.field.inConversation' : 'search.field.label')}</label>
      <div class="search-field-row">
        <input id={id} type="search" name="q" value={value} maxLength={200} autoComplete="off" autoFocus={autoFocus} onInput={(e) => setValue(e.currentTarget.value)} />
        <button type="submit" class="button button-secondary button-small">
          {t('search.field.submit')}
        </button>
      </div>
    </form>
  );
}
