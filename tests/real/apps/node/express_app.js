// SPDX-License-Identifier: GPL-2.0-or-later
// Express as operators deploy it: express-jwt on /api with the error handler
// its README shows, a session-guarded /account, express-rate-limit on
// /limited, and @godaddy/terminus health checks. Run: node express_app.js PORT
'use strict';
const http = require('http');
const express = require('express');
const session = require('express-session');
const { expressjwt } = require('express-jwt');
const { rateLimit } = require('express-rate-limit');
const { createTerminus, HealthCheckError } = require('@godaddy/terminus');

const KEY = 'probewise-real-suite-shared-key-0123456789';
const app = express();
app.use(session({ secret: KEY, resave: false, saveUninitialized: false }));

app.get('/api', expressjwt({ secret: KEY, algorithms: ['HS256'] }), (req, res) => res.json({ ok: true }));
app.get('/account', (req, res) => {
  if (!req.session.user) return res.status(401).json({ error: 'Unauthorized', message: 'Not logged in' });
  res.json({ ok: true });
});
app.get('/limited', rateLimit({ windowMs: 60000, limit: 1, standardHeaders: 'draft-7', legacyHeaders: false }),
        (req, res) => res.send('hello'));
// express's default error handler in production shows only the status text.
app.get('/plain', expressjwt({ secret: KEY, algorithms: ['HS256'] }), (req, res) => res.send('hello'));

app.use((err, req, res, next) => {
  if (req.path === '/plain') return next(err);
  if (err.name === 'UnauthorizedError') {
    return res.status(err.status).json({ error: err.code, message: err.message });
  }
  next(err);
});

const server = http.createServer(app);
let dbUp = process.env.DB_DOWN !== '1';
createTerminus(server, {
  healthChecks: {
    '/healthcheck': async () => ({ uptime: process.uptime() }),
    '/ready': async () => {
      if (!dbUp) throw new HealthCheckError('database check failed', { db: 'connection refused' });
      return { db: 'up' };
    },
  },
});
app.get('/toggle-db', (req, res) => { dbUp = !dbUp; res.send(String(dbUp)); });
server.listen(Number(process.argv[2]), '127.0.0.1');
