// Composes subgraphs into a supergraph with an offline composer from the npm registry: The Guild's by
// default, Apollo's own (@apollo/composition, what Rover and GraphOS run) with --apollo.
// usage: node compose.mjs [--apollo] name=file.graphqls ...   prints JSON {ok, errors, supergraph}
import fs from 'node:fs';
import { parse } from 'graphql';

const args = process.argv.slice(2);
const apollo = args[0] === '--apollo';
const { composeServices } = apollo ? await import('@apollo/composition') : await import('@theguild/federation-composition');
const services = args.filter(arg => arg !== '--apollo').map(arg => {
  const [name, file] = arg.split('=');
  return { name, typeDefs: parse(fs.readFileSync(file, 'utf8')), url: `http://${name}.invalid/graphql` };
});
const result = composeServices(services);
const errors = (result.errors ?? []).map(error => error.message);
console.log(JSON.stringify({ ok: errors.length === 0, errors, supergraph: result.supergraphSdl ?? null }));
