import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { ConsoleAsset, loadConsoleAssets } from './console-assets';
import { CONSOLE_SECURITY_HEADERS } from './console-headers';

@Injectable()
export class ConsoleService {
  private readonly files: ReturnType<typeof loadConsoleAssets>;

  constructor(config: AppConfig) {
    this.files = loadConsoleAssets(config.http.contextPath);
  }

  page(): ConsoleAsset {
    return this.files.page;
  }

  asset(name: string): ConsoleAsset {
    const asset = this.files.assets.get(name);
    if (!asset) throw new DomainError('NOT_FOUND', `The console has no file "${name}".`);
    return asset;
  }

  send(asset: ConsoleAsset, request: FastifyRequest, reply: FastifyReply) {
    reply.headers(CONSOLE_SECURITY_HEADERS).header('ETag', asset.etag);
    if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
    return reply.status(200).type(asset.contentType).send(asset.body);
  }
}
