// The fault-and-abuse run (not a test): see BENCHMARKS.md, "Faults and abuse". Usage: bench/abuse --help.
//
// 1. Load: package pages with distinct date ranges (every one a cache miss) at a few users, while the
//    embedded engine is killed with SIGKILL midway; every answer is classified (ok, UNAVAILABLE, other
//    GraphQL errors, HTTP status); it says how long after the kill, and after the engine answered /ping
//    again, the first correct answer came, and how many HTTP 500s there were (target: none).
// 2. Amplification: a thousand distinct totals in one request, a federation router's _entities call for
//    a hundred projects; statements each sent to the engine, from its query log.
// 3. Timeouts and disconnects: the gateway restarted with a short request timeout and API statements
//    throttled by ClickHouse (max_execution_speed) so that a year of all projects takes many seconds;
//    requests that time out and clients that hang up; statements of theirs still running 2 s later.
// 4. Data: rows in pypi and in the aggregates before and after (nothing lost to the kill).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { log, parseOptions, request, sleep, startGateway as startProcess, stopGateway, writeSection } from './gateway.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const options = parseOptions({
  rows: { type: 'string', default: '1000000' },
  duration: { type: 'string', default: '40' },
  users: { type: 'string', default: '8' },
  timeouts: { type: 'string', default: '5' },
  port: { type: 'string', default: '18090' },
  'data-dir': { type: 'string' },
  output: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
}, 'bench/abuse');
const ROWS = Number(options.rows);
const LOAD_SECONDS = Number(options.duration);
const USERS = Number(options.users);
const TIMEOUTS = Number(options.timeouts);
const PORT = Number(options.port);
const DATA_DIR = path.resolve(options['data-dir'] ?? path.join(os.homedir(), '.local/share/pypi-gateway', `abuse-${ROWS}`));
const OUTPUT = path.resolve(options.output ?? path.join(root, 'BENCHMARKS.md'));
const JAVA = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const LOG_DIR = path.join(root, 'target', 'bench');
const JAR = fs.readdirSync(path.join(root, 'target')).filter(f => /^pypi-analytics-gateway-.*\.jar$/.test(f) && !f.endsWith('-plain.jar'))
  .map(f => path.join(root, 'target', f))[0];


async function startGateway(name, extra) {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  return startProcess({ name, java: JAVA, jar: JAR, port: PORT, logFile: path.join(LOG_DIR, `abuse-${name}.log`), startupSeconds: 600,
    args: [`--pypi.embedded.data-dir=${DATA_DIR}`, `--pypi.demo.rows=${ROWS}`, '--pypi.api.rate-limit.enabled=false',
      '--logging.level.dev.pypianalytics.api.RequestLog=WARN', ...extra] });
}


const engineUrl = () => fs.readFileSync(path.join(DATA_DIR, 'engine.url'), 'utf8').trim();

async function clickHouse(sql) {
  const response = await request(`${engineUrl()}/?database=pypi`, { body: sql });
  if (response.status !== 200) throw new Error(`ClickHouse: ${response.body}`);
  return response.body.trim();
}

async function enginePing() {
  try {
    return (await request(`${engineUrl()}/ping`, { method: 'GET', timeout: 1000 })).body.trim() === 'Ok.';
  } catch {
    return false;
  }
}

/** The engine's process: the child JVM hosting ClickHouse on our data directory. */
function enginePid() {
  const lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  const line = lines.find(l => l.includes('engine-host') && l.includes(`--path=${DATA_DIR}/`));
  if (!line) throw new Error('engine process not found');
  return Number(line.trim().split(/\s+/)[0]);
}

async function graphQl(query, variables, requestId, timeout) {
  const headers = { 'content-type': 'application/json' };
  if (requestId) headers['x-request-id'] = requestId;
  const started = Date.now();
  try {
    const response = await request(`http://127.0.0.1:${PORT}/graphql`, { headers, body: JSON.stringify({ query, variables }), timeout });
    let body = null;
    try { body = JSON.parse(response.body); } catch { /* not JSON */ }
    return { status: response.status, body, headers: response.headers, ms: Date.now() - started };
  } catch (error) {
    return { status: 0, body: null, error: error.message, ms: Date.now() - started };
  }
}

