import { createTestApp, TestApp } from './create-test-app';
import { createTestDatabase } from './test-database';

export interface Instances {
  apps: TestApp[];
  /** Base URLs, context path included. */
  urls: string[];
  close(): Promise<void>;
}

/**
 * Gateway instances sharing one fresh database, each listening on its own port, as processes
 * behind a load balancer would be; concurrency tests send plain HTTP requests to all of them.
 */
export async function startInstances(count: number, env: Record<string, string> = {}): Promise<Instances> {
  const database = await createTestDatabase();
  const apps: TestApp[] = [];
  for (let index = 0; index < count; index++) apps.push(await createTestApp({ database, env }));
  const urls = await Promise.all(apps.map((app) => app.listen()));
  return {
    apps,
    urls,
    close: async () => {
      await Promise.all(apps.map((app) => app.close()));
      await database.drop();
    },
  };
}
