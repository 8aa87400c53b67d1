/**
 * Stripe's cursor pagination for list endpoints [DOC] https://docs.stripe.com/api/pagination:
 * newest first; `limit` 1–100 (default 10); `starting_after` gives the page after an object (older),
 * `ending_before` the page before it (newer); `has_more` says whether more lie in that direction.
 */
import { errors } from './errors.ts';
import { fields } from './params.ts';

export const paginationFields = fields({
  limit: { kind: 'integer', min: 1, max: 100 },
  starting_after: { kind: 'string', maxLength: 5000 },
  ending_before: { kind: 'string', maxLength: 5000 },
});

export interface PaginationParams {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
}

export interface ListEnvelope<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/**
 * One page of `newestFirst`. A cursor that names no object of the list is 400 resource_missing naming the
 * cursor parameter, as for any id given in a parameter (payment-methods.ts resolvePaymentMethod [OBS]).
 */
export function paginate<T extends { id: string }>(newestFirst: readonly T[], params: PaginationParams, url: string, objectName: string): ListEnvelope<T> {
  const limit = params.limit ?? 10;
  if (params.starting_after !== undefined && params.ending_before !== undefined) {
    // Stripe's wording for this refusal [OBS]; no SDK type forbids sending both.
    throw errors.invalidRequestBody('you may only specify one of these parameters: starting_after, ending_before.');
  }
  const indexOf = (id: string, param: string): number => {
    const index = newestFirst.findIndex((item) => item.id === id);
    if (index < 0) throw errors.resourceMissingInParam(objectName, id, param);
    return index;
  };
  if (params.ending_before !== undefined) {
    const end = indexOf(params.ending_before, 'ending_before');
    const start = Math.max(0, end - limit);
    return { object: 'list', data: newestFirst.slice(start, end), has_more: start > 0, url };
  }
  const start = params.starting_after !== undefined ? indexOf(params.starting_after, 'starting_after') + 1 : 0;
  return { object: 'list', data: newestFirst.slice(start, start + limit), has_more: start + limit < newestFirst.length, url };
}
