// bench/sync_vs_pouchdb/pouchdb_client.js - the PouchDB side's measurements, against
// pouchdb_server.js: the same shapes and counts as the Fadaa side (sync_bench.cpp).
//   push:  N registrations in a kiosk's local database replicated to the server
//   pull:  N catalogue records on the server replicated into a fresh local database
//   fleet: K kiosks with N/K registrations each, all replicating to the server at once
// Usage: node pouchdb_client.js SERVER_URL N KIOSKS REPS. Prints one JSON line per measurement.
'use strict';
const PouchDB = require('pouchdb');
PouchDB.plugin(require('pouchdb-adapter-memory'));
const MemoryPouch = PouchDB.defaults({adapter: 'memory'});

const [url, nText, kiosksText, repsText] = process.argv.slice(2);
const N = Number(nText || 10000), KIOSKS = Number(kiosksText || 20), REPS = Number(repsText || 3);
let unique = 0;

function pad(n, width) { return String(n).padStart(width, '0'); }

// A registration as a kiosk records it (synthetic person, no real personal data).
function registration(kiosk, i) {
    return {
        _id: `reg-${kiosk}-${pad(i, 6)}-${unique}`, type: 'registration',
        session_id: `session-${i % 200}`, kiosk_id: `kiosk-${kiosk}`,
        code: pad(i, 6), name: `Resident ${i}`, phone: `+2126${pad(i, 8)}`, age_band: 'adult',
        answers: {section: 'open'}, status: 'confirmed', created_at: 1764950000 + i,
    };
}

// A catalogue change as the server publishes it (a session of an event).
function catalogueRecord(i) {
    return {
        _id: `session-${pad(i, 6)}-${unique}`, type: 'session', event_id: `event-${i % 500}`,
        venue_id: 'venue-1', starts_at: 1764950000 + 3600 * i, ends_at: 1764957200 + 3600 * i,
        capacity: 30, status: 'scheduled', taken: i % 30, waitlisted: 0,
        title: {ar: 'ورشة', fr: 'Atelier', en: 'Workshop', zgh: 'ⴰⵙⵎⵓⵏ'},
    };
}

async function fill(db, docs) {
    for (let i = 0; i < docs.length; i += 1000) await db.bulkDocs(docs.slice(i, i + 1000));
}

async function timed(fn) {
    const start = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - start) / 1e9;
}

async function check(db, expected, what) {
    const info = await db.info();
    if (info.doc_count !== expected)
        throw new Error(`${what}: ${info.doc_count} documents, expected ${expected}`);
}

async function push() {
    unique++;
    const local = new MemoryPouch(`kiosk-${unique}`);
    await fill(local, Array.from({length: N}, (_, i) => registration(0, i)));
    const remote = new PouchDB(`${url}/push-${unique}`);
    const seconds = await timed(() => PouchDB.replicate(local, remote));
    await check(remote, N, 'push');
    await remote.destroy();
    await local.destroy();
    return seconds;
}

async function pull() {
    unique++;
    const remote = new PouchDB(`${url}/catalogue-${unique}`);
    await fill(remote, Array.from({length: N}, (_, i) => catalogueRecord(i)));
    const local = new MemoryPouch(`fresh-${unique}`);
    const seconds = await timed(() => PouchDB.replicate(remote, local));
    await check(local, N, 'pull');
    await remote.destroy();
    await local.destroy();
    return seconds;
}

async function fleet() {
    unique++;
    const per = Math.floor(N / KIOSKS);
    const locals = [];
    for (let k = 0; k < KIOSKS; k++) {
        const db = new MemoryPouch(`fleet-${unique}-${k}`);
        await fill(db, Array.from({length: per}, (_, i) => registration(k, i)));
        locals.push(db);
    }
    const remote = new PouchDB(`${url}/fleet-${unique}`);
    await remote.info();  // create it once, not 20 times at once
    const seconds = await timed(() => Promise.all(locals.map((db) => PouchDB.replicate(db, remote))));
    await check(remote, per * KIOSKS, 'fleet');
    await remote.destroy();
    for (const db of locals) await db.destroy();
    return {seconds, docs: per * KIOSKS};
}

(async () => {
    for (let r = 0; r < REPS; r++) {
        const p = await push();
        console.log(JSON.stringify({side: 'pouchdb', what: 'push', docs: N, seconds: p}));
        const q = await pull();
        console.log(JSON.stringify({side: 'pouchdb', what: 'pull', docs: N, seconds: q}));
        const f = await fleet();
        console.log(JSON.stringify({side: 'pouchdb', what: 'fleet', docs: f.docs, seconds: f.seconds}));
    }
})().catch((e) => {
    console.error(e);
    process.exit(1);
});
