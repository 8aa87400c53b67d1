/**
 * The shape of one entry of the emulator's per-account request log (GET /_emulator/requests): what an
 * integration asked its Stripe. The emulator writes it (emulator/certify/request-log.ts) and the seller
 * certification reads it (helpers/certify/harness.ts), so it is declared once, here.
 */
export interface LoggedRequest {
  /** 1, 2, … per account, in the order the requests were answered. */
  seq: number;
  /** Wall-clock ms when the answer was sent. */
  at: number;
  method: string;
  path: string;
  params: Record<string, unknown>;
  idempotency_key: string | null;
  stripe_version: string | null;
  status: number;
  /** Whether the answer was an idempotent replay (Idempotent-Replayed: true). */
  replayed: boolean;
  request_id: string | null;
  /** The object id the answer names (a PaymentIntent's pi_…), when it names one. */
  object_id: string | null;
  /** That object's `status` in the answer (a PaymentIntent's succeeded / requires_action), when it has one. */
  object_status: string | null;
}