function kind(result) {
  if (result.status === 0) return `client error (${result.error})`;
  if (result.status !== 200) return `HTTP ${result.status}`;
  if (!result.body) return 'HTTP 200, not JSON';
  if (!result.body.errors) return 'ok';
  return `errors: ${[...new Set(result.body.errors.map(e => e.extensions?.classification ?? 'unclassified'))].join('+')}`;
}

const statementsOf = async id => {
  await clickHouse('SYSTEM FLUSH LOGS');
  return Number(await clickHouse(`SELECT count() FROM system.query_log WHERE type = 'QueryStart' AND startsWith(query_id, '${id}-')`));
};
const runningOf = async id => Number(await clickHouse(`SELECT count() FROM system.processes WHERE startsWith(query_id, '${id}-')`));

async function dataFigures() {
  return clickHouse(`SELECT (SELECT count() FROM pypi), (SELECT sum(count) FROM pypi_downloads), (SELECT sum(count) FROM pypi_downloads_per_day)
                     FORMAT TSV`);
}

// ---------------------------------------------------------------- phases

const PAGE = fs.readFileSync(path.join(root, 'graphql', 'operations', 'PackagePage.graphql'), 'utf8');

async function loadWithKill(projects) {
  const results = [];
  const started = Date.now();
  const killAt = started + LOAD_SECONDS * 500;
  let killedAt = null; let pingBackAt = null; let firstOkAfterKill = null;
  let sequence = 0;
  const stopAt = started + LOAD_SECONDS * 1000;
  const user = async () => {
    while (Date.now() < stopAt) {
      const n = sequence++;
      const to = new Date(Date.UTC(2026, 2, 31) - (n % 700) * 86_400_000).toISOString().slice(0, 10);
      const result = await graphQl(PAGE, { name: projects[n % projects.length], filter: { from: '2024-01-01', to } }, null, 60_000);
      result.at = Date.now();
      results.push(result);
      if (killedAt && !firstOkAfterKill && kind(result) === 'ok' && result.at - result.ms > killedAt) firstOkAfterKill = result.at;
    }
  };
  const watcher = async () => {
    while (Date.now() < killAt) await sleep(100);
    const pid = enginePid();
    process.kill(pid, 'SIGKILL');
    killedAt = Date.now();
    log(`killed the engine (pid ${pid}) with SIGKILL`);
    while (!pingBackAt && Date.now() < stopAt + 60_000) {
      await sleep(100);
      if (await enginePing()) pingBackAt = Date.now();
    }
    log(`engine answered /ping again after ${((pingBackAt - killedAt) / 1000).toFixed(1)} s`);
  };
  await Promise.all([watcher(), ...Array.from({ length: USERS }, user)]);
  // If no answer after the kill was correct before the load ended, keep asking until one is.
  while (!firstOkAfterKill && Date.now() < stopAt + 120_000) {
    const result = await graphQl(PAGE, { name: projects[0], filter: { from: '2024-01-02' } }, null, 60_000);
    results.push({ ...result, at: Date.now() });
    if (kind(result) === 'ok') firstOkAfterKill = Date.now();
    else await sleep(200);
  }
  const byKind = {};
  for (const result of results) byKind[kind(result)] = (byKind[kind(result)] ?? 0) + 1;
  const retryAfter = results.filter(r => kind(r).includes('UNAVAILABLE')).every(r => r.headers?.['retry-after']);
  return {
    requests: results.length, byKind, http500: results.filter(r => r.status === 500).length,
    secondsToFirstOkAfterKill: firstOkAfterKill ? (firstOkAfterKill - killedAt) / 1000 : NaN,
    secondsToFirstOkAfterPing: firstOkAfterKill && pingBackAt ? Math.max(0, firstOkAfterKill - pingBackAt) / 1000 : NaN,
    secondsEngineDown: pingBackAt ? (pingBackAt - killedAt) / 1000 : NaN, retryAfter,
  };
}

