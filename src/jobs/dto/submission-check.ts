import type { SubmissionCheck } from '../job-submissions.service';
import { visibleVariables } from './job-response.dto';
import type { SubmissionCheckDto } from './job-history.dto';

export function toSubmissionCheck({ job, existing }: SubmissionCheck): SubmissionCheckDto {
  return {
    valid: true,
    ipid: job.ipid,
    wouldReplay: existing !== null,
    ...(existing ? { existingJobId: String(existing.id) } : {}),
    resolved: {
      queue: job.queue,
      workflowTemplate: { id: job.workflowTemplateId, name: job.workflowTemplateName, revision: job.workflowTemplateRevision },
      actionVariables: visibleVariables(job, false),
    },
  };
}
