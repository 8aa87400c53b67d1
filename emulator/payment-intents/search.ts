/**
 * `GET /v1/payment_intents/search?query=…`: a documented subset of Stripe's search query language
 * (https://docs.stripe.com/search#search-query-language [DOC]; the PaymentIntent query fields
 * https://docs.stripe.com/search#query-fields-for-paymentintents [DOC]: amount, created, currency,
 * customer, metadata, status).
 *
 * Supported: clauses `field:value` (exact; `metadata["key"]:"value"` too), `amount` and `created`
 * also with `>`, `<`, `>=`, `<=`; a clause may be negated with a leading `-`; values quoted ("…" or '…')
 * or bare; up to 10 clauses joined by `AND` or by `OR` (the docs: "you can't combine AND and OR in the
 * same query" [DOC]). Anything else (the substring operator `~`, `null` checks, parentheses, other fields)
 * is refused with a 400 invalid_request_error, param `query`, that says in our words what the emulator
 * supports [INF]: never an empty result that reads like "nothing matched".
 *
 * Results are newest first and searchable at once [INF]: Stripe's index lags ("data is generally
 * searchable within a minute" [DOC search page]); the emulator has no lag to model. Pages follow
 * Stripe's search envelope (stripe-node lib.d.ts ApiSearchResult [SDK]: object search_result, data,
 * has_more, next_page, url; total_count when expand[]=total_count); `page` is the opaque next_page token.
 */
import { EmulatorError } from '../errors.ts';
import type { PaymentIntentRecord } from '../model.ts';

type Op = ':' | '>' | '<' | '>=' | '<=';
interface Clause {
  field: 'amount' | 'created' | 'currency' | 'customer' | 'status' | 'metadata';
  key?: string;
  op: Op;
  value: string;
  negated: boolean;
}
export interface SearchQuery {
  clauses: Clause[];
  join: 'AND' | 'OR';
}

const FIELDS = ['amount', 'created', 'currency', 'customer', 'status'] as const;
const NUMERIC = new Set(['amount', 'created']);
const MAX_CLAUSES = 10;

const SUPPORTED =
  'The emulator supports this subset of the search query language: amount, created, currency, customer, status and metadata["key"] with ":" (and ">", "<", ">=", "<=" for amount and created), "-" to negate a clause, and up to 10 clauses joined by AND or by OR.';

/** 400 invalid_request_error, param query: what is not supported, then what is [INF]. */
export function unsupportedQuery(why: string): EmulatorError {
  return new EmulatorError(400, { type: 'invalid_request_error', message: `Unsupported search query: ${why}. ${SUPPORTED}`, param: 'query' });
}

// One clause: optional '-', a field or metadata["key"] / metadata['key'], an operator, a quoted or bare value.
const CLAUSE = /^(-?)(metadata\[(?:"([^"]*)"|'([^']*)')\]|[a-z_]+)(>=|<=|:|>|<)(?:"([^"]*)"|'([^']*)'|([^\s"'()]+))$/;

export function parseSearchQuery(query: string): SearchQuery {
  const text = query.trim();
  if (text === '') throw unsupportedQuery('the query is empty');
  if (/[()]/.test(text)) throw unsupportedQuery('parentheses are not supported');
  // Split on AND / OR outside quotes.
  const parts: string[] = [];
  const joins = new Set<'AND' | 'OR'>();
  const tokens = words(text);
  let current = '';
  for (const token of tokens) {
    if (token === 'AND' || token === 'OR') {
      if (current === '') throw unsupportedQuery(`"${token}" must join two clauses`);
      joins.add(token);
      parts.push(current);
      current = '';
    } else current += token;
  }
  if (current === '') throw unsupportedQuery('the query ends with AND or OR');
  parts.push(current);
  if (joins.size > 1) throw unsupportedQuery("AND and OR can't be combined in one query");
  if (parts.length > MAX_CLAUSES) throw unsupportedQuery(`at most ${MAX_CLAUSES} clauses are allowed`);
  const clauses = parts.map((part): Clause => {
    const match = CLAUSE.exec(part);
    if (!match) throw unsupportedQuery(`the clause '${part}' is not of the form field:value`);
    const [, minus, name, keyDq, keySq, op, valDq, valSq, bare] = match;
    const value = valDq ?? valSq ?? bare ?? '';
    const isMetadata = name!.startsWith('metadata[');
    if (!isMetadata && !(FIELDS as readonly string[]).includes(name!)) throw unsupportedQuery(`the field '${name}' is not searchable`);
    const field = (isMetadata ? 'metadata' : name) as Clause['field'];
    if (op !== ':' && !NUMERIC.has(field)) throw unsupportedQuery(`'${op}' applies only to amount and created`);
    if (NUMERIC.has(field) && !/^-?\d+$/.test(value)) throw unsupportedQuery(`${field} takes an integer, not '${value}'`);
    if (value === 'null' && bare !== undefined) throw unsupportedQuery('null checks are not supported');
    return { field, key: isMetadata ? (keyDq ?? keySq) : undefined, op: op as Op, value, negated: minus === '-' };
  });
  return { clauses, join: joins.has('OR') ? 'OR' : 'AND' };
}

/** Splits on whitespace outside quotes; an unclosed quote is refused. */
function words(text: string): string[] {
  const out: string[] = [];
  let word = '';
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      word += ch;
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word += ch;
    } else if (/\s/.test(ch)) {
      if (word) out.push(word);
      word = '';
    } else word += ch;
  }
  if (quote) throw unsupportedQuery('a quote is not closed');
  if (word) out.push(word);
  return out;
}

function holds(pi: PaymentIntentRecord, clause: Clause): boolean {
  let result: boolean;
  if (clause.field === 'amount' || clause.field === 'created') {
    const actual = clause.field === 'amount' ? pi.amount : pi.created;
    const wanted = Number(clause.value);
    result = clause.op === ':' ? actual === wanted : clause.op === '>' ? actual > wanted : clause.op === '<' ? actual < wanted : clause.op === '>=' ? actual >= wanted : actual <= wanted;
  } else if (clause.field === 'metadata') result = pi.metadata[clause.key!] === clause.value;
  else if (clause.field === 'currency') result = pi.currency === clause.value.toLowerCase();
  else if (clause.field === 'customer') result = (pi.customer ?? null) === clause.value;
  else result = pi.status === clause.value;
  return clause.negated ? !result : result;
}

export function matchesQuery(pi: PaymentIntentRecord, query: SearchQuery): boolean {
  return query.join === 'AND' ? query.clauses.every((c) => holds(pi, c)) : query.clauses.some((c) => holds(pi, c));
}

/** `page` tokens: the offset into the result, opaque to clients (Stripe's are opaque too [SDK]). */
export function pageToken(offset: number): string {
  return `page_${Buffer.from(`offset:${offset}`).toString('base64url')}`;
}
export function offsetOf(token: string): number | null {
  if (!token.startsWith('page_')) return null;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token.slice(5), 'base64url').toString());
  return match ? Number(match[1]) : null;
}
