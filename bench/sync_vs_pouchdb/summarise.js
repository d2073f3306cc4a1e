// bench/sync_vs_pouchdb/summarise.js - turns the JSON lines of both sides into the Markdown
// table of bench/README.md: median (and range) throughput per measurement, and the ratio.
// Usage: node summarise.js RESULTS.jsonl
'use strict';
const fs = require('fs');

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.trim());
const runs = lines.map((l) => JSON.parse(l));
const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const rate = (r) => r.docs / r.seconds;
const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));

function stats(side, what) {
    const rs = runs.filter((r) => r.side === side && r.what === what);
    if (!rs.length) return null;
    const rates = rs.map(rate);
    return {median: median(rates), min: Math.min(...rates), max: Math.max(...rates),
            seconds: median(rs.map((r) => r.seconds)), docs: rs[0].docs, n: rs.length};
}

const rows = [
    ['push', 'push 10k registrations kiosk -> server'],
    ['pull', 'pull 10k catalogue changes into a fresh kiosk'],
    ['fleet', '20 kiosks pushing at once (total)'],
];
console.log('| measurement | Fadaa (records/s) | PouchDB (docs/s) | Fadaa / PouchDB |');
console.log('|---|---|---|---|');
for (const [what, label] of rows) {
    const f = stats('fadaa', what), p = stats('pouchdb', what);
    const cell = (s) => (s ? `${fmt(s.median)} (${fmt(s.min)}-${fmt(s.max)}, ${s.n} runs)` : 'not run');
    const ratio = f && p ? `${(f.median / p.median).toFixed(1)}x` : '-';
    console.log(`| ${label} | ${cell(f)} | ${cell(p)} | ${ratio} |`);
}
const drain = runs.filter((r) => r.side === 'fadaa' && r.what === 'drain');
if (drain.length) {
    const s = drain.map((r) => r.seconds);
    console.log(`| ${drain[0].docs} queued ops drained after the server came back | ` +
                `${median(s).toFixed(3)} s median (${Math.min(...s).toFixed(3)}-` +
                `${Math.max(...s).toFixed(3)} s, ${s.length} runs) | - | target <= 1 s |`);
}
