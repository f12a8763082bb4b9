// GraphiQL on the gateway's own assets. The registered operations (graphql/operations) open as tabs,
// with example variables.
(async function () {
  const examples = {
    PackagePage: { name: 'requests', filter: { ci: 'EXCLUDE' }, granularity: 'MONTH' },
    ComparePackages: { names: ['pip', 'uv'], granularity: 'QUARTER' },
    SearchProjects: { prefix: 'py', first: 10 },
    VersionHistory: { name: 'numpy', filter: { versions: ['2.*'] }, granularity: 'MONTH' },
  };
  const welcome = [
    '# PyPI downloads: run with the button',
    '# or Ctrl-Enter. The other tabs are the',
    '# operations the dashboards use; the',
    '# Docs panel describes every field.',
    '{',
    '  project(name: "boto3") {',
    '    name',
    '    latestVersion',
    '    downloadSummary { lastDay lastWeek lastMonth allTime }',
    '  }',
    '}',
    '',
  ].join('\n');
  let tabs = [{ query: welcome }];
  try {
    const manifest = await (await fetch('/graphql/operations')).json();
    tabs = tabs.concat(manifest.operations.map(op => ({
      query: op.body,
      variables: examples[op.name] ? JSON.stringify(examples[op.name], null, 2) : undefined,
    })));
  } catch (error) {
    console.warn('GraphiQL: could not load the registered operations', error);
  }
  const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  const root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher, defaultTabs: tabs, defaultEditorToolsVisibility: true }));
})();
