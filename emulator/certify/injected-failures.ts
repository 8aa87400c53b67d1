/**
 * Failures aimed at an integration's own calls, so a certification run can watch how it retries: the next
 * N requests of this account to one method and path answer a Stripe-shaped 5xx `api_error` instead of
 * running (nothing is created). reference/acp-integration-certification.md §4.1 S-08, S-09.
 *
 * Two kinds, by `saved`:
 *  - saved (the default): a failure once the endpoint began executing, which Stripe saves under the
 *    request's Idempotency-Key like any result, so a retry with the same key gets the same 5xx again
 *    ("Retries with the same key return the saved response, including 500 errors",
 *    https://docs.stripe.com/api/idempotent_requests [DOC]);
 *  - not saved (`saved=false`): a failure before execution began, which no key remembers, so a retry
 *    with the same key runs for real. Stripe's docs describe results saved "after endpoint execution
 *    begins"; stripe-node retries 5xx because the framework "would typically replay it anyway"
 *    (RequestSender._shouldRetry [SDK]), so not every 5xx is replayed [INF].
 * Latency is the existing POST /_emulator/latency.
 */
export interface InjectedFailure {
  method: string;
  path: string;
  remaining: number;
  status: number;
  /** Whether the failure is saved under the request's Idempotency-Key (see above). */
  saved: boolean;
}

export class InjectedFailures {
  private readonly byAccount = new Map<string, InjectedFailure[]>();

  set(accountId: string, failure: InjectedFailure): void {
    const list = (this.byAccount.get(accountId) ?? []).filter((f) => !(f.method === failure.method && f.path === failure.path));
    if (failure.remaining > 0) list.push(failure);
    this.byAccount.set(accountId, list);
  }

  list(accountId: string): InjectedFailure[] {
    return [...(this.byAccount.get(accountId) ?? [])];
  }

  /** Whether any failure is set for this account (a cheap check on every request). */
  pending(accountId: string): boolean {
    return (this.byAccount.get(accountId)?.length ?? 0) > 0;
  }

  /**
   * Whether this request must fail now (and counts it), with the status to answer: `saved` failures are
   * taken when execution begins (inside the idempotency layer), the others before it.
   */
  take(accountId: string, method: string, path: string, saved: boolean): number | null {
    const failure = this.byAccount.get(accountId)?.find((f) => f.method === method && f.path === path && f.remaining > 0 && f.saved === saved);
    if (!failure) return null;
    failure.remaining--;
    return failure.status;
  }
}
