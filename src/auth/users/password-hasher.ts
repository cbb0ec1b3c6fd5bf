import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { BoundedSemaphore } from '../../common/rate-limit/bounded-semaphore';
import { AppConfig } from '../../config/app-config';
import { hashPassword, verifyPassword } from './password-hash';

/** Every scrypt goes through a few slots, so a login flood cannot take all of libuv's threads from JWT and API-key callers. */
@Injectable()
export class PasswordHasher {
  private readonly slots: BoundedSemaphore;

  constructor(config: AppConfig) {
    this.slots = new BoundedSemaphore(config.auth.scrypt.concurrency, config.auth.scrypt.queue);
  }

  async hash(password: string): Promise<string> {
    return this.inSlot(() => hashPassword(password));
  }

  async verify(password: string, stored: string): Promise<boolean> {
    return this.inSlot(() => verifyPassword(password, stored));
  }

  private inSlot<T>(task: () => Promise<T>): Promise<T> {
    const running = this.slots.run(task);
    if (!running) {
      throw new DomainError('AUTH_BUSY', 'Too many password checks are waiting; retry shortly.', {
        headers: { 'Retry-After': '1' },
      });
    }
    return running;
  }
}
