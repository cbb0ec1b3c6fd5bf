// The job-data feature's public surface: other features import only from here (docs/architecture.md).
export { JobsModule } from './jobs.module';
export { JobsService } from './jobs.service';
export { JobSubmissionsService, type SubmitOutcome } from './job-submissions.service';
export { JobsRepository, type LiveJobCount, type QueueLoad } from './jobs.repository';
export { JobClaimsRepository } from './job-claims.repository';
export { JobExecutionsRepository, type ExecutionEnded } from './job-executions.repository';
export { JobPurgeRepository } from './job-purge.repository';
export { JobSignals } from './job-signals';
export { JobTimelineRepository, type NewJobEvent } from './job-timeline.repository';
export { JOB_EVENT_TYPES, type JobEventEntity, type JobEventType } from './job-event.entity';
export type { JobEntity } from './job.entity';
export { LOG_LEVELS, type LogLevel } from './job-log.entity';
export { JobStatus, LIVE_STATUSES, type ExecutionOutcome } from './job-status';
export { JobResponseDto, toJobResponse } from './dto/job-response.dto';
export { QUEUE_GATE, type OpenQueue, type QueueGate } from './queue-gate';
