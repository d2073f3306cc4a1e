// bench/sync_vs_pouchdb/pouchdb_server.js - the PouchDB side's server: express-pouchdb over
// in-memory PouchDB databases, on a free port of 127.0.0.1. Prints "listening PORT".
'use strict';
const express = require('express');
const PouchDB = require('pouchdb');
PouchDB.plugin(require('pouchdb-adapter-memory'));

const MemoryPouch = PouchDB.defaults({adapter: 'memory'});
const app = express();
app.use('/', require('express-pouchdb')(MemoryPouch, {
    mode: 'minimumForPouchDB',
    inMemoryConfig: true,
    logPath: '/dev/null',
}));
const server = app.listen(0, '127.0.0.1', () => {
    console.log('listening ' + server.address().port);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
