// Copies the browser assets into the jar's static resources (called by Maven in generate-resources):
// the vendor files from the npm packages (installed with `npm ci` when missing) and our own pages.
// usage: node build.mjs <output directory>
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const out = path.resolve(process.argv[2] ?? path.join(here, '../../../target/classes/static'));

const vendor = {
  'react.production.min.js': 'react/umd/react.production.min.js',
  'react-dom.production.min.js': 'react-dom/umd/react-dom.production.min.js',
  'graphiql.min.js': 'graphiql/graphiql.min.js',
  'graphiql.min.css': 'graphiql/graphiql.min.css',
  'chart.umd.js': 'chart.js/dist/chart.umd.js',
};
if (Object.values(vendor).some(source => !fs.existsSync(path.join(here, 'node_modules', source)))) {
  console.log('frontend: npm ci (packages from the npm registry)');
  execSync('npm ci --no-audit --no-fund --loglevel=error', { cwd: here, stdio: 'inherit' });
}
const vendorDir = path.join(out, 'vendor');
fs.mkdirSync(vendorDir, { recursive: true });
for (const [name, source] of Object.entries(vendor)) {
  const from = path.join(here, 'node_modules', source);
  if (!fs.existsSync(from)) throw new Error(`frontend: ${source} is missing from node_modules`);
  fs.copyFileSync(from, path.join(vendorDir, name));
}
for (const page of ['graphiql', 'app']) {
  fs.cpSync(path.join(here, page), path.join(out, page), { recursive: true });
}
console.log(`frontend: assets in ${out}`);
