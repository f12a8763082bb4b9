// Builds the browser assets into the jar's static resources (called by Maven in generate-resources):
// the vendor files of GraphiQL from the npm packages, the dashboard's modules (app/src) bundled by esbuild
// with Chart.js into one script, and the pages. Packages are installed with `npm ci` when missing.
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
};
const needed = [...Object.values(vendor), 'esbuild/package.json', 'chart.js/package.json', 'chartjs-chart-geo/package.json',
  'i18n-iso-countries/package.json', 'world-atlas/countries-110m.json'];
if (needed.some(source => !fs.existsSync(path.join(here, 'node_modules', source)))) {
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
fs.cpSync(path.join(here, 'graphiql'), path.join(out, 'graphiql'), { recursive: true });

// The dashboard: its pages as they are, its modules as one script (a plain script: the CSP allows only
// scripts from here, and one file keeps the first paint to one request).
const app = path.join(out, 'app');
fs.rmSync(app, { recursive: true, force: true });
fs.cpSync(path.join(here, 'app'), app, { recursive: true, filter: source => !source.startsWith(path.join(here, 'app', 'src')) });
// The world map's country shapes (Natural Earth 1:110m, world-atlas), fetched by the map when it is drawn.
fs.copyFileSync(path.join(here, 'node_modules/world-atlas/countries-110m.json'), path.join(app, 'countries-110m.json'));
const { build } = await import('esbuild');
await build({
  entryPoints: [path.join(here, 'app/src/main.js')],
  outfile: path.join(app, 'app.js'),
  bundle: true,
  format: 'iife',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});
console.log(`frontend: assets in ${out}`);
