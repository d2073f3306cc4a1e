// bench/sync_vs_pouchdb/pouchdb_client.js - the PouchDB side's measurements, against
// pouchdb_server.js: the same shapes and counts as the Fadaa side (sync_bench.cpp).
//   push:  N registrations in a kiosk's local database replicated to the server
//   pull:  N catalogue records on the server replicated into a fresh local database
//   fleet: K kiosks with N/K registrations each, all replicating to the server at once
// Usage: node pouchdb_client.js SERVER_URL N KIOSKS REPS SERVER_PID. Prints one JSON line per
// measurement: wall seconds, and the CPU seconds of this client and of the server process.
'use strict';
const fs = require('fs');
const PouchDB = require('pouchdb');
PouchDB.plugin(require('pouchdb-adapter-memory'));
const MemoryPouch = PouchDB.defaults({adapter: 'memory'});

const [url, nText, kiosksText, repsText, serverPidText] = process.argv.slice(2);
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

// CPU seconds (user + system) of the server process, from /proc (0 if unknown).
function serverCpu() {
    if (!serverPidText) return 0;
    const stat = fs.readFileSync(`/proc/${serverPidText}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);  // utime, stime (fields 14, 15)
    return ticks / 100;  // USER_HZ: 100 on Linux
}

// Runs fn and returns {seconds, client_cpu, server_cpu} for it.
async function timed(fn) {
    const cpu = process.cpuUsage();
    const server = serverCpu();
    const start = process.hrtime.bigint();
    await fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    return {seconds, client_cpu: (used.user + used.system) / 1e6, server_cpu: serverCpu() - server};
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
    const t = await timed(() => PouchDB.replicate(local, remote));
    await check(remote, N, 'push');
    await remote.destroy();
    await local.destroy();
    return t;
}

async function pull() {
    unique++;
    const remote = new PouchDB(`${url}/catalogue-${unique}`);
    await fill(remote, Array.from({length: N}, (_, i) => catalogueRecord(i)));
    const local = new MemoryPouch(`fresh-${unique}`);
    const t = await timed(() => PouchDB.replicate(remote, local));
    await check(local, N, 'pull');
    await remote.destroy();
    await local.destroy();
    return t;
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
    const t = await timed(() => Promise.all(locals.map((db) => PouchDB.replicate(db, remote))));
    await check(remote, per * KIOSKS, 'fleet');
    await remote.destroy();
    for (const db of locals) await db.destroy();
    return {...t, docs: per * KIOSKS};
}

(async () => {
    for (let r = 0; r < REPS; r++) {
        console.log(JSON.stringify({side: 'pouchdb', what: 'push', docs: N, ...(await push())}));
        console.log(JSON.stringify({side: 'pouchdb', what: 'pull', docs: N, ...(await pull())}));
        console.log(JSON.stringify({side: 'pouchdb', what: 'fleet', ...(await fleet())}));
    }
})().catch((e) => {
    console.error(e);
    process.exit(1);
});
