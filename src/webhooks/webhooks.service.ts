import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { CreateWebhookDto } from './dto/create-webhook.dto';
import { UpdateWebhookDto } from './dto/update-webhook.dto';
import {
  CreatedWebhookResponseDto,
  WebhookDeliveryListResponseDto,
  WebhookDeliveryResponseDto,
  WebhookListResponseDto,
  WebhookResponseDto,
} from './dto/webhook-response.dto';
import { assertPublicHost } from './webhook-address';
import type { DeliveryStatus, WebhookDeliveryEntity } from './webhook-delivery.entity';
import { newWebhookSecret, webhookMessageId } from './webhook-signature';
import type { WebhookEntity } from './webhook.entity';
import { WebhooksRepository } from './webhooks.repository';

function toWebhookResponse(webhook: WebhookEntity): WebhookResponseDto {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events as WebhookResponseDto['events'],
    contracts: webhook.contracts,
    description: webhook.description,
    enabled: webhook.enabled,
    createdAt: webhook.createdAt.toISOString(),
    createdBy: webhook.createdBy,
  };
}

function toDeliveryResponse(delivery: WebhookDeliveryEntity): WebhookDeliveryResponseDto {
  return {
    id: String(delivery.id),
    messageId: webhookMessageId(String(delivery.id)),
    eventId: String(delivery.eventId),
    eventType: delivery.eventType as WebhookDeliveryResponseDto['eventType'],
    jobId: String(delivery.jobId),
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    nextAttemptAt: delivery.status === 'PENDING' ? delivery.nextAttemptAt.toISOString() : null,
    createdAt: delivery.createdAt.toISOString(),
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  };
}

/** The webhooks admin API (docs/webhooks.md, "API"). */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly config: AppConfig,
  ) {}

  async create(body: CreateWebhookDto, principal: string): Promise<CreatedWebhookResponseDto> {
    await this.assertReachable(body.url);
    const secret = newWebhookSecret();
    const webhook = await this.webhooks.create({
      url: body.url,
      events: body.events,
      contracts: body.contracts ?? null,
      description: body.description ?? null,
      secret,
      createdAt: new Date(),
      createdBy: principal,
    });
    return { ...toWebhookResponse(webhook), secret };
  }

  async list(): Promise<WebhookListResponseDto> {
    return { webhooks: (await this.webhooks.list()).map(toWebhookResponse) };
  }

  /** Changes what is given; events already fanned out keep their deliveries either way. */
  async update(id: number, body: UpdateWebhookDto): Promise<WebhookResponseDto> {
    const changes = {
      ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
      ...(body.events === undefined ? {} : { events: body.events }),
      ...(body.contracts === undefined ? {} : { contracts: body.contracts }),
      ...(body.description === undefined ? {} : { description: body.description }),
    };
    const webhook = await this.webhooks.update(id, changes);
    if (!webhook) throw this.webhookNotFound(id);
    return toWebhookResponse(webhook);
  }

  async delete(id: number): Promise<void> {
    if (!(await this.webhooks.delete(id))) throw this.webhookNotFound(id);
  }

  async get(id: number): Promise<WebhookResponseDto> {
    const webhook = await this.webhooks.findById(id);
    if (!webhook) throw this.webhookNotFound(id);
    return toWebhookResponse(webhook);
  }

  async deliveries(id: number, query: { before?: string; status?: DeliveryStatus }, limit: number): Promise<WebhookDeliveryListResponseDto> {
    if (!(await this.webhooks.findById(id))) throw this.webhookNotFound(id);
    const page = await this.webhooks.pageDeliveries(id, query, limit);
    return { deliveries: page.map(toDeliveryResponse), next: page.length === limit ? String(page[page.length - 1].id) : null };
  }

  async retry(id: number, deliveryId: string): Promise<WebhookDeliveryResponseDto> {
    if (!(await this.webhooks.findById(id))) throw this.webhookNotFound(id);
    const retried = await this.webhooks.retryNow(id, deliveryId);
    const delivery = await this.webhooks.findDelivery(id, deliveryId);
    if (!delivery) throw new DomainError('WEBHOOK_DELIVERY_NOT_FOUND', `Webhook ${id} has no delivery ${deliveryId}.`);
    if (!retried) throw new DomainError('CONFLICT', `Delivery ${deliveryId} already succeeded; only DEAD or PENDING deliveries are retried.`, { extensions: { currentStatus: delivery.status } });
    return toDeliveryResponse(delivery);
  }

  /** Refused at creation as at each delivery (docs/security.md, "Webhooks"). */
  private async assertReachable(url: string): Promise<void> {
    if (this.config.webhooks.allowPrivateNetworks) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no DNS answer within ${this.config.webhooks.timeoutMs} ms`)), this.config.webhooks.timeoutMs);
    });
    try {
      await Promise.race([assertPublicHost(new URL(url).hostname), deadline]);
    } catch (error) {
      const reason = error instanceof Error && error.name === 'RefusedAddressError' ? error.message : `its host does not resolve (${(error as Error).message})`;
      throw new DomainError('WEBHOOK_URL_REFUSED', `The webhook URL is refused: ${reason}. Set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true for receivers on private networks.`);
    } finally {
      clearTimeout(timer);
    }
  }

  private webhookNotFound(id: number): DomainError {
    return new DomainError('WEBHOOK_NOT_FOUND', `No webhook has id ${id}.`);
  }
}
