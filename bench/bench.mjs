// The gateway's benchmark: see BENCHMARKS.md and `bench/run --help`.
//
// One run: generate (or reuse) a data set, start the gateway on it, and measure a realistic mix of
// GraphQL operations (package pages and the landing page) at several concurrency levels
//   1. through the gateway, result cache off;
//   2. the same SQL straight to ClickHouse's HTTP interface (each operation's statements in parallel,
//      as the gateway sends them): the floor;
//   3. the same questions answered from the raw table (the planner told not to use aggregates), straight
//      to ClickHouse: what the planner saves;
//   4. through the gateway, result cache on;
//   and the most users again with admission on (pypi.api.admission): overload answered 503 + Retry-After;
// then a soak run (memory and errors over time), and write BENCHMARKS.md.
//
// Load generation: closed loop, N virtual users on keep-alive connections, each sending its next
// operation as soon as the previous one is answered; latency per operation from all samples
// (exact percentiles). The gateway rows are cross-checked with autocannon (a standard HTTP load
// generator) at the same concurrency.

import { spawnSync, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { log, parseOptions, request, sleep, startGateway as startProcess, stopGateway, writeSection } from './gateway.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const options = parseOptions({
  rows: { type: 'string', default: '50000000' },
  duration: { type: 'string', default: '20' },
  concurrency: { type: 'string', default: '1,8,32' },
  soak: { type: 'string', default: '600' },
  'warm-up': { type: 'string', default: '60' },
  'raw-operations': { type: 'string', default: '6' },
  port: { type: 'string', default: '18080' },
  'data-dir': { type: 'string' },
  output: { type: 'string' },
  curve: { type: 'string', default: '' },
  'curve-dir': { type: 'string' },
  only: { type: 'string', default: '' },
  jar: { type: 'string' },
}, 'bench/run');
const ROWS = Number(options.rows);
const DURATION = Number(options.duration);
const LEVELS = options.concurrency.split(',').map(Number);
const SOAK = Number(options.soak);
const WARM_UP = Number(options['warm-up']);
const RAW_OPERATIONS = Number(options['raw-operations']);
const PORT = Number(options.port);
const DATA_DIR = path.resolve(options['data-dir'] ?? path.join(os.homedir(), '.local/share/pypi-gateway', `bench-${ROWS}`));
// The scaling curve: its sizes (rows), each generated once into CURVE_DIR/bench-<rows> (the size of --rows uses --data-dir).
const CURVE = options.curve ? options.curve.split(',').map(Number) : [];
const CURVE_DIR = path.resolve(options['curve-dir'] ?? path.join(os.homedir(), '.local/share/pypi-gateway'));
if (CURVE.some(size => !Number.isInteger(size) || size < 1000) || !['', 'curve'].includes(options.only)) {
  console.error('bench/run: --curve takes sizes in rows (e.g. 5000000,50000000), --only takes curve (see bench/run --help)');
  process.exit(2);
}
// The warehouse the run talks to now (the curve moves it from size to size).
let current = DATA_DIR;
const OUTPUT = path.resolve(options.output ?? path.join(root, 'BENCHMARKS.md'));
const JAVA = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const LOG_DIR = path.join(root, 'target', 'bench');
fs.mkdirSync(LOG_DIR, { recursive: true });
// A copy of the jar, so a build during the run cannot change what the later phases start.
const BUILT = fs.readdirSync(path.join(root, 'target')).filter(f => /^pypi-analytics-gateway-.*\.jar$/.test(f) && !f.endsWith('-plain.jar'))
  .map(f => path.join(root, 'target', f))[0];
const JAR = (options.jar || BUILT) && path.join(LOG_DIR, 'gateway.jar');
if (options.jar || BUILT) fs.copyFileSync(options.jar ? path.resolve(options.jar) : BUILT, JAR);

// The gateway's metrics need the management token (README, "Running it in public"): a new one per run,
// given to the gateway as its SHA-256.
const MANAGEMENT_TOKEN = crypto.randomBytes(24).toString('hex');
const MANAGEMENT_TOKEN_SHA256 = crypto.createHash('sha256').update(MANAGEMENT_TOKEN).digest('hex');


// ---------------------------------------------------------------- data and gateway processes

function generateIfNeeded(dir = DATA_DIR, rows = ROWS) {
  const marker = path.join(dir, `.bench-generated-${rows}`);
  if (fs.existsSync(marker)) { log(`data: reusing ${dir} (${rows.toLocaleString('en')} rows)`); return null; }
  fs.mkdirSync(dir, { recursive: true });
  log(`data: generating ${rows.toLocaleString('en')} rows into ${dir} (minutes; progress below)`);
  const started = Date.now();
  execFileSync(JAVA, ['-jar', JAR, 'generate', `--rows=${rows}`, '--replace', `--pypi.embedded.data-dir=${dir}`],
    { stdio: 'inherit' });
  const seconds = (Date.now() - started) / 1000;
  fs.writeFileSync(marker, `${seconds}\n`);
  return seconds;
}

async function startGateway(name, extra) {
  return startProcess({ name, java: JAVA, jar: JAR, port: PORT, logFile: path.join(LOG_DIR, `gateway-${name}.log`),
    args: [`--pypi.embedded.data-dir=${current}`, '--pypi.demo.load-when-empty=NEVER', '--pypi.api.rate-limit.enabled=false',
      `--pypi.management.token-sha256=${MANAGEMENT_TOKEN_SHA256}`, ...extra] });
}


const engineUrl = () => fs.readFileSync(path.join(current, 'engine.url'), 'utf8').trim();

async function clickHouse(sql) {
  const response = await request(`${engineUrl()}/?database=pypi`, { body: sql });
  if (response.status !== 200) throw new Error(`ClickHouse: ${response.body}`);
  return response.body.trim();
}

