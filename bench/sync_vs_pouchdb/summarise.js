// bench/sync_vs_pouchdb/summarise.js - turns the JSON lines of both sides into the Markdown
// tables of bench/README.md: throughput by wall clock (median, range) and per CPU second
// (client + server; the machine is shared, so this one does not depend on its load), with the
// Fadaa / PouchDB ratio. Usage: node summarise.js RESULTS.jsonl
'use strict';
const fs = require('fs');

const runs = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const cpuOf = (r) => (r.client_cpu || 0) + (r.server_cpu || 0);

function stats(side, what, rate) {
    const rs = runs.filter((r) => r.side === side && r.what === what);
    if (!rs.length) return null;
    const rates = rs.map(rate);
    return {median: median(rates), min: Math.min(...rates), max: Math.max(...rates), n: rs.length};
}
const cell = (s) => (s ? `${fmt(s.median)} (${fmt(s.min)}-${fmt(s.max)})` : 'not run');
const ratio = (f, p) => (f && p ? `${(f.median / p.median).toFixed(2)}x` : '-');

const rows = [
    ['push', 'push 10k registrations kiosk -> server'],
    ['pull', 'pull 10k catalogue records into a fresh kiosk'],
    ['fleet', '20 kiosks pushing at once (all records)'],
];
const table = (title, rate) => {
    console.log(`\n${title}\n`);
    console.log('| measurement | Fadaa | PouchDB | Fadaa / PouchDB |');
    console.log('|---|---|---|---|');
    for (const [what, label] of rows) {
        const f = stats('fadaa', what, rate), p = stats('pouchdb', what, rate);
        console.log(`| ${label} | ${cell(f)} | ${cell(p)} | ${ratio(f, p)} |`);
    }
};
table('Records per second, wall clock (median of the runs, range in brackets)',
      (r) => r.docs / r.seconds);
if (runs.every((r) => r.client_cpu !== undefined))
    table('Records per CPU second (client + server process)', (r) => r.docs / cpuOf(r));

const drain = runs.filter((r) => r.side === 'fadaa' && r.what === 'drain');
if (drain.length) {
    const s = drain.map((r) => r.seconds);
    console.log(`\n${drain[0].docs} ops queued while the server was down, drained after it came ` +
                `back: ${median(s).toFixed(3)} s median (${Math.min(...s).toFixed(3)}-` +
                `${Math.max(...s).toFixed(3)} s, ${s.length} runs; target <= 1 s)`);
}
const fadaa = runs.filter((r) => r.side === 'fadaa'), pouch = runs.filter((r) => r.side === 'pouchdb');
console.log(`\nruns: ${fadaa.length} Fadaa measurements, ${pouch.length} PouchDB measurements`);
