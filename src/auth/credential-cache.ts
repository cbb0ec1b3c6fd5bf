import { createHmac, randomBytes } from 'node:crypto';

/** Recently verified credentials, held as HMACs under a per-process key (docs/security.md, "Caching"). */
export class CredentialCache<T> {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, { digest: string; value: T; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  digest(secret: string): string {
    return createHmac('sha256', this.key).update(secret).digest('base64url');
  }

  get(id: string, secret: string): T | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now() || entry.digest !== this.digest(secret)) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.value;
  }

  set(id: string, secret: string, value: T): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(id, { digest: this.digest(secret), value, expiresAt: Date.now() + this.ttlMs });
  }

  invalidate(id?: string): void {
    if (id === undefined) this.entries.clear();
    else this.entries.delete(id);
  }
}
