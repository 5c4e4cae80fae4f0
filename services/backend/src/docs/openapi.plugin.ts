import { readFileSync } from 'node:fs';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** Where Swagger UI lives; the document itself is `${DOCS_PREFIX}/json`. */
export const DOCS_PREFIX = '/docs';

/** The route groups, in the order the document lists them; every documented route names one. */
export const OPENAPI_TAGS = [
  { name: 'registration', description: 'Sign-up: start a registration, confirm the e-mail with the mailed code, resend it.' },
  { name: 'sessions', description: 'Sign-in and sign-out: access tokens (JWT), single-use refresh tokens, one session per device.' },
  { name: 'users', description: 'The signed-in user’s account, and finding other users by nickname.' },
  { name: 'conversations', description: 'Direct conversations and groups: start one, list mine with unread counts, add and remove members.' },
  { name: 'messages', description: 'Messages of a conversation: send (idempotent), page through, edit, delete, mark read.' },
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
].join('\n');

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
    // Pages under /docs (Swagger UI's own routes and any other documentation page) are not API.
    transform: ({ schema, url }) => ({ schema: isDocsPage(url) ? { ...schema, hide: true } : schema, url }),
    transformObject: (document) => ('openapiObject' in document ? tidyOpenApi(document.openapiObject) : document.swaggerObject),
    // Components are named after the contracts' $id (`ErrorResponse`), not `def-0`.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
}

export default fp(openApiPlugin, { name: 'openapi', fastify: '5.x' });
