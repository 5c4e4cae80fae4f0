import { readFileSync } from 'node:fs';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { ErrorCode } from '@ashchat/contracts';
import { errorResponses } from '../errors/error-responses.js';
import { cspRecord, pageCsp } from '../plugins/security-headers.plugin.js';

/** Where Swagger UI lives; the document itself is `${DOCS_PREFIX}/json`. */
export const DOCS_PREFIX = '/docs';

/** The route groups, in the order the document lists them; every documented route names one. */
export const OPENAPI_TAGS = [
  { name: 'registration', description: 'Sign-up: start a registration, confirm the e-mail with the mailed code, resend it.' },
  { name: 'password-reset', description: 'A forgotten password: start a reset, submit the mailed code with the new password, resend it.' },
  { name: 'sessions', description: 'Sign-in and sign-out: access tokens (JWT), single-use refresh tokens, one session per device; a new device confirms the sign-in with a mailed code (device challenge).' },
  { name: 'devices', description: 'The devices an account trusts (signing in from them needs no mailed code): list them, untrust one.' },
  { name: 'users', description: 'The signed-in user’s account (profile, password change, deletion), and finding other users by nickname.' },
  { name: 'conversations', description: 'Direct conversations and groups: start one, list mine with unread counts, add and remove members.' },
  { name: 'messages', description: 'Messages of a conversation: send (idempotent), page through, edit, delete, mark read.' },
  { name: 'files', description: 'Files of a conversation: upload (type read from the bytes), send with a message, download by members (thumbnails, byte ranges).' },
  { name: 'relations', description: 'Mutes and blocks of the signed-in user: mute a conversation (no mail, no mention alert; unread still counted), block a user (no direct chat, no presence or typing either way).' },
  { name: 'health', description: 'Probes for orchestrators: liveness and readiness.' },
] as const;

/** Whether a route serves documentation (hidden from the document) rather than API. */
export const isDocsPage = (url: string): boolean => url === DOCS_PREFIX || url.startsWith(`${DOCS_PREFIX}/`);

export type OpenApiTag = (typeof OPENAPI_TAGS)[number]['name'];

// Read at run time, not imported: package.json lies outside the compiled rootDir (src → dist).
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const DESCRIPTION = [
  'The REST API of the AshChat backend, generated from the route schemas (`@ashchat/contracts`).',
  '',
  'Every refusal has the same body, `ErrorResponse`: its `code` comes from one catalogue and always',
  'answers with the same HTTP status; `details` says more where a code has more to say.',
  '',
  'A request may also be refused before it reaches its operation (each operation lists those it may get):',
  '`REQUEST_TIMEOUT` (408) when its headers or body do not arrive in time, `HEADERS_TOO_LARGE` (431) when',
  'the request line and headers exceed 16 KiB (the connection is closed after either), `URI_TOO_LONG` (414)',
  'when a path parameter is longer than 100 characters.',
].join('\n');

/** Refusals any request may get before its route runs (see DESCRIPTION); documented on every operation. */
export const ANY_REQUEST_ERRORS = ['REQUEST_TIMEOUT', 'HEADERS_TOO_LARGE'] as const;
/** …and those of an operation with path parameters (the router's limit on their length). */
export const PATH_PARAMETER_ERRORS = ['URI_TOO_LONG'] as const;

/** The refusals before routing that an operation at `url` may answer. */
export const preRouteErrors = (url: string): readonly ErrorCode[] => (url.includes('/:') ? [...ANY_REQUEST_ERRORS, ...PATH_PARAMETER_ERRORS] : ANY_REQUEST_ERRORS);

/**
 * What Swagger UI loads: its scripts and styles from this server, images inline or from here, the
 * document (and "Try it out" requests) from this origin. No inline script (the index page has
 * none); inline styles, which the UI applies as it renders (docs.browser.test.ts sees them blocked otherwise).
 */
export const SWAGGER_UI_CSP = pageCsp({
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
});

type Json = unknown;

const isStringLiteral = (s: Json): s is { type: 'string'; enum: [string] } => {
  if (typeof s !== 'object' || s === null || Object.keys(s).length !== 2) return false;
  const { type, enum: values } = s as { type?: Json; enum?: Json };
  return type === 'string' && Array.isArray(values) && values.length === 1;
};

/** `anyOf` of single-string `enum`s (TypeBox's union of literals) as one `enum`: the same values, far easier to read. */
function mergeLiteralUnions(node: Json): Json {
  if (Array.isArray(node)) return node.map(mergeLiteralUnions);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([key, value]) => [key, mergeLiteralUnions(value)] as const);
  const object = Object.fromEntries(entries) as Record<string, Json>;
  const { anyOf, ...rest } = object;
  if (!Array.isArray(anyOf) || anyOf.length < 2 || !anyOf.every(isStringLiteral)) return object;
  return { ...rest, type: 'string', enum: anyOf.map((s) => s.enum[0]) };
}

/** Deterministic and readable: components sorted by name, literal unions merged. */
export function tidyOpenApi<T extends { components?: { schemas?: Record<string, Json> } }>(document: T): T {
  const schemas = document.components?.schemas ?? {};
  const sorted = Object.fromEntries(Object.keys(schemas).sort().map((name) => [name, schemas[name]]));
  return mergeLiteralUnions({ ...document, components: { ...document.components, schemas: sorted } }) as T;
}

/**
 * The OpenAPI document of every route registered after this plugin, and Swagger UI at /docs.
 * Registered before the routes (it collects them through an onRoute hook). UI assets come from
 * @fastify/swagger-ui's own package, never a CDN; its routes are hidden from the document.
 */
async function openApiPlugin(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'AshChat backend', version: packageJson.version, description: DESCRIPTION },
      tags: OPENAPI_TAGS.map((tag) => ({ ...tag })),
      // Filled from the schemas registered with addSchema (see buildLocalReference).
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access token of POST /v1/sessions' } },
      },
    },
    // Pages under /docs (Swagger UI's own routes and any other documentation page) are not API;
    // every operation lists the refusals before routing (documented, never declared by a route).
    transform: ({ schema, url }) => {
      if (isDocsPage(url)) return { schema: { ...schema, hide: true }, url };
      const declared = (schema as { response?: Record<string, unknown> }).response;
      return { schema: { ...schema, response: { ...errorResponses(preRouteErrors(url)), ...declared } }, url };
    },
    transformObject: (document) => ('openapiObject' in document ? tidyOpenApi(document.openapiObject) : document.swaggerObject),
    // Components are named after the contracts' $id (`ErrorResponse`), not `def-0`.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  // staticCSP: Swagger UI's routes send this CSP instead of the API's (helmet's other headers stay).
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: cspRecord(SWAGGER_UI_CSP) });
}

export default fp(openApiPlugin, { name: 'openapi', fastify: '5.x' });
