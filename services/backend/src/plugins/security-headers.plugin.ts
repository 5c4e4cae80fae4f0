import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** CSP directives by their header names (`script-src`), each a list of sources. */
export type CspDirectives = Readonly<Record<string, readonly string[]>>;

/**
 * What every page starts from: nothing may load, no <base>, no form posts, no framing. A page adds
 * only the sources it uses (`pageCsp`).
 */
const PAGE_BASE: CspDirectives = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** A page's CSP directives: the base plus what the page loads. */
export const pageCsp = (directives: CspDirectives): CspDirectives => ({ ...PAGE_BASE, ...directives });

/** The directives as the plain record helmet and @fastify/swagger-ui take. */
export const cspRecord = (d: CspDirectives): Record<string, string[]> => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, [...v]]));

/** The CSP of a page as the helmet route option (`{ helmet: pageSecurity(...) }`). */
export const pageSecurity = (directives: CspDirectives) => ({
  contentSecurityPolicy: { useDefaults: false, directives: cspRecord(pageCsp(directives)) },
});

/**
 * Security headers on every answer (@fastify/helmet): by default the API's, the values of
 * API_SECURITY_HEADERS (@ashchat/service-kit), which answers written outside any route send
 * themselves; a page's own CSP where its route says so. Helmet's other headers stay on (COOP,
 * Origin-Agent-Cluster, …); HSTS only for this host: subdomains are the operator's, and browsers
 * ignore it until the site is reached over HTTPS (through a TLS proxy).
 * Registered before every route plugin: helmet reads the routes' options as they are added.
 */
async function securityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] } },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  });
}

export default fp(securityHeaders, { name: 'security-headers', fastify: '5.x' });
