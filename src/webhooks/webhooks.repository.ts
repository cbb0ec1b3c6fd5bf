import { Injectable } from '@nestjs/common';
import { EntityManager, In, LessThan, type QueryDeepPartialEntity } from 'typeorm';
import { Database } from '../database/database.service';
import { sqlNow, sqlNowMinusDays, sqlNowPlusMs } from '../database/sql-clock';
import { JobTimelineRepository } from '../jobs';
import { type DeliveryStatus, WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookEntity } from './webhook.entity';

export type NewWebhook = Omit<WebhookEntity, 'id' | 'enabled'>;
export type NewDelivery = Pick<WebhookDeliveryEntity, 'webhookId' | 'eventId' | 'eventType' | 'jobId' | 'body'>;

/** A delivery claimed for one attempt, with what the attempt needs of its webhook. */
export interface ClaimedDelivery {
  delivery: WebhookDeliveryEntity;
  url: string;
  secret: string;
}

export interface OutboxBacklog {
  pendingDeliveries: number;
  undispatchedEvents: number;
  /** The creation of the oldest pending delivery or undispatched event. */
  oldestPendingAt?: Date;
}

/** The owner of `webhooks` and `webhook_deliveries`. */
@Injectable()
export class WebhooksRepository {
  constructor(
    private readonly database: Database,
    private readonly timeline: JobTimelineRepository,
  ) {}

  async create(webhook: NewWebhook): Promise<WebhookEntity> {
    return this.database.write((manager) => manager.save(WebhookEntity, manager.create(WebhookEntity, { ...webhook, enabled: true })));
  }

  list(): Promise<WebhookEntity[]> {
    return this.database.read((manager) => manager.find(WebhookEntity, { order: { id: 'ASC' } }));
  }

  findById(id: number): Promise<WebhookEntity | null> {
    return this.database.read((manager) => manager.findOneBy(WebhookEntity, { id }));
  }

  /** Deletes the webhook and, by cascade, its deliveries; answers whether it existed. */
  async delete(id: number): Promise<boolean> {
    const result = await this.database.write((manager) => manager.delete(WebhookEntity, { id }));
    return (result.affected ?? 0) > 0;
  }

  /** Answers the webhook as changed, or null when there is none with this id. */
  async update(id: number, changes: Partial<Pick<WebhookEntity, 'enabled' | 'events' | 'contracts' | 'description'>>): Promise<WebhookEntity | null> {
    if (Object.keys(changes).length > 0) await this.database.write((manager) => manager.update(WebhookEntity, { id }, changes));
    return this.findById(id);
  }

  /** The enabled webhooks, read in the fan-out's transaction. */
  enabled(manager: EntityManager): Promise<WebhookEntity[]> {
    return manager.find(WebhookEntity, { where: { enabled: true }, order: { id: 'ASC' } });
  }

  async insertDeliveries(manager: EntityManager, deliveries: readonly NewDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const now = new Date();
    const rows = deliveries.map((delivery) => ({ ...delivery, status: 'PENDING', attempts: 0, nextAttemptAt: now, createdAt: now }) as QueryDeepPartialEntity<WebhookDeliveryEntity>);
    await manager.createQueryBuilder().insert().into(WebhookDeliveryEntity).values(rows).updateEntity(false).execute();
  }

