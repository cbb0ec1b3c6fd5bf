import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DatabaseUnavailableError } from '../database/database-errors';
import { Database } from '../database/database.service';
import { ReadinessDto } from './dto/health.dto';

@Injectable()
export class HealthService {
  constructor(
    private readonly database: Database,
    private readonly config: AppConfig,
  ) {}

  /** Pings the database, bounded by the connect timeout so a hung server cannot hang the probe. */
  async checkReady(): Promise<ReadinessDto> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DatabaseUnavailableError('database ping timed out')),
        this.config.database.connectTimeoutMs,
      );
    });
    try {
      await Promise.race([this.database.ping(), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return { status: 'ok', database: 'up' };
  }
}
