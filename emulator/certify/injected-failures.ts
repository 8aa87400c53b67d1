/**
 * Failures aimed at an integration's own calls, so a certification run can watch how it retries: the next
 * N requests of this account to one method and path answer a Stripe-shaped 500 `api_error` before they run
 * (nothing is created, nothing is stored against the Idempotency-Key, as Stripe does not cache a 5xx:
 * https://docs.stripe.com/api/idempotent_requests [DOC] "results are only saved if an API endpoint
 * started executing"; https://docs.stripe.com/error-handling [DOC] "api_error … retry"). Latency is the
 * existing POST /_emulator/latency. reference/acp-integration-certification.md §4.1 S-08, S-09.
 */
export interface InjectedFailure {
  method: string;
  path: string;
  remaining: number;
  status: number;
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

  /** Whether this request must fail now (and counts it), with the status to answer. */
  take(accountId: string, method: string, path: string): number | null {
    const failure = this.byAccount.get(accountId)?.find((f) => f.method === method && f.path === path && f.remaining > 0);
    if (!failure) return null;
    failure.remaining--;
    return failure.status;
  }
}
