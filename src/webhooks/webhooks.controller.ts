import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermission } from '../auth/decorators';
import { ApiProblems } from '../common/errors/api-problems';
import { DEFAULT_MAX_ITEMS } from '../common/paging/max-items';
import { Principal } from '../common/principal';
import { CreateWebhookDto } from './dto/create-webhook.dto';
import { ListDeliveriesQueryDto } from './dto/list-deliveries-query.dto';
import { UpdateWebhookDto } from './dto/update-webhook.dto';
import {
  CreatedWebhookResponseDto,
  WebhookDeliveryListResponseDto,
  WebhookDeliveryResponseDto,
  WebhookListResponseDto,
  WebhookResponseDto,
} from './dto/webhook-response.dto';
import { DeliveryIdParam, DeliveryIdPipe, WebhookIdParam, WebhookIdPipe } from './webhook-params';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@RequirePermission('WEBHOOKS')
@Controller('admin/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe a URL to job events; the signing secret is in this answer only' })
  @ApiCreatedResponse({ type: CreatedWebhookResponseDto, description: 'The webhook with its secret, shown this once: store it now' })
  @ApiProblems('WEBHOOK_URL_REFUSED')
  createWebhook(@Body() body: CreateWebhookDto, @CurrentPrincipal() principal: Principal): Promise<CreatedWebhookResponseDto> {
    return this.webhooks.create(body, principal.name);
  }

  @Get()
  @ApiOperation({ summary: 'Every webhook, oldest first, without secrets' })
  @ApiOkResponse({ type: WebhookListResponseDto })
  listWebhooks(): Promise<WebhookListResponseDto> {
    return this.webhooks.list();
  }

  @Get(':id')
  @WebhookIdParam()
  @ApiOperation({ summary: 'One webhook, without its secret' })
  @ApiOkResponse({ type: WebhookResponseDto })
  @ApiProblems('WEBHOOK_NOT_FOUND')
  getWebhook(@Param('id', WebhookIdPipe) id: number): Promise<WebhookResponseDto> {
    return this.webhooks.get(id);
  }

  @Patch(':id')
  @WebhookIdParam()
  @ApiOperation({ summary: 'Disable or enable a webhook, or change its events, contracts or description; not its URL' })
  @ApiOkResponse({ type: WebhookResponseDto, description: 'The webhook as changed' })
  @ApiProblems('WEBHOOK_NOT_FOUND')
  updateWebhook(@Param('id', WebhookIdPipe) id: number, @Body() body: UpdateWebhookDto): Promise<WebhookResponseDto> {
    return this.webhooks.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @WebhookIdParam()
  @ApiOperation({ summary: 'Delete a webhook and its deliveries; attempts in flight may still arrive' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems('WEBHOOK_NOT_FOUND')
  async deleteWebhook(@Param('id', WebhookIdPipe) id: number): Promise<void> {
    await this.webhooks.delete(id);
  }

  @Get(':id/deliveries')
  @WebhookIdParam()
  @ApiOperation({ summary: "A webhook's deliveries, newest first" })
  @ApiOkResponse({ type: WebhookDeliveryListResponseDto })
  @ApiProblems('WEBHOOK_NOT_FOUND')
  listWebhookDeliveries(@Param('id', WebhookIdPipe) id: number, @Query() query: ListDeliveriesQueryDto): Promise<WebhookDeliveryListResponseDto> {
    return this.webhooks.deliveries(id, { before: query.before, status: query.status }, query.maxItems ?? DEFAULT_MAX_ITEMS);
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(200)
  @WebhookIdParam()
  @DeliveryIdParam()
  @ApiOperation({ summary: 'Make a DEAD or PENDING delivery due now, attempts kept' })
  @ApiOkResponse({ type: WebhookDeliveryResponseDto, description: 'The delivery, PENDING and due' })
  @ApiProblems('WEBHOOK_NOT_FOUND', 'WEBHOOK_DELIVERY_NOT_FOUND', 'CONFLICT')
  retryWebhookDelivery(@Param('id', WebhookIdPipe) id: number, @Param('deliveryId', DeliveryIdPipe) deliveryId: string): Promise<WebhookDeliveryResponseDto> {
    return this.webhooks.retry(id, deliveryId);
  }
}
