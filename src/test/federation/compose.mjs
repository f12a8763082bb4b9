// Composes subgraphs into a supergraph with an offline composer (The Guild's, from the npm registry).
// usage: node compose.mjs name=file.graphqls[=url] ...   prints JSON {ok, errors, supergraph}
import fs from 'node:fs';
import { parse } from 'graphql';
import { composeServices } from '@theguild/federation-composition';

const services = process.argv.slice(2).map(arg => {
  const [name, file] = arg.split('=');
  return { name, typeDefs: parse(fs.readFileSync(file, 'utf8')), url: `http://${name}.invalid/graphql` };
});
const result = composeServices(services);
const errors = (result.errors ?? []).map(error => error.message);
console.log(JSON.stringify({ ok: errors.length === 0, errors, supergraph: result.supergraphSdl ?? null }));
