import type { BlockList, BlockView } from '@ashchat/contracts';
import { useEffect } from 'preact/hooks';
import { useNow } from '../app/use-now.js';
import { Notice } from '../app/ui.js';
import { t } from '../i18n/i18n.js';
import { blockedUsers, unblock } from '../chat/block.view.js';
import { useLoad, useRowAction } from './settings.load.js';
import { Item, LoadState, Section } from './settings.ui.js';

const nameOf = (b: BlockView): string => b.nickname ?? t('relations.unknownUser');

/** GET /v1/me/blocks: the users I blocked, each with Unblock (no confirm: it only gives back what blocking took). */
export function BlocksView({ version }: { version: number }) {
  const list = useLoad<BlockList>('/v1/me/blocks', version);
  const { busy, outcome, run } = useRowAction(list.reload, list.reload);
  const now = useNow(true, 30_000);
  const data = list.data;
  // The direct chat header reads the same list: keep its copy as fresh as this one.
  useEffect(() => {
    if (data) blockedUsers.value = new Map(data.items.map((b) => [b.userId, b]));
  }, [data]);

  const release = (b: BlockView) =>
    run(b.userId, async () => {
      await unblock(b.userId);
      return t('relations.blocks.unblocked', { name: nameOf(b) });
    });

  return (
    <Section id="blocks" title={t('relations.blocks.title')} intro={t('relations.blocks.intro')}>
      {outcome && <Notice kind={outcome.kind}>{outcome.text}</Notice>}
      <LoadState {...list} />
      {data && data.items.length === 0 && <p class="settings-intro">{t('relations.blocks.none')}</p>}
      {data && data.items.length > 0 && (
        <ul class="settings-list" aria-label={t('relations.blocks.title')}>
          {data.items.map((b) => (
            <Item key={b.userId} name={nameOf(b)} current={false} now={now} times={[['relations.blocks.since', b.blockedAt]]}>
              <button
                type="button"
                class="button button-secondary"
                aria-label={t('relations.unblock.label', { name: nameOf(b) })}
                aria-busy={busy === b.userId ? true : undefined}
                disabled={busy !== null}
                onClick={() => void release(b)}
              >
                {t('relations.unblock')}
              </button>
            </Item>
          ))}
        </ul>
      )}
    </Section>
  );
}
