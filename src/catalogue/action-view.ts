import { ActionEntity, WorkflowTemplate } from './action.entity';
import type { VariableDeclaration } from './variables';

export interface ActionView {
  name: string;
  trigger: string;
  queue: string;
  workflowTemplate: WorkflowTemplate;
  variables: VariableDeclaration[];
  allowedRoles: string[];
  maxAttempts: number;
  timeoutSeconds: number | null;
  priority: number;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toActionView(action: ActionEntity): ActionView {
  return {
    name: action.name,
    trigger: action.trigger,
    queue: action.queue,
    workflowTemplate: action.workflowTemplate,
    variables: action.variables,
    allowedRoles: action.allowedRoles,
    maxAttempts: action.maxAttempts,
    timeoutSeconds: action.timeoutSeconds,
    priority: action.priority,
    enabled: action.enabled,
    createdAt: action.createdAt.toISOString(),
    updatedAt: action.updatedAt.toISOString(),
  };
}