// ---------------------------------------------------------------- the workload

const operationText = name => fs.readFileSync(path.join(root, 'graphql', 'operations', `${name}.graphql`), 'utf8');

async function graphQl(body, requestId, extraHeaders = {}) {
  const headers = { 'content-type': 'application/json', ...extraHeaders };
  if (requestId) headers['x-request-id'] = requestId;
  const response = await request(`http://127.0.0.1:${PORT}/graphql`, { headers, body: JSON.stringify(body) });
  const parsed = JSON.parse(response.body);
  if (response.status === 503 && parsed.errors?.[0]?.extensions?.classification === 'BUSY') {
    throw Object.assign(new Error('busy'), { busy: true, retryAfter: Number(response.headers['retry-after'] ?? 1) });
  }
  if (response.status !== 200 || parsed.errors) throw new Error(`GraphQL error: ${response.body.slice(0, 500)}`);
  return parsed;
}

// A realistic mix: package pages of popular and of ordinary projects (80 %), the landing page (20 %).
async function workload() {
  const top = (await graphQl({ query: '{ trends { top(days: 30, limit: 40) { name } } }' })).data.trends.top.map(p => p.name);
  const page = (await graphQl({ query: operationText('SearchProjects'), variables: { prefix: '', first: 100 } }))
    .data.projects.edges.map(edge => edge.node.name).filter(name => !top.includes(name)).slice(0, 40);
  const packagePage = operationText('PackagePage');
  const landingPage = operationText('LandingPage');
  const operations = [];
  [...top, ...page].forEach((name, i) => operations.push({
    name: 'PackagePage',
    body: { query: packagePage, operationName: 'PackagePage', variables: i % 3 === 0 ? { name, filter: { ci: 'EXCLUDE' } } : { name } },
  }));
  const landing = { name: 'LandingPage', body: { query: landingPage, operationName: 'LandingPage' } };
  const mix = [];
  operations.forEach((operation, i) => { mix.push(operation); if (i % 4 === 3) mix.push(landing); });
  return mix; // 80 package pages, 20 landing pages
}

// Runs each operation once through the gateway and collects the statements it sent to ClickHouse
// (the gateway logs them at DEBUG with their query ids = the request id + a sequence number).
async function captureStatements(gateway, mix, prefix) {
  const distinct = [...new Map(mix.map(op => [JSON.stringify(op.body), op])).values()];
  for (let i = 0; i < distinct.length; i++) await graphQl(distinct[i].body, `${prefix}${i}`);
  await sleep(500);
  const byRequest = new Map();
  for (const line of fs.readFileSync(gateway.logFile, 'utf8').split('\n')) {
    const at = line.indexOf(' statement {');
    if (at < 0) continue;
    const statement = JSON.parse(line.slice(at + ' statement '.length));
    const match = new RegExp(`^${prefix}(\\d+)-\\d+$`).exec(statement.id);
    if (!match) continue;
    const list = byRequest.get(Number(match[1])) ?? [];
    list.push(statement);
    byRequest.set(Number(match[1]), list);
  }
  return distinct.map((op, i) => ({ ...op, key: JSON.stringify(op.body), statements: byRequest.get(i) ?? [] }));
}

// ---------------------------------------------------------------- load generation

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))];
}

async function warmUp(name, mix, send) {
  if (WARM_UP <= 0) return;
  const result = await closedLoop(4, WARM_UP, mix, send);
  log(`warm-up of ${name}: ${result.operations} operations in ${WARM_UP} s, ${result.errors} errors`);
}

async function closedLoop(concurrency, seconds, mix, send) {
  const samples = [];
  let errors = 0;
  let busy = 0;
  let firstError = null;
  const warmUntil = Date.now() + Math.min(3000, seconds * 100);
  const endAt = warmUntil + seconds * 1000;
  let next = 0;
  async function user() {
    while (Date.now() < endAt) {
      const operation = mix[next++ % mix.length];
      const started = process.hrtime.bigint();
      try {
        await send(operation);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (Date.now() > warmUntil) samples.push(ms);
      } catch (error) {
        if (error.busy) {
          // Refused at once as busy (503): a well-behaved client waits as Retry-After says.
          if (Date.now() > warmUntil) busy++;
          await sleep(error.retryAfter * 1000);
          continue;
        }
        errors++;
        firstError ??= String(error.message ?? error).slice(0, 300);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, user));
  samples.sort((a, b) => a - b);
  return {
    concurrency, operations: samples.length, errors, busy, firstError,
    p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99),
    throughput: samples.length / seconds,
  };
}

const viaGateway = operation => graphQl(operation.body);

function directSender(captured) {
  const byKey = new Map(captured.map(op => [op.key, op.statements]));
  const url = engineUrl();
  return async operation => {
    const statements = byKey.get(JSON.stringify(operation.body));
    await Promise.all(statements.map(async statement => {
      const query = new URLSearchParams({ database: 'pypi' });
      for (const [name, value] of Object.entries(statement.settings)) query.set(name, String(value));
      for (const [name, value] of Object.entries(statement.params)) query.set(`param_${name}`, value);
      const response = await request(`${url}/?${query}`, { body: statement.query });
      if (response.status !== 200) throw new Error(`ClickHouse ${response.status}: ${response.body.slice(0, 300)}`);
    }));
  };
}

// The query plan of each operation (X-Query-Plan): per planned query, its field, table, rows read and
// ClickHouse's own time. Each operation runs twice; the second (warm) plan is kept.
async function plans(ops) {
  const out = [];
  for (const op of ops) {
    let entries = [];
    for (let i = 0; i < 2; i++) {
      const response = await request(`http://127.0.0.1:${PORT}/graphql`,
        { headers: { 'content-type': 'application/json', 'x-query-plan': 'true' }, body: JSON.stringify(op.body) });
      entries = JSON.parse(response.body).extensions?.queryPlan ?? [];
    }
    out.push({ key: JSON.stringify(op.body), entries });
  }
  return out;
}

