// Node-side entry of @ashchat/web: where the built client lives, for the backend that serves it.
// Plain JavaScript, so the backend's compiled build and its source runs read it alike.
import { URL, fileURLToPath } from 'node:url';

/** Absolute path of the built client (`vite build` writes it); may not exist before a build. */
export const WEB_DIST_DIR = fileURLToPath(new URL('./dist/', import.meta.url));
