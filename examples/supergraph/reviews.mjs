// A tiny second subgraph, as another team would write it: it adds reviews to the gateway's Project entity
// (keyed by name) and has a root field of its own. Run: PORT=4002 node reviews.mjs
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])

  "A PyPI project, as the pypi-analytics subgraph defines it; this subgraph adds its reviews."
  type Project @key(fields: "name") {
    name: String!
    "What users wrote about the project, newest first."
    reviews: [Review!]!
  }

  type Review {
    stars: Int!
    text: String!
  }

  type Query {
    "Projects with at least one review."
    reviewedProjects: [Project!]!
  }
`);

// The reviews, by normalized project name (the gateway's entities carry normalized names).
const REVIEWS = {
  boto3: [{ stars: 5, text: 'The AWS SDK everyone ends up with.' }],
  requests: [{ stars: 5, text: 'HTTP for humans.' }, { stars: 4, text: 'Still the default.' }],
};

const resolvers = {
  Query: {
    reviewedProjects: () => Object.keys(REVIEWS).map(name => ({ name })),
  },
  Project: {
    __resolveReference: reference => ({ name: reference.name }),
    reviews: project => REVIEWS[project.name] ?? [],
  },
};

const server = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs, resolvers }]) });
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT ?? 4002) } });
console.log(`reviews subgraph at ${url}`);