// Routed vs raw per field: the planned queries of each operation summed per field, routed and raw. A statement two
// fields ask is sent once and listed under both, `shared` on the one that reused it: counted once, where it ran.
function perField(routedPlans, rawPlans) {
  const fields = new Map();
  const label = field => field === '' ? '(trends lists of the landing page)' : field.replace(/^\/project\//, '');
  const entry = name => fields.get(name) ?? fields.set(name, { field: name, tables: new Set(), rows: 0, rawRows: 0, ms: 0, rawMs: 0, queries: 0 }).get(name);
  for (const routed of routedPlans) {
    const raw = rawPlans.find(p => p.key === routed.key);
    if (!raw) continue;
    for (const e of routed.entries.filter(e => !e.shared)) {
      const f = entry(label(e.field));
      f.tables.add(e.table); f.rows += e.rowsRead; f.ms += e.clickHouseMilliseconds; f.queries++;
    }
    for (const e of raw.entries.filter(e => !e.shared)) {
      const f = entry(label(e.field));
      f.rawRows += e.rowsRead; f.rawMs += e.clickHouseMilliseconds;
    }
  }
  return [...fields.values()].filter(f => f.queries > 0).map(f => ({ ...f, tables: [...f.tables].join(', ') }));
}

// ClickHouse's own account of each operation's statements (rows read, its elapsed time), each statement
// run alone, the median of three runs: the queries' cost without HTTP or scheduling overhead.
// ClickHouse's own time (median of 21) for the least a statement costs on this engine: SELECT 1, and a
// lookup of one project's total in the table the planner chose for it (one granule).
async function engineFloor(routedPlans, ops) {
  const median = async sql => {
    const times = [];
    for (let i = 0; i < 21; i++) {
      const response = await request(`${engineUrl()}/?database=pypi`, { body: `${sql} FORMAT JSON` });
      if (response.status !== 200) throw new Error(`ClickHouse ${response.status}: ${response.body.slice(0, 300)}`);
      times.push(JSON.parse(response.body).statistics.elapsed * 1000);
    }
    return percentile(times.sort((a, b) => a - b), 50);
  };
  const page = ops.find(op => op.name === 'PackagePage');
  const plan = routedPlans.find(p => p.key === JSON.stringify(page.body));
  const table = plan.entries.find(entry => entry.field.startsWith('Project.totalDownloads'))?.table ?? 'pypi_downloads';
  const project = page.body.variables.name.replace(/'/g, '');
  return {
    select1: await median('SELECT 1'),
    lookup: await median(`SELECT sum(count) AS n FROM ${table} WHERE project = '${project}'`),
    lookupTable: table, project,
    rawCount: await median(`SELECT count() AS n FROM pypi WHERE project = '${project}'`),
  };
}

async function statementCost(captured) {
  const url = engineUrl();
  const costs = [];
  for (const op of captured) {
    const runs = [];
    for (let i = 0; i < 3; i++) {
      let rows = 0, ms = 0;
      for (const statement of op.statements) {
        const query = new URLSearchParams({ database: 'pypi' });
        for (const [name, value] of Object.entries(statement.settings)) query.set(name, String(value));
        for (const [name, value] of Object.entries(statement.params)) query.set(`param_${name}`, value);
        const response = await request(`${url}/?${query}`, { body: statement.query });
        if (response.status !== 200) throw new Error(`ClickHouse ${response.status}: ${response.body.slice(0, 300)}`);
        const statistics = JSON.parse(response.body).statistics ?? {};
        rows += statistics.rows_read ?? 0;
        ms += (statistics.elapsed ?? 0) * 1000;
      }
      runs.push({ rows, ms });
    }
    runs.sort((a, b) => a.ms - b.ms);
    const project = op.body.variables?.name;
    costs.push({ name: op.name + (project ? ` ${project}` : ''), statements: op.statements.length, ...runs[1] });
  }
  return costs;
}

async function autocannon(concurrency, seconds, mix) {
  const require = createRequire(path.join(root, 'bench', 'node_modules', 'x.js'));
  const run = require('autocannon');
  const result = await run({
    url: `http://127.0.0.1:${PORT}/graphql`, connections: concurrency, duration: seconds, timeout: 120,
    requests: mix.map(op => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify(op.body) })),
  });
  return {
    concurrency, requests: result.requests.total, non2xx: result.non2xx, errors: result.errors,
    p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, throughput: result.requests.average,
  };
}

// ---------------------------------------------------------------- server-side figures

async function metrics() {
  const response = await request(`http://127.0.0.1:${PORT}/actuator/prometheus`,
    { method: 'GET', headers: { authorization: `Bearer ${MANAGEMENT_TOKEN}` } });
  if (response.status !== 200) throw new Error(`metrics: HTTP ${response.status}`);
  return response.body;
}

function metric(text, name, labels = {}) {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(' ').pop());
  }
  return NaN;
}

function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

async function soak(gateway, mix, seconds, concurrency) {
  const samples = [];
  const started = Date.now();
  const sampler = (async () => {
    while (Date.now() - started < seconds * 1000) {
      const text = await metrics();
      samples.push({
        t: Math.round((Date.now() - started) / 1000),
        heapMiB: sumMetric(text, 'jvm_memory_used_bytes', { area: 'heap' }) / 1048576,
        liveMiB: metric(text, 'jvm_gc_live_data_size_bytes') / 1048576,
        rssMiB: rssMiB(gateway.child.pid),
      });
      await sleep(Math.min(30_000, seconds * 1000 / 10));
    }
  })();
  const load = await closedLoop(concurrency, seconds, mix, viaGateway);
  await sampler;
  return { load, samples };
}