async function amplification(projects) {
  const rows = [];
  const distinct = Array.from({ length: 1000 }, (_, i) => `t${i}: totalDownloads(filter: { to: "${new Date(Date.UTC(2026, 2, 31) - i * 86_400_000).toISOString().slice(0, 10)}" })`).join(' ');
  let id = `abuse-distinct-${Date.now()}`;
  let result = await graphQl(`{ project(name: "${projects[0]}") { ${distinct} } }`, undefined, id);
  rows.push({ request: '1000 distinct totals of one project', answer: kind(result), ms: result.ms, statements: await statementsOf(id) });
  const same = Array.from({ length: 1000 }, (_, i) => `t${i}: totalDownloads(filter: { to: "2026-03-01" })`).join(' ');
  id = `abuse-same-${Date.now()}`;
  result = await graphQl(`{ project(name: "${projects[1]}") { ${same} } }`, undefined, id);
  rows.push({ request: '1000 identical totals of one project', answer: kind(result), ms: result.ms, statements: await statementsOf(id) });
  const representations = projects.slice(0, 100).map(name => `{__typename: "Project", name: "${name}"}`).join(', ');
  id = `abuse-entities-${Date.now()}`;
  result = await graphQl(`{ _entities(representations: [${representations}]) { ... on Project { name summary ranking { rank } } } }`, undefined, id);
  rows.push({ request: '_entities: 100 projects, summary + ranking', answer: kind(result), ms: result.ms, statements: await statementsOf(id) });
  id = `abuse-overflow-${Date.now()}`;
  result = await graphQl(`{ x: project(name: "${projects[0]}") { versions(limit: 2147483647) { name } } y: project(name: "${projects[1]}") { totalDownloads } }`, undefined, id);
  rows.push({ request: 'one field over its limit beside a valid one', answer: kind(result), ms: result.ms, statements: await statementsOf(id) });
  return rows;
}

const SLOW = '{ trends { a: top(days: 366, limit: 5) { name } b: top(days: 365, ci: EXCLUDE, limit: 5) { name } c: top(days: 364, ci: ONLY, limit: 5) { name } } }';

