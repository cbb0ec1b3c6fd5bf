import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.service';
import { JobsRepository, JobTimelineRepository, toJobResponse, type JobEntity, type JobEventEntity } from '../jobs';
import type { WebhookEntity } from './webhook.entity';
import { NewDelivery, WebhooksRepository } from './webhooks.repository';

/** Events taken from the outbox per transaction. */
export const FAN_OUT_BATCH = 100;

/** A body must fit the deliveries' TEXT column (64 KiB on MySQL), whatever the job's variables and result. */
export const MAX_BODY_BYTES = 60_000;

/** The body every attempt of a delivery sends, fixed here; a job too large for it loses its variables and result (docs/webhooks.md, "Payload"). */
export function deliveryBody(event: Pick<JobEventEntity, 'type' | 'at'>, job: JobEntity): string {
  const envelope = { type: event.type, timestamp: event.at.toISOString() };
  const response = toJobResponse(job);
  const full = JSON.stringify({ ...envelope, data: { job: response } });
  if (Buffer.byteLength(full) <= MAX_BODY_BYTES) return full;
  const trimmed: Record<string, unknown> = { ...response };
  delete trimmed.actionVariables;
  delete trimmed.result;
  return JSON.stringify({ ...envelope, data: { job: trimmed, truncated: ['actionVariables', 'result'] } });
}

function subscribed(webhook: WebhookEntity, type: string, contract: string): boolean {
  return webhook.events.includes(type) && (webhook.contracts === null || webhook.contracts.includes(contract));
}

/** Turns outbox events into deliveries, one per subscribed webhook (docs/webhooks.md, "The outbox"). */
@Injectable()
export class WebhookFanOut {
  constructor(
    private readonly database: Database,
    private readonly timeline: JobTimelineRepository,
    private readonly jobs: JobsRepository,
    private readonly webhooks: WebhooksRepository,
  ) {}

  /** One batch in one transaction: claim events, insert their deliveries, mark them dispatched; answers how many it took. */
  fanOutBatch(limit = FAN_OUT_BATCH): Promise<number> {
    // Record locks only: gap locks on IDX_job_events_dispatch deadlocked with every submission's event insert (docs/webhooks.md, "The outbox").
    return this.database.transaction(async (manager) => {
      const events = await this.timeline.claimUndispatched(manager, limit);
      if (events.length === 0) return 0;
      const webhooks = await this.webhooks.enabled(manager);
      const deliveries: NewDelivery[] = [];
      const jobs = new Map<string, JobEntity | null>();
      for (const event of events) {
        if (!webhooks.some((webhook) => webhook.events.includes(event.type))) continue;
        const jobId = String(event.jobId);
        if (!jobs.has(jobId)) jobs.set(jobId, await this.jobs.findById(jobId));
        const job = jobs.get(jobId);
        if (!job) continue;
        const body = deliveryBody(event, job);
        for (const webhook of webhooks.filter((candidate) => subscribed(candidate, event.type, job.contract))) {
          deliveries.push({ webhookId: webhook.id, eventId: String(event.id), eventType: event.type, jobId, body });
        }
      }
      await this.webhooks.insertDeliveries(manager, deliveries);
      await this.timeline.markDispatched(manager, events.map((event) => String(event.id)));
      return events.length;
    }, 'READ COMMITTED');
  }
}