function sumMetric(text, name, labels) {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(name + '{') && Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.split(' ').pop());
  }
  return sum;
}

// ---------------------------------------------------------------- report

const fmt = (value, digits = 1) => Number.isFinite(value) ? value.toFixed(digits) : '–';
const number = value => Number(value).toLocaleString('en');

function machine() {
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? os.arch();
  const java = spawnSync(JAVA, ['-version'], { encoding: 'utf8' }).stderr.trim();
  return { cpu, cores: os.cpus().length, memGiB: os.totalmem() / 2 ** 30, os: `${os.type()} ${os.release()}`, node: process.version, java };
}


// ---------------------------------------------------------------- the scaling curve

const NO_ADMISSION = '--pypi.api.admission.max-concurrent=0';
const UNCACHED = [NO_ADMISSION, '--pypi.api.cache.enabled=false', '--logging.level.dev.pypianalytics.api.RequestLog=WARN'];
const STATEMENT_LOG = '--logging.level.dev.pypianalytics.clickhouse.HttpClickHouse=DEBUG';

/** CPU seconds used so far by a process (user + system, from /proc). */
function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The embedded engine's process: the gateway's child (started by any of its threads). */
function enginePid(gatewayPid) {
  const children = fs.readdirSync(`/proc/${gatewayPid}/task`)
    .flatMap(task => fs.readFileSync(`/proc/${gatewayPid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean));
  return children.length ? Number(children[0]) : null;
}

/** A closed-loop row with the CPU the gateway and the engine spent on it, per answered operation (ms). */
async function measuredRow(gateway, concurrency, mix, send) {
  const pids = [gateway.child.pid, enginePid(gateway.child.pid)];
  const before = pids.map(pid => pid ? cpuSeconds(pid) : NaN);
  const result = await closedLoop(concurrency, DURATION, mix, send);
  const after = pids.map(pid => pid ? cpuSeconds(pid) : NaN);
  // The loop's first seconds are a ramp whose operations are not counted: CPU over the whole loop per counted
  // operation would overstate it, so scale by the measured share of the loop.
  const share = DURATION / (DURATION + Math.min(3, DURATION * 0.1));
  return { ...result, gatewayCpuMs: 1000 * (after[0] - before[0]) * share / result.operations,
    engineCpuMs: 1000 * (after[1] - before[1]) * share / result.operations };
}

/** Least squares p = a + b·rows over the curve's points. */
function fit(points) {
  const n = points.length;
  const mx = points.reduce((t, p) => t + p.x, 0) / n;
  const my = points.reduce((t, p) => t + p.y, 0) / n;
  const sxx = points.reduce((t, p) => t + (p.x - mx) ** 2, 0);
  const b = sxx === 0 ? 0 : points.reduce((t, p) => t + (p.x - mx) * (p.y - my), 0) / sxx;
  return { a: my - b * mx, b };
}

/**
 * Per size of the curve: package pages only (uncached, no admission), through the gateway and straight to
 * ClickHouse at c = 1 and 8 with the CPU each process spent per page; the raw table's answer to the same
 * questions for a few pages; rows read per page. Each size's warehouse is generated once and reused.
 */
async function curve() {
  const points = [];
  for (const size of CURVE) {
    current = size === ROWS ? DATA_DIR : path.join(CURVE_DIR, `bench-${size}`);
    const generated = generateIfNeeded(current, size);
    let gateway = await startGateway(`curve-${size}-capture`, [...UNCACHED, STATEMENT_LOG]);
    const pages = (await workload()).filter(op => op.name === 'PackagePage');
    const routed = await captureStatements(gateway, pages, `curve${size}x`);
    await stopGateway(gateway);

    gateway = await startGateway(`curve-${size}`, UNCACHED);
    await warmUp(`gateway at ${size} rows`, pages, viaGateway);
    const point = { size, generated, statements: sum(routed, op => op.statements.length) / routed.length, rows: {} };
    for (const level of [1, 8]) point[`gateway${level}`] = await measuredRow(gateway, level, pages, viaGateway);
    await warmUp(`ClickHouse direct at ${size} rows`, pages, directSender(routed));
    for (const level of [1, 8]) point[`direct${level}`] = await measuredRow(gateway, level, pages, directSender(routed));
    await stopGateway(gateway);
    log(`curve ${size}:`, JSON.stringify(point));

    // The raw table: the same questions for a few pages (the most and the least downloaded of the mix).
    const few = [...pages.slice(0, Math.ceil((RAW_OPERATIONS - 1) / 2)), ...pages.slice(pages.length - Math.floor((RAW_OPERATIONS - 1) / 2))];
    gateway = await startGateway(`curve-${size}-raw`, [...UNCACHED, '--pypi.api.use-aggregates=false', '--pypi.api.request-timeout=600s',
      '--pypi.clickhouse.query-timeout=600s', STATEMENT_LOG]);
    const raw = await captureStatements(gateway, few, `curve${size}raw`);
    const same = routed.filter(op => raw.some(r => r.key === op.key));
    point.raw = await closedLoop(1, DURATION, few, directSender(raw));
    point.routed = await closedLoop(1, DURATION, few, directSender(same));
    const rawCost = await statementCost(raw);
    const routedCost = await statementCost(same);
    point.rows = { raw: sum(rawCost, c => c.rows) / rawCost.length, routed: sum(routedCost, c => c.rows) / routedCost.length,
      perPage: rawCost.map(c => ({ name: c.name, raw: c.rows, routed: routedCost.find(r => r.name === c.name).rows })) };
    await stopGateway(gateway);
    log(`curve ${size} raw:`, JSON.stringify({ raw: point.raw.p50, routed: point.routed.p50, rows: point.rows }));
    points.push(point);
  }
  current = DATA_DIR;
  return points;
}

const CLICKPY_ROWS = 670e9;

function curveSection(points) {
  const rows = points.map(p => `| ${number(p.size)} | ${fmt(p.statements)} | ${number(Math.round(p.rows.routed))} | ${number(Math.round(p.rows.raw))} | ${fmt(p.rows.raw / p.rows.routed)} | ${fmt(p.routed.p50)} | ${fmt(p.raw.p50)} | ${fmt(p.raw.p50 / p.routed.p50)} |`);
  const pace = points.map(p => `| ${number(p.size)} | ${fmt(p.gateway1.throughput)} | ${fmt(p.gateway8.throughput)} | ${fmt(p.direct1.throughput)} | ${fmt(p.direct8.throughput)} | ${fmt(p.gateway1.p50)} / ${fmt(p.direct1.p50)} = ${fmt(p.gateway1.p50 / p.direct1.p50, 2)}× | ${fmt(p.gateway8.p50)} / ${fmt(p.direct8.p50)} = ${fmt(p.gateway8.p50 / p.direct8.p50, 2)}× | ${fmt(p.gateway8.gatewayCpuMs)} / ${fmt(p.gateway8.engineCpuMs)} | ${fmt(p.direct8.engineCpuMs)} | ${p.gateway1.errors + p.gateway8.errors + p.direct1.errors + p.direct8.errors} |`);
  const least = points.reduce((a, b) => (a.size < b.size ? a : b));
  const most = points.reduce((a, b) => (a.size > b.size ? a : b));
  const routedFit = fit(points.map(p => ({ x: p.size, y: p.routed.p50 })));
  const rawFit = fit(points.map(p => ({ x: p.size, y: p.raw.p50 })));
  const routedAt = routedFit.a + Math.max(0, routedFit.b) * CLICKPY_ROWS;
  const rawAt = rawFit.a + rawFit.b * CLICKPY_ROWS;
  const perPage = points.map(p => `| ${number(p.size)} | ${p.rows.perPage.map(x => `${x.name.replace('PackagePage ', '')} ${number(x.routed)} / ${number(x.raw)} (${fmt(x.raw / x.routed)}×)`).join('; ')} |`);
  return `## Cost as the data grows

\`bench/run ${process.argv.slice(2).join(' ')}\` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC): package pages only
(\`PackagePage.graphql\`, the 80 of the mix above), answer and statement caches off, admission off; each size's
warehouse generated once (\`generate --rows N\`) and reused. The reference data (releases, first/last days, what ranks
are counted among; \`pypi.api.reference-cache\`) is kept per data version, as in production, even with the caches off.

Routed vs raw, a few pages one at a time straight to ClickHouse (${RAW_OPERATIONS - 1} pages: the most and the least downloaded of
the mix); rows read per page are ClickHouse's own figures for the page's statements, each run alone:

| rows | statements / page | rows read / page, routed | rows read / page, raw | rows × | routed p50 ms | raw p50 ms | time × |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Rows read per page (routed / raw), by page:

| rows | pages |
|---|---|
${perPage.join('\n')}

From ${number(least.size)} to ${number(most.size)} rows (${fmt(most.size / least.size)}× the data) the routed page's p50 went
${fmt(least.routed.p50)} → ${fmt(most.routed.p50)} ms (**${fmt(most.routed.p50 / least.routed.p50, 2)}×**, target ≤ 1.5×), the raw one
${fmt(least.raw.p50)} → ${fmt(most.raw.p50)} ms (${fmt(most.raw.p50 / least.raw.p50, 2)}×).

**Extrapolation** (not a measurement, and from ${points.length} sizes only): on a straight line through the measured
p50s (least squares), the raw page (it scans a project's rows, which grow with the data; ${fmt(rawFit.a)} ms + ${fmt(rawFit.b * 1e9, 1)} ms per
billion rows) takes ~${fmt(rawAt / 1000)} s at ClickPy's 670 billion rows. The routed page reads a project's aggregate rows, which
are bounded by its days, versions, countries and the like rather than by its downloads (${number(Math.round(least.rows.routed))} → ${number(Math.round(most.rows.routed))} rows read per
page here for ${fmt(most.size / least.size)}× the data): taken as flat at its largest measured p50 (${fmt(most.routed.p50)} ms), raw ÷ routed is
**~${fmt(rawAt / most.routed.p50, 0)}×**. Were its measured slope (${fmt(routedFit.b * 1e9, 3)} ms per billion rows${routedFit.b < 0 ? ', falling: taken as flat' : ''}, between two noisy p50s) to go on
in a straight line instead, it would take ~${fmt(routedAt / 1000)} s and the ratio be ~${fmt(rawAt / routedAt, 0)}×: a pessimistic bound, not an
expectation. On this 2-core machine; a real cluster's cores and caches change both lines.

Uncached package pages per second (closed loop, ${DURATION} s per row), p50 gateway over direct, and the CPU each process spent
per page at c = 8 (ms; the engine's with the same SQL sent direct for comparison):

| rows | gateway c = 1 pages/s | gateway c = 8 pages/s | direct c = 1 pages/s | direct c = 8 pages/s | p50 gateway / direct, c = 1 | p50 gateway / direct, c = 8 | CPU gateway / engine, via gateway | engine CPU, direct | errors |
|---|---|---|---|---|---|---|---|---|---|
${pace.join('\n')}
`;
}

async function main() {
  if (!JAR) throw new Error('no gateway jar in target/: run ./mvnw -DskipTests package first (bench/run does)');
  if (options.only === 'curve') {
    const section = curveSection(await curve());
    writeSection(OUTPUT, '## Cost as the data grows', section);
    console.log('\n' + section);
    return;
  }
  const generatedSeconds = generateIfNeeded();
  const report = { rows: ROWS, duration: DURATION, levels: LEVELS, rows_read: {}, phases: [] };

  // 1. Gateway, cache off; capture the statements of each operation for the direct runs.
  // The comparison rows measure the gateway against ClickHouse direct, both without admission (pypi.api.admission);
  // the overload row below measures it with its defaults.
  let gateway = await startGateway('capture', [NO_ADMISSION, '--pypi.api.cache.enabled=false', '--logging.level.dev.pypianalytics.api.RequestLog=WARN',
    '--logging.level.dev.pypianalytics.clickhouse.HttpClickHouse=DEBUG']);
  report.clickHouseVersion = await clickHouse('SELECT version()');
  const mix = await workload();
  // Package pages of the most and of less downloaded projects (the mix lists the top ones first), and the landing page.
  const pages = mix.filter(op => op.name === 'PackagePage');
  const rawMix = [...pages.slice(0, Math.ceil((RAW_OPERATIONS - 1) / 2)), ...pages.slice(pages.length - Math.floor((RAW_OPERATIONS - 1) / 2)),
    mix.find(op => op.name === 'LandingPage')];
  const routed = await captureStatements(gateway, mix, 'benchcap');
  const routedPlans = await plans(rawMix);
  const usedTables = [...new Set(['pypi', ...routedPlans.flatMap(plan => plan.entries.map(entry => entry.table))])];
  report.tables = await clickHouse(`SELECT table, sum(rows) AS rows, count() AS parts, formatReadableSize(sum(bytes_on_disk)) AS size
      FROM system.parts WHERE database = 'pypi' AND active AND table IN (${usedTables.map(t => `'${t.replace(/'/g, '')}'`).join(', ')})
      GROUP BY table ORDER BY rows DESC FORMAT TSV`);
  report.floor = await engineFloor(routedPlans, rawMix);
  const statementsPerOp = Object.fromEntries(['PackagePage', 'LandingPage'].map(name =>
    [name, routed.find(op => op.name === name).statements.length]));
  log('statements per operation:', JSON.stringify(statementsPerOp));
  // Measure on a gateway that does not log every statement (the capture above needed it).
  await stopGateway(gateway);
  gateway = await startGateway('cache-off', [NO_ADMISSION, '--pypi.api.cache.enabled=false', '--logging.level.dev.pypianalytics.api.RequestLog=WARN']);
  // A freshly started JVM runs interpreted and JIT-compiles as it goes; a served gateway is warm.
  // Warm it (and ClickHouse's caches) with the mix before measuring; the direct runs get the same.
  await warmUp('gateway, cache off', mix, viaGateway);
  for (const level of LEVELS) {
    const result = await closedLoop(level, DURATION, mix, viaGateway);
    log('gateway, cache off', JSON.stringify(result));
    report.phases.push({ phase: 'gateway, cache off', ...result });
  }
  await warmUp('ClickHouse direct', mix, directSender(routed));
  for (const level of LEVELS) {
    const result = await closedLoop(level, DURATION, mix, directSender(routed));
    log('ClickHouse direct, same SQL', JSON.stringify(result));
    report.phases.push({ phase: 'ClickHouse direct, same SQL', ...result });
  }
  report.autocannonOff = [];
  if (fs.existsSync(path.join(root, 'bench', 'node_modules', 'autocannon'))) {
    for (const level of LEVELS) report.autocannonOff.push(await autocannon(level, DURATION, mix));
  }
  report.soakOff = await soak(gateway, mix, SOAK, 8);
  log('soak', JSON.stringify(report.soakOff.load));
  await stopGateway(gateway);

  // 1b. Overload: the most users of the rows above on a gateway with admission at its defaults (cache off).
  gateway = await startGateway('overload', ['--pypi.api.cache.enabled=false', '--logging.level.dev.pypianalytics.api.RequestLog=WARN']);
  await warmUp('gateway, admission on', mix, viaGateway);
  for (const level of [Math.max(...LEVELS)]) {
    const result = await closedLoop(level, DURATION, mix, viaGateway);
    log('gateway, cache off, admission on', JSON.stringify(result));
    report.phases.push({ phase: 'gateway, cache off, admission on (defaults)', ...result });
  }
  await stopGateway(gateway);

  // 2. The raw table: the same questions with the planner told not to use aggregates.
  gateway = await startGateway('raw', [NO_ADMISSION, '--pypi.api.cache.enabled=false', '--pypi.api.use-aggregates=false',
    '--logging.level.dev.pypianalytics.api.RequestLog=WARN',
    '--pypi.api.request-timeout=600s', '--pypi.clickhouse.query-timeout=600s',
    '--logging.level.dev.pypianalytics.clickhouse.HttpClickHouse=DEBUG']);
  const raw = await captureStatements(gateway, rawMix, 'benchraw');
  const rawPlans = await plans(rawMix);
  const sameQuestions = routed.filter(op => raw.some(r => r.key === op.key));
  const rawRun = await closedLoop(1, Math.max(DURATION, 30), rawMix, directSender(raw));
  const routedRun = await closedLoop(1, DURATION, rawMix, directSender(sameQuestions));
  const rawCost = await statementCost(raw);
  const routedCost = await statementCost(sameQuestions);
  report.raw = { raw: rawRun, routed: routedRun, operations: rawMix.length,
    costs: rawCost.map(r => ({ ...r, routed: routedCost.find(c => c.name === r.name) })), fields: perField(routedPlans, rawPlans) };
  log('raw', JSON.stringify(rawRun), 'routed', JSON.stringify(routedRun));
  await stopGateway(gateway);

  // 3. Gateway, cache on (warmed: every operation answered once first).
  // RequestLog's line per request gives each request's server time (interceptor chain in to answer out).
  gateway = await startGateway('cache-on', []);
  for (const op of routed) await graphQl(op.body);
  const before = await metrics();
  const logStart = fs.statSync(gateway.logFile).size;
  for (const level of LEVELS) {
    const result = await closedLoop(level, DURATION, mix, viaGateway);
    log('gateway, cache on', JSON.stringify(result));
    report.phases.push({ phase: 'gateway, cache on', ...result });
  }
  const after = await metrics();
  const delta = (cache, result) => metric(after, 'cache_gets_total', { cache, result }) - metric(before, 'cache_gets_total', { cache, result });
  report.cacheHits = delta('responses', 'hit');
  report.cacheMisses = delta('responses', 'miss');
  report.statementHits = delta('statements', 'hit');
  report.statementMisses = delta('statements', 'miss');
  const serverMs = { PackagePage: [], LandingPage: [] };
  const measured = fs.readFileSync(gateway.logFile).subarray(logStart).toString('utf8');
  for (const match of measured.matchAll(/graphql request id=\S+ operation=(\w+) outcome=ok errors=0 ms=([0-9.]+)/g)) {
    serverMs[match[1]]?.push(Number(match[2]));
  }
  report.serverTime = Object.fromEntries(Object.entries(serverMs).map(([name, list]) => {
    list.sort((a, b) => a - b);
    return [name, { count: list.length, p50: percentile(list, 50), p99: percentile(list, 99) }];
  }));
  await stopGateway(gateway);

  report.curve = CURVE.length ? await curve() : null;
  write(report, generatedSeconds, statementsPerOp);
  log(`wrote ${OUTPUT}`);
}

const sum = (list, value) => list.reduce((total, item) => total + value(item), 0);

function write(report, generatedSeconds, statementsPerOp) {
  const m = machine();
  const rows = report.phases.map(p => `| ${p.phase} | ${p.concurrency} | ${p.operations} | ${p.errors} | ${p.busy} | ${fmt(p.p50)} | ${fmt(p.p95)} | ${fmt(p.p99)} | ${fmt(p.throughput)} |`);
  const at = (phase, level) => report.phases.find(p => p.phase === phase && p.concurrency === level);
  const ratios = report.levels.map(level => `| ${level} | ${fmt(at('gateway, cache off', level).p50 / at('ClickHouse direct, same SQL', level).p50, 2)}× |`);
  const rawRatio = report.raw.raw.p50 / report.raw.routed.p50;
  const soakSamples = report.soakOff.samples.map(s => `| ${s.t} | ${fmt(s.heapMiB)} | ${fmt(s.liveMiB)} | ${fmt(s.rssMiB)} |`);
  const ac = report.autocannonOff.map(a => `| ${a.concurrency} | ${a.requests} | ${a.non2xx} | ${a.errors} | ${a.p50} | ${a.p90} | ${a.p99} | ${fmt(a.throughput)} |`);
  const text = `# Benchmarks

Written by \`bench/run\` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC). Re-run it to refresh this file;
options in \`bench/run --help\`. Command of this run: \`bench/run ${process.argv.slice(2).join(' ')}\`.

## Machine

- CPU: ${m.cpu}, ${m.cores} cores; memory ${fmt(m.memGiB)} GiB; ${m.os}
- ${m.java.split('\n')[0]}; Node ${m.node}; ClickHouse ${report.clickHouseVersion} (embedded engine); gateway heap -Xmx1g
- Load generator, gateway and ClickHouse share these cores.

## Data

${report.rows.toLocaleString('en')} generated downloads (\`generate --rows ${report.rows}\`${generatedSeconds ? `, ${fmt(generatedSeconds / 60)} min` : ', generated by an earlier run'}):

Tables of the comparison below (\`pypi\` and every table the planner chose for its operations):

| table | rows | parts | on disk |
|---|---|---|---|
${report.tables.split('\n').map(line => `| ${line.split('\t').join(' | ')} |`).join('\n')}

## Workload

A mix of 100 operations, sent round-robin: 80 package pages (\`graphql/operations/PackagePage.graphql\`,
${statementsPerOp.PackagePage} ClickHouse statements each; 40 of the most downloaded projects and 40 others, a third
with CI downloads excluded) and 20 landing pages (\`LandingPage.graphql\`, ${statementsPerOp.LandingPage} statements).
Closed loop: *c* virtual users on keep-alive connections, each sending its next operation when the last
is answered, ${report.duration} s per row after a 3-second ramp. Before the uncached gateway rows the mix runs
for ${WARM_UP} s at 4 users (a just-started JVM runs interpreted until it has compiled the hot code), and so it
does before the direct rows. Latency is per operation, in milliseconds.

- **gateway**: \`POST /graphql\`, rate limit off.
- **ClickHouse direct, same SQL**: the statements the gateway sent for that operation (captured from its
  DEBUG statement log: text, parameters, settings), sent straight to ClickHouse's HTTP interface, all of
  an operation's statements in parallel as the gateway sends them. The floor.

## Results

| run | c | operations | errors | busy (503) | p50 | p95 | p99 | operations/s |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

*operations* and the latencies count answered operations only; *busy* counts refusals (\`503\`, classification
\`BUSY\`), after each of which that user waits as \`Retry-After\` says. The comparison rows run without admission
(\`pypi.api.admission.max-concurrent=0\`); the *admission on* row runs with its defaults (8 running, 8 waiting ≤ 1 s),
whose p99 is to stay near the uncached c = 8 row's rather than grow with the queue.

Uncached gateway p50 over direct ClickHouse p50 (target ≤ 1.2×):

| c | gateway ÷ direct |
|---|---|
${ratios.join('\n')}

Cache on (warmed: every operation of the mix answered once before measuring): whole answers ${report.cacheHits}
hits, ${report.cacheMisses} misses; statements ${report.statementHits} hits, ${report.statementMisses} misses while measuring. Server time of the cached operations (from the gateway's
request log: GraphQL request in to answer ready, all concurrency levels; target < 1 ms):
${Object.entries(report.serverTime).map(([name, t]) => `${name} (${t.count}) p50 ${fmt(t.p50, 3)} ms, p99 ${fmt(t.p99, 3)} ms`).join('; ')}.

${ac.length ? `Cross-check with autocannon (same mix as raw HTTP requests, cache off; its percentiles are p50/p90/p99):

| c | requests | non-2xx | errors | p50 | p90 | p99 | requests/s |
|---|---|---|---|---|---|---|---|
${ac.join('\n')}
` : 'autocannon not installed (bench/run installs it from the npm registry); no cross-check in this run.\n'}
## What the planner saves

${report.raw.operations} operations of the mix (${report.raw.operations - 1} package pages, 1 landing page), one at a time, straight to
ClickHouse: the statements of the planner's choice vs the same questions with every planned statement on
the raw \`pypi\` table (\`pypi.api.use-aggregates=false\`; the few fixed-table statements are the same in both).

| statements | operations | p50 | p95 | operations/s |
|---|---|---|---|---|
| raw table | ${report.raw.raw.operations} | ${fmt(report.raw.raw.p50)} | ${fmt(report.raw.raw.p95)} | ${fmt(report.raw.raw.throughput, 2)} |
| planner's tables | ${report.raw.routed.operations} | ${fmt(report.raw.routed.p50)} | ${fmt(report.raw.routed.p95)} | ${fmt(report.raw.routed.throughput, 2)} |

Routed is **${fmt(rawRatio)}×** faster at p50, end to end (target ≥ 50× at 50 M rows).

What ClickHouse itself reports for each operation's statements (run one at a time, median of three;
rows read and ClickHouse's own elapsed time, summed over the operation's statements):

| operation | statements | rows read, raw | rows read, routed | ClickHouse ms, raw | ClickHouse ms, routed | rows × | time × |
|---|---|---|---|---|---|---|---|
${report.raw.costs.map(c => `| ${c.name} | ${c.statements} | ${number(c.rows)} | ${number(c.routed.rows)} | ${fmt(c.ms)} | ${fmt(c.routed.ms)} | ${fmt(c.rows / Math.max(1, c.routed.rows))} | ${fmt(c.ms / Math.max(0.001, c.routed.ms))} |`).join('\n')}
| all of them | ${sum(report.raw.costs, c => c.statements)} | ${number(sum(report.raw.costs, c => c.rows))} | ${number(sum(report.raw.costs, c => c.routed.rows))} | ${fmt(sum(report.raw.costs, c => c.ms))} | ${fmt(sum(report.raw.costs, c => c.routed.ms))} | ${fmt(sum(report.raw.costs, c => c.rows) / Math.max(1, sum(report.raw.costs, c => c.routed.rows)))} | ${fmt(sum(report.raw.costs, c => c.ms) / Math.max(0.001, sum(report.raw.costs, c => c.routed.ms)))} |

Per field: the planner's queries of those operations (from their query plans, \`X-Query-Plan: true\`,
second run of each), routed vs raw, summed over the operations:

| field | queries | routed table | rows read, routed | rows read, raw | rows × | ClickHouse ms, routed | ClickHouse ms, raw | time × |
|---|---|---|---|---|---|---|---|---|
${report.raw.fields.map(f => `| ${f.field} | ${f.queries} | ${f.tables} | ${number(f.rows)} | ${number(f.rawRows)} | ${fmt(f.rawRows / Math.max(1, f.rows))} | ${fmt(f.ms)} | ${fmt(f.rawMs)} | ${fmt(f.rawMs / Math.max(0.001, f.ms))} |`).join('\n')}

(A query plan's times are taken while the operation's other fields run beside it, so they include waiting
for the two cores; the table above runs each statement alone.)

The floor of a statement on this engine (ClickHouse's own time, median of 21 runs): \`SELECT 1\`
${fmt(report.floor.select1, 2)} ms; ${report.floor.project}'s total from \`${report.floor.lookupTable}\` (the planner's table for it)
${fmt(report.floor.lookup, 2)} ms; the same total from \`pypi\` ${fmt(report.floor.rawCount, 2)} ms. A statement that reads a table costs about
that lookup at least here, so at this size one statement on an aggregate can be at most about
${fmt(report.floor.rawCount / report.floor.lookup)}× faster than on the raw table for this project (more for heavier questions such
as breakdowns, less for smaller projects); the ratio of rows read has no such floor.

## Soak

${fmt(report.soakOff.load.operations / 1)} operations over ${SOAK} s through the gateway (cache off, c = 8),
${report.soakOff.load.errors} errors${report.soakOff.load.firstError ? ` (first: ${report.soakOff.load.firstError})` : ''}; p50 ${fmt(report.soakOff.load.p50)} ms, p99 ${fmt(report.soakOff.load.p99)} ms.
Memory of the gateway process (heap used, live data after the last collection, resident set):

| s | heap used MiB | live after GC MiB | RSS MiB |
|---|---|---|---|
${soakSamples.join('\n')}
`;
  // Sections this run does not write (bench/abuse's faults and abuse, bench/follow's, the command line's start-up
  // measured by hand, and any other) are carried over as they are, in their order; so is the curve's without --curve.
  const own = ['## Machine', '## Data', '## Workload', '## Results', '## What the planner saves', '## Soak',
    ...(report.curve ? ['## Cost as the data grows'] : [])];
  const previous = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, 'utf8') : '';
  const kept = previous.split(/\n(?=## )/).slice(1).map(section => section.trimEnd())
    .filter(section => !own.some(heading => section.startsWith(heading + '\n') || section === heading));
  const all = report.curve ? `${text.trimEnd()}\n\n${curveSection(report.curve)}` : text;
  fs.writeFileSync(OUTPUT, kept.length ? [all.trimEnd(), ...kept].join('\n\n') + '\n' : all);
  console.log('\n' + text);
}

main().catch(error => { console.error(`bench: ${error.message}`); process.exit(1); });
