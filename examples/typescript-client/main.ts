import { randomUUID } from 'node:crypto';
import { runGatewayTour } from './gateway-tour';

// `npm run example:client` compiles the examples (CommonJS, into dist/examples) and runs this; see ../README.md.
function credentials(prefix: string): Record<string, string> | undefined {
  const apiKey = process.env[`${prefix}_API_KEY`];
  if (apiKey) return { 'X-API-Key': apiKey };
  const user = process.env[`${prefix}_USER`];
  const password = process.env[`${prefix}_PASSWORD`];
  if (user && password) return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  return undefined;
}

async function main(): Promise<void> {
  const submitterHeaders = credentials('GATEWAY');
  if (!submitterHeaders) throw new Error('set GATEWAY_API_KEY, or GATEWAY_USER and GATEWAY_PASSWORD');
  const report = await runGatewayTour({
    baseUrl: process.env.GATEWAY_URL || 'http://127.0.0.1:8080/ghibli-rest/v2',
    submitterHeaders,
    workerHeaders: credentials('GATEWAY_WORKER') ?? submitterHeaders,
    contractName: process.env.TOUR_CONTRACT || 'acme-orders',
    actionName: process.env.TOUR_ACTION || 'import',
    actionVariables: { date: new Date().toISOString().slice(0, 10) },
    runId: process.env.TOUR_RUN_ID || randomUUID(),
    log: (line) => console.error(line),
  });
  console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
