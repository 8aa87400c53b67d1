/**
 * Options for allure-playwright: the environment block of the Allure report and the categories that
 * sort failures by what went wrong. Categories match the failure message (Allure's only hook), so
 * each regex names the message the suite's own helpers produce.
 */
import { Status } from 'allure-js-commons';
import type { Category, EnvironmentInfo } from 'allure-js-commons/sdk';
import { suiteEnvironment } from '../environment.ts';
import type { Env, TargetDescriptor } from '../target.ts';

const anywhere = (pattern: string) => `[\\s\\S]*(?:${pattern})[\\s\\S]*`;

export const ALLURE_CATEGORIES: Category[] = [
  {
    name: 'schema violation',
    description: "A payload broke Stripe's schema (toMatchSchema, helpers/schema.ts): the message lists JSON path, keyword, declared and received.",
    messageRegex: anywhere('violation\\(s\\) of schema'),
    matchedStatuses: [Status.FAILED, Status.BROKEN],
  },
  {
    name: 'limit not enforced',
    description: 'The target accepted what the contract says it must refuse (a charge over max_amount, in another currency, on an expired or revoked token): a 2xx or a resolved call where a refusal was expected.',
    // helpers/charging.ts says "expected a refusal, got 200"; plain expects say it their own way.
    messageRegex: anywhere('expected a refusal, got 2\\d\\d|Received promise resolved instead of rejected|Expected: 4\\d\\d\\s+Received: 2\\d\\d'),
    matchedStatuses: [Status.FAILED, Status.BROKEN],
  },
  {
    name: 'event missing',
    description: 'An expected event did not arrive within its bound (helpers/events-fixtures.ts: "No <type> about <id> within N s").',
    messageRegex: anywhere('No \\S+ about \\S+ within [\\d.]+ m?s|event[\\s\\S]*(?:missing|not (?:seen|received|delivered))'),
    matchedStatuses: [Status.FAILED, Status.BROKEN],
  },
  {
    name: 'not applicable',
    description: 'The target lacks a capability the requirement needs (a virtual clock, pushed webhooks, an agent key): not a pass, not a failure.',
    messageRegex: anywhere('not applicable'),
    matchedStatuses: [Status.SKIPPED],
  },
];

/** The environment block: each target as its descriptor describes it (never with credentials), then the suite's own. */
export function allureEnvironment(targets: readonly Pick<TargetDescriptor, 'name' | 'describe'>[], variables: Env): EnvironmentInfo {
  const env = suiteEnvironment();
  const described = targets.map((t) => ({ name: t.name, ...t.describe(variables) }));
  return {
    Targets: described.map((t) => t.name).join(', '),
    ...Object.fromEntries(described.flatMap((t) => [[`Base URL (${t.name})`, t.baseUrl], [`API version (${t.name})`, t.apiVersion]])),
    'stripe-node': env.sdk.version,
    Suite: `${env.suite.name} ${env.suite.version}`,
    Commit: env.suite.commit ?? 'unknown',
    Node: env.node,
  };
}
