// SPDX-License-Identifier: GPL-2.0-or-later
// Passport on Express with the strategies of its guides: passport-http's
// BasicStrategy on /basic, passport-http-bearer on /bearer (sessions off).
// Run: node passport_app.js PORT
'use strict';
const express = require('express');
const passport = require('passport');
const { BasicStrategy } = require('passport-http');
const BearerStrategy = require('passport-http-bearer').Strategy;

passport.use(new BasicStrategy((user, password, done) =>
  done(null, user === 'monitor' && password === 'secret' ? { name: user } : false)));
passport.use(new BearerStrategy((token, done) =>
  done(null, token === 'monitor-token' ? { name: 'monitor' } : false)));

const app = express();
app.use(passport.initialize());
app.get('/basic', passport.authenticate('basic', { session: false }), (req, res) => res.send('hello'));
app.get('/bearer', passport.authenticate('bearer', { session: false }), (req, res) => res.json({ ok: true }));
app.listen(Number(process.argv[2]), '127.0.0.1');
