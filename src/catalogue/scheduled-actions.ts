import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.service';
import { ActionEntity } from './action.entity';
import type { ActionSchedule } from './action-schedule';
import type { VariableDeclaration } from './variables';

export interface ScheduledAction {
  contract: string;
  action: string;
  /** The action and its contract are both enabled: a fire can be submitted. */
  submittable: boolean;
  variables: VariableDeclaration[];
  allowedRoles: string[];
  schedule: ActionSchedule;
}

/** Read-only: every TIME action with its schedule, for schedules/, which may not be imported here. */
@Injectable()
export class ScheduledActions {
  constructor(private readonly database: Database) {}

  async list(): Promise<ScheduledAction[]> {
    const actions = await this.database.read((manager) =>
      manager
        .createQueryBuilder(ActionEntity, 'action')
        .innerJoinAndSelect('action.contract', 'contract')
        .where('action.trigger = :trigger', { trigger: 'TIME' })
        .orderBy('contract.name', 'ASC')
        .addOrderBy('action.name', 'ASC')
        .getMany(),
    );
    return actions.flatMap((action) =>
      action.contract && action.schedule
        ? [
            {
              contract: action.contract.name,
              action: action.name,
              submittable: action.enabled && action.contract.enabled,
              variables: action.variables,
              allowedRoles: action.allowedRoles,
              schedule: action.schedule,
            },
          ]
        : [],
    );
  }
}
