import { ActionEntity } from './action.entity';
import { scheduleView } from './action-schedule';
import { ActionResponseDto } from './dto/action-response.dto';

export function toActionView(action: ActionEntity): ActionResponseDto {
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
    onMismatch: action.onMismatch,
    ...(action.schedule ? { schedule: scheduleView(action.schedule, action.variables) } : {}),
    createdAt: action.createdAt.toISOString(),
    updatedAt: action.updatedAt.toISOString(),
  };
}
