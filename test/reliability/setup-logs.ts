import { afterAll, afterEach } from 'vitest';
import { keepScenarioFolders, removeScenarioFolders } from './support/cluster';

// Registered before the spec's own hooks, so this afterAll runs last, once every process has stopped.
afterEach(({ task }) => {
  if (task.result?.state === 'fail') keepScenarioFolders();
});
afterAll(() => removeScenarioFolders());
