/** Spares each submission a catalogue read; writes through other instances show within `ttlMs` (docs/contracts.md, "When a change takes effect"). */
export class CatalogueCache<T> {
  private generation = 0;
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value, or what `load` answers (kept unless it is undefined). */
  async get(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.value;
    const generation = this.generation;
    const value = await load();
    // A write that committed while `load` was reading may have made `value` stale already.
    if (value !== undefined && generation === this.generation) {
      this.entries.delete(key);
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    }
    return value;
  }

  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }
}
