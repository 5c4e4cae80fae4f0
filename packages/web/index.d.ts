/** Absolute path of the built client (`vite build` writes it); may not exist before a build. */
export declare const WEB_DIST_DIR: string;
