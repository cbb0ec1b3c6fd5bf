import type { MigrationInterface } from 'typeorm';
import { CreateAuthTables1732300000000 } from './1732300000000-create-auth-tables';
import { CreateContractsAndActions1732300100000 } from './1732300100000-create-contracts-and-actions';
import { CreateGatewaySettings1732300200000 } from './1732300200000-create-gateway-settings';
import { CreateJobs1732300300000 } from './1732300300000-create-jobs';
import { AddExecution1732300400000 } from './1732300400000-add-execution';
import { AddRetentionIndex1732300500000 } from './1732300500000-add-retention-index';
import { AddSecretVariables1732300600000 } from './1732300600000-add-secret-variables';
import { AddNotBefore1732300700000 } from './1732300700000-add-not-before';
import { CreateQueues1732300800000 } from './1732300800000-create-queues';
import { AddActionSchedule1732300900000 } from './1732300900000-add-action-schedule';
import { AddFacetsIndex1732301000000 } from './1732301000000-add-facets-index';
import { CreateJobEvents1732301100000 } from './1732301100000-create-job-events';
import { AddJobStatsIndexes1732301200000 } from './1732301200000-add-job-stats-indexes';
import { CreateWebhooks1732301300000 } from './1732301300000-create-webhooks';

type MigrationClass = new () => MigrationInterface;

/** Every migration, in order; listed, not globbed, so tests (sources) and dist/ see the same list. */
export const MIGRATIONS: MigrationClass[] = [
  CreateAuthTables1732300000000,
  CreateContractsAndActions1732300100000,
  CreateGatewaySettings1732300200000,
  CreateJobs1732300300000,
  AddExecution1732300400000,
  AddRetentionIndex1732300500000,
  AddSecretVariables1732300600000,
  AddNotBefore1732300700000,
  CreateQueues1732300800000,
  AddActionSchedule1732300900000,
  AddFacetsIndex1732301000000,
  CreateJobEvents1732301100000,
  AddJobStatsIndexes1732301200000,
  CreateWebhooks1732301300000,
];