  /** Due deliveries of enabled webhooks, leased for one attempt each (attempts + 1, due again after the lease) (docs/webhooks.md, "The outbox"). */
  claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const mysql = this.database.isMysql;
    // Record locks only: next-key locks on the due index would deadlock with the fan-out's inserts (docs/webhooks.md, "The outbox").
    return this.database.transaction(async (manager) => {
      // A disabled webhook's deliveries wait; its ids are read first so the locking read locks deliveries only.
      const hooks = (await this.enabled(manager)).map((webhook) => webhook.id);
      if (hooks.length === 0) return [];
      // Hand-written: TypeORM's find cannot say SKIP LOCKED, and "now" must be the database's clock.
      const due = (await manager.query(
        `SELECT id FROM webhook_deliveries WHERE status = 'PENDING' AND next_attempt_at <= ${sqlNow(mysql)} AND webhook_id IN (${hooks.map(() => '?').join(', ')}) ` +
          `ORDER BY next_attempt_at ASC LIMIT ${Number(limit)}${mysql ? ' FOR UPDATE SKIP LOCKED' : ''}`,
        hooks,
      )) as { id: string | number }[];
      if (due.length === 0) return [];
      const ids = due.map((row) => String(row.id));
      await manager
        .createQueryBuilder()
        .update(WebhookDeliveryEntity)
        .set({ attempts: () => 'attempts + 1', nextAttemptAt: () => sqlNowPlusMs(mysql, ':leaseMs') })
        .where({ id: In(ids) })
        .setParameters({ leaseMs })
        .execute();
      const claimed = await manager.find(WebhookDeliveryEntity, { where: { id: In(ids) }, relations: { webhook: true } });
      return claimed.flatMap((delivery) => (delivery.webhook ? [{ delivery, url: delivery.webhook.url, secret: delivery.webhook.secret }] : []));
    }, 'READ COMMITTED');
  }

  async recordSuccess(id: string, statusCode: number): Promise<void> {
    await this.database.write((manager) =>
      manager.update(WebhookDeliveryEntity, { id }, { status: 'SUCCEEDED', lastStatusCode: statusCode, lastError: null, deliveredAt: new Date() }),
    );
  }

  /** A failed attempt: due again after `retryInMs`, or DEAD when that is undefined. */
  async recordFailure(id: string, statusCode: number | undefined, error: string, retryInMs: number | undefined): Promise<void> {
    const mysql = this.database.isMysql;
    await this.database.write((manager) =>
      manager
        .createQueryBuilder()
        .update(WebhookDeliveryEntity)
        .set({
          status: retryInMs === undefined ? 'DEAD' : 'PENDING',
          lastStatusCode: statusCode ?? null,
          lastError: error.slice(0, 512),
          ...(retryInMs === undefined ? {} : { nextAttemptAt: () => sqlNowPlusMs(mysql, ':retryInMs') }),
        })
        .where({ id })
        .setParameters({ retryInMs: Math.round(retryInMs ?? 0) })
        .execute(),
    );
  }

  /** A DEAD or PENDING delivery of this webhook becomes due now, attempts kept; answers whether one did. */
  async retryNow(webhookId: number, id: string): Promise<boolean> {
    const mysql = this.database.isMysql;
    const result = await this.database.write((manager) =>
      manager
        .createQueryBuilder()
        .update(WebhookDeliveryEntity)
        .set({ status: 'PENDING', nextAttemptAt: () => sqlNow(mysql) })
        .where({ id, webhookId, status: In(['DEAD', 'PENDING']) })
        .execute(),
    );
    return (result.affected ?? 0) > 0;
  }

  /**
   * Deletes up to `batchSize` deliveries that ended (SUCCEEDED, DEAD) with a last attempt more than `days` ago,
   * found by the claim index; the DELETE re-checks, so a delivery retried by hand meanwhile stays (docs/operations.md, "Retention").
   */
  async purgeEnded(days: number, batchSize: number): Promise<number> {
    const old = (daysParameter: string) => `status IN ('SUCCEEDED', 'DEAD') AND next_attempt_at < ${sqlNowMinusDays(this.database.isMysql, daysParameter)}`;
    const rows = (await this.database.read((manager) =>
      manager.query(`SELECT id FROM webhook_deliveries WHERE ${old('?')} LIMIT ${Number(batchSize)}`, [days]),
    )) as { id: string | number }[];
    if (rows.length === 0) return 0;
    const ids = rows.map((row) => String(row.id));
    const deleted = await this.database.write((manager) =>
      manager.createQueryBuilder().delete().from(WebhookDeliveryEntity).where({ id: In(ids) }).andWhere(old(':days'), { days }).execute(),
    );
    return deleted.affected ?? 0;
  }

  findDelivery(webhookId: number, id: string): Promise<WebhookDeliveryEntity | null> {
    return this.database.read((manager) => manager.findOneBy(WebhookDeliveryEntity, { id, webhookId }));
  }

  /** Newest first, before the delivery `before` and in `status` when given. */
  pageDeliveries(webhookId: number, { before, status }: { before?: string; status?: DeliveryStatus }, limit: number): Promise<WebhookDeliveryEntity[]> {
    return this.database.read((manager) =>
      manager.find(WebhookDeliveryEntity, {
        where: { webhookId, ...(before ? { id: LessThan(before) } : {}), ...(status ? { status } : {}) },
        order: { id: 'DESC' },
        take: limit,
      }),
    );
  }

  /** Pending deliveries, and outbox events not fanned out yet. */
  async backlog(): Promise<OutboxBacklog> {
    const [deliveries, undispatched] = await Promise.all([
      this.database.read((manager) => manager.query("SELECT COUNT(*) AS count, MIN(created_at) AS oldest FROM webhook_deliveries WHERE status = 'PENDING'")),
      this.timeline.undispatched(),
    ]);
    const pending = { count: Number(deliveries[0]?.count ?? 0), oldest: readInstant(deliveries[0]?.oldest ?? null) };
    const oldest = [pending.oldest, undispatched.oldest].filter((date): date is Date => date !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
    return { pendingDeliveries: pending.count, undispatchedEvents: undispatched.count, oldestPendingAt: oldest };
  }
}

/** MySQL answers a Date, SQLite the DATETIME text, in UTC. */
function readInstant(value: string | Date | null): Date | undefined {
  if (value === null) return undefined;
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
}
