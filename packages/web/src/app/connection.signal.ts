import { signal } from '@preact/signals';

/** The live connection's state, driven by the realtime client; the shell shows a banner when not online. */
export const connectionStatus = signal<'online' | 'connecting' | 'offline'>('online');
