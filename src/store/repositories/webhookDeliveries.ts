import type { Db } from '../db.js';

/** GitLab webhook deliveries already seen (X-Gitlab-Event-UUID), remembered for a week. */
export class WebhookDeliveryRepository {
  readonly #remember;
  readonly #forget;

  constructor(db: Db) {
    this.#remember = db.prepare<[string, string]>(
      'INSERT OR IGNORE INTO webhook_deliveries (uuid, received_at) VALUES (?, ?)',
    );
    this.#forget = db.prepare<[string]>('DELETE FROM webhook_deliveries WHERE received_at < ?');
  }

  /** Records a delivery; false when it was seen before. Forgets deliveries older than `keepMs`. */
  remember(uuid: string, now: Date, keepMs: number): boolean {
    this.#forget.run(new Date(now.getTime() - keepMs).toISOString());
    return this.#remember.run(uuid, now.toISOString()).changes === 1;
  }
}
