import { isUtf8 } from 'node:buffer';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';

/**
 * JSON bodies must be UTF-8. Fastify's own parser decodes the bytes first, which turns every invalid
 * sequence (stray bytes, encoded surrogates, overlong forms) into U+FFFD: the request would go on
 * with text the client never sent. This parser reads the body as bytes, refuses invalid UTF-8 with
 * INVALID_ENCODING, and hands the text to Fastify's default JSON parser, which keeps its behaviour:
 * prototype-poisoning protection, the empty-body error; the body limit stays the server's.
 */
async function jsonBodyPlugin(app: FastifyInstance): Promise<void> {
  const parse = app.getDefaultJsonParser(app.initialConfig.onProtoPoisoning ?? 'error', app.initialConfig.onConstructorPoisoning ?? 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(new AppError('INVALID_ENCODING'), undefined);
      return;
    }
    parse(request, bytes.toString('utf8'), done);
  });
}

export default fp(jsonBodyPlugin, { name: 'json-body', fastify: '5.x' });
