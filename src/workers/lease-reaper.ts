import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { WorkersRepository } from './workers.repository';

/**
 * Returns jobs whose worker went silent to the queue. Runs in every instance; the conditional
 * updates in WorkersRepository.expireLeases make concurrent reapers harmless.
 */
@Injectable()
export class LeaseReaper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LeaseReaper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly workers: WorkersRepository,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    if (this.config.workers.reaperIntervalMs === 0) return;
    this.timer = setInterval(() => void this.sweep(), this.config.workers.reaperIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy() {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; skipped while the previous one is still running. */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    const pass = this.workers.expireLeases().catch((error: unknown) => {
      this.logger.warn(`lease sweep failed: ${String(error)}`);
      return 0;
    });
    this.running = pass;
    try {
      const moved = await pass;
      if (moved > 0) this.logger.log(`returned ${moved} job(s) with expired leases`);
      return moved;
    } finally {
      this.running = undefined;
    }
  }
}
