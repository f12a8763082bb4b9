// The router: composes the two subgraphs when it starts (Apollo's composition, as Rover does) and plans
// each query across them. Run with the gateway and reviews.mjs up:
//   PYPI_URL=http://localhost:8080/graphql REVIEWS_URL=http://localhost:4002/ PORT=4000 node router.mjs
import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const gateway = new ApolloGateway({
  supergraphSdl: new IntrospectAndCompose({
    subgraphs: [
      { name: 'pypi', url: process.env.PYPI_URL ?? 'http://localhost:8080/graphql' },
      { name: 'reviews', url: process.env.REVIEWS_URL ?? 'http://localhost:4002/' },
    ],
  }),
});

const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT ?? 4000) } });
console.log(`router at ${url}`);
