import type { Logger } from '@ashchat/contracts';

/** The one logger type (@ashchat/contracts), re-exported for the kit's users. */
export type { Logger };
