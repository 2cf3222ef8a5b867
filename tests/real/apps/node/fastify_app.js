// SPDX-License-Identifier: GPL-2.0-or-later
// Fastify with @fastify/jwt on /api, @fastify/basic-auth on /basic and
// @fastify/rate-limit on /limited. Run: node fastify_app.js PORT
'use strict';
const fastify = require('fastify')({ logger: false });

const KEY = 'probewise-real-suite-shared-key-0123456789';

async function main() {
  await fastify.register(require('@fastify/jwt'), { secret: KEY });
  await fastify.register(require('@fastify/basic-auth'), {
    validate: async (username, password) => {
      if (username !== 'monitor' || password !== 'secret') return new Error('Unauthorized');
    },
    authenticate: { realm: 'monitoring' },
  });
  await fastify.register(require('@fastify/rate-limit'), { global: false });

  fastify.get('/api', { onRequest: async (request) => request.jwtVerify() }, async () => ({ ok: true }));
  fastify.get('/basic', { onRequest: fastify.basicAuth }, async () => ({ ok: true }));
  fastify.get('/limited', { config: { rateLimit: { max: 1, timeWindow: '1 minute' } } }, async () => 'hello');
  await fastify.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
}
main().catch((e) => { console.error(e); process.exit(1); });
