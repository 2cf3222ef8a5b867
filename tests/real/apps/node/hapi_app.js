// SPDX-License-Identifier: GPL-2.0-or-later
// hapi as its documentation sets up authentication: @hapi/basic on /basic,
// hapi-auth-jwt2 on /api, and a route that needs the "admin" scope.
// Run: node hapi_app.js PORT
'use strict';
const Hapi = require('@hapi/hapi');

const KEY = 'probewise-real-suite-shared-key-0123456789';

const start = async () => {
  const server = Hapi.server({ port: Number(process.argv[2]), host: '127.0.0.1' });
  await server.register([require('@hapi/basic'), require('hapi-auth-jwt2')]);
  server.auth.strategy('simple', 'basic', {
    validate: async (request, username, password) =>
      ({ isValid: username === 'monitor' && password === 'secret', credentials: { name: username } }),
  });
  server.auth.strategy('jwt', 'jwt', {
    key: KEY,
    verifyOptions: { algorithms: ['HS256'] },
    validate: async (decoded) => ({ isValid: decoded.sub === 'monitor', credentials: decoded }),
  });
  server.route({ method: 'GET', path: '/basic', options: { auth: 'simple' }, handler: () => 'hello' });
  server.route({ method: 'GET', path: '/api', options: { auth: 'jwt' }, handler: () => ({ ok: true }) });
  server.route({
    method: 'GET', path: '/admin', options: { auth: { strategy: 'jwt', scope: ['admin'] } },
    handler: () => ({ ok: true }),
  });
  await server.start();
};
start();
