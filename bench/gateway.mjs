// What the benchmark and the fault-and-abuse run share: HTTP requests, and a gateway started from the
// built jar as a process of its own (on its own data directory and port) and stopped again.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

export const log = (...parts) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...parts);
export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * The command line's options (node:util parseArgs): `--name=value` or `--name value`, each default in `options`;
 * an unknown option, a positional argument or a missing value is an error: the message, and exit code 2.
 */
export function parseOptions(options, command) {
  try {
    return parseArgs({ args: process.argv.slice(2), options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    console.error(`${command}: ${error.message} (see ${command} --help)`);
    process.exit(2);
  }
}

/**
 * Puts `section` (starting with `heading`) into the report `file`: in place of the section with that heading (up to
 * the next `## `), or at the end when there is none. Logs where it wrote.
 */
export function writeSection(file, heading, section) {
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const start = existing.indexOf(heading);
  const rest = start < 0 ? -1 : existing.slice(start + 1).search(/\n## /);
  const updated = start < 0 ? (existing.trim() ? existing.trimEnd() + '\n\n' : '') + section
    : existing.slice(0, start) + section + (rest < 0 ? '' : existing.slice(start + 1 + rest));
  fs.writeFileSync(file, updated.trimEnd() + '\n');
  log(`wrote ${file}`);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One HTTP request; resolves with status, headers and body text; rejects on a transport error or after `timeout` ms. */
export function request(url, { method = 'POST', headers = {}, body, timeout = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent, timeout }, res => {
      const chunks = [];
      res.on('data', chunk => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * Starts `java -jar jar` with `args` and waits until its health says UP.
 * @returns {{child, logFile}}
 */
export async function startGateway({ name, java, jar, port, args, logFile, startupSeconds = 180 }) {
  const out = fs.openSync(logFile, 'w');
  const child = spawn(java, ['-Xmx1g', '-jar', jar, `--server.port=${port}`, '--pypi.demo.live=false', ...args], { stdio: ['ignore', out, out] });
  const deadline = Date.now() + startupSeconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway (${name}) exited with ${child.exitCode}; see ${logFile}`);
    try {
      const health = await request(`http://127.0.0.1:${port}/actuator/health`, { method: 'GET' });
      if (health.status === 200) { log(`gateway (${name}) up, pid ${child.pid}`); return { child, logFile }; }
    } catch { /* not yet */ }
    await sleep(500);
  }
  child.kill('SIGKILL');
  throw new Error(`gateway (${name}) did not become healthy in ${startupSeconds} s; see ${logFile}`);
}

/** SIGTERM, then SIGKILL after 30 s. */
export async function stopGateway(gateway) {
  gateway.child.kill('SIGTERM');
  const deadline = Date.now() + 30_000;
  while (gateway.child.exitCode === null && gateway.child.signalCode === null && Date.now() < deadline) await sleep(200);
  if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill('SIGKILL');
  await sleep(1000);
}
