// SPDX-License-Identifier: GPL-2.0-or-later
// Koa with koa-jwt on /api as its README shows (no debug option: the error
// says "Authentication Error"). Run: node koa_app.js PORT
'use strict';
const Koa = require('koa');
const jwt = require('koa-jwt');
const Router = require('@koa/router');

const KEY = 'probewise-real-suite-shared-key-0123456789';
const app = new Koa();
const router = new Router();
router.get('/api', jwt({ secret: KEY, algorithms: ['HS256'] }), (ctx) => { ctx.body = { ok: true }; });
app.use(router.routes());
app.listen(Number(process.argv[2]), '127.0.0.1');
