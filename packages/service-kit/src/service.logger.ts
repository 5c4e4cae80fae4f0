import type { Logger } from '@ashchat/contracts';

/** The kit's name for the one logger type (@ashchat/contracts' `Logger`). */
export type ServiceLogger = Logger;