async function timeouts() {
  const rows = [];
  for (let i = 0; i < TIMEOUTS; i++) {
    const id = `abuse-timeout-${Date.now()}`;
    const result = await graphQl(SLOW, undefined, id);
    const answeredAt = Date.now();
    await sleep(Math.max(0, 2000 - (Date.now() - answeredAt)));
    rows.push({ request: 'timed out', answer: kind(result), ms: result.ms, statements: await statementsOf(id), runningAfter2s: await runningOf(id) });
  }
  for (let i = 0; i < TIMEOUTS; i++) {
    const id = `abuse-gone-${Date.now()}`;
    const body = JSON.stringify({ query: SLOW });
    const socket = net.connect(PORT, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(`POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-Request-Id: ${id}\r\n`
      + `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const deadline = Date.now() + 5000;
    while (await runningOf(id) === 0 && Date.now() < deadline) await sleep(50);
    socket.destroy();
    const closedAt = Date.now();
    await sleep(2000 - (Date.now() - closedAt));
    rows.push({ request: 'client hung up while its statements ran', answer: '–', ms: NaN, statements: await statementsOf(id), runningAfter2s: await runningOf(id) });
  }
  return rows;
}

// ---------------------------------------------------------------- main

async function main() {
  if (options.help) {
    console.log(`usage: bench/abuse [--rows=N] [--duration=S] [--users=N] [--timeouts=N] [--data-dir=DIR] [--port=P] [--output=FILE]

  --rows       demo downloads of its own warehouse (default 1000000; generated on the first start, then reused)
  --duration   seconds of the load during which the engine is killed (at half time; default 40)
  --users      concurrent clients of that load (default 8)
  --timeouts   requests that time out, and clients that hang up (default 5 each)
  --output     the report's file; its "Faults and abuse" section is replaced (default BENCHMARKS.md)`);
    return;
  }
  if (!JAR) throw new Error('no jar in target/: run ./mvnw -DskipTests package');
  const report = { started: new Date().toISOString(), rows: ROWS, users: USERS, duration: LOAD_SECONDS };

  let gateway = await startGateway('load', []);
  const projects = (await clickHouse('SELECT project FROM pypi_downloads GROUP BY project ORDER BY sum(count) DESC LIMIT 200')).split('\n');
  report.dataBefore = await dataFigures();
  log(`load: ${USERS} users for ${LOAD_SECONDS} s, engine killed at half time`);
  report.load = await loadWithKill(projects);
  log('load:', JSON.stringify(report.load));
  report.amplification = await amplification(projects);
  report.amplification.forEach(row => log('amplification:', JSON.stringify(row)));
  report.dataAfterKill = await dataFigures();
  await stopGateway(gateway);

  gateway = await startGateway('timeouts', ['--pypi.api.request-timeout=2s', '--pypi.clickhouse.api.settings.max_execution_speed=20000',
    '--pypi.clickhouse.api.settings.timeout_before_checking_execution_speed=0', '--pypi.clickhouse.api.settings.max_block_size=1024']);
  report.timeouts = await timeouts();
  report.timeouts.forEach(row => log('timeouts:', JSON.stringify(row)));
  await stopGateway(gateway);
  gateway = await startGateway('after', []);
  report.dataAfter = await dataFigures();
  await stopGateway(gateway);
  write(report);
}

function write(report) {
  const l = report.load;
  const lines = [
    '## Faults and abuse',
    '',
    `\`bench/abuse --rows=${report.rows} --duration=${report.duration} --users=${report.users}\`, ${report.started.slice(0, 16).replace('T', ' ')} UTC, `
      + `${os.cpus().length} cores. Not a test: a run that shows what a killed engine, amplifying requests, timeouts and `
      + 'clients that hang up do to the gateway and the engine.',
    '',
    `**Load with the engine killed (SIGKILL) at half time**: ${l.requests} package pages with distinct date ranges (uncached), ${report.users} users.`,
    '',
    '| answers | count |',
    '|---|---:|',
    ...Object.entries(l.byKind).sort().map(([name, count]) => `| ${name} | ${count} |`),
    '',
    `HTTP 500: **${l.http500}** · engine down (kill → /ping answers): ${l.secondsEngineDown.toFixed(1)} s · first correct answer `
      + `${l.secondsToFirstOkAfterKill.toFixed(1)} s after the kill, **${l.secondsToFirstOkAfterPing.toFixed(1)} s after the engine was back** · `
      + `every UNAVAILABLE answer had Retry-After: ${l.retryAfter ? 'yes' : 'no'}`,
    '',
    '**Amplification** (statements from the engine\'s query log, by the request\'s id):',
    '',
    '| request | answer | ms | statements sent |',
    '|---|---|---:|---:|',
    ...report.amplification.map(r => `| ${r.request} | ${r.answer} | ${r.ms} | ${r.statements} |`),
    '',
    '**Timeouts and disconnects** (the gateway restarted with a 2 s request timeout and API statements throttled by ClickHouse to 20,000 rows/s, so that a year of all projects takes many seconds):',
    '',
    '| request | answer | statements sent | still running 2 s later |',
    '|---|---|---:|---:|',
    ...report.timeouts.map(r => `| ${r.request} | ${r.answer} | ${r.statements} | **${r.runningAfter2s}** |`),
    '',
    `**Data** (rows in pypi, downloads in pypi_downloads, in pypi_downloads_per_day): before ${report.dataBefore.replaceAll('\t', ' / ')}; `
      + `after the kill ${report.dataAfterKill.replaceAll('\t', ' / ')}; after two more starts of the gateway ${report.dataAfter.replaceAll('\t', ' / ')}.`,
    '',
  ];
  const section = lines.join('\n');
  console.log('\n' + section);
  writeSection(OUTPUT, '## Faults and abuse', section);
}

main().catch(error => { console.error(error); process.exit(1); });
