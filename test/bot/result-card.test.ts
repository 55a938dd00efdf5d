import { resultCard } from '../../src/bot/cards/result-card';
import type { StepOutcome } from '../../src/engine/apply';
import type { Check } from '../../src/verify/types';
import { cardText } from './support';

const INPUTS = {
  domain: 'contoso.com',
  dc: 'dc01.contoso.com',
  applicationAccount: true,
  acknowledged: false,
};

const step = (id: string, state: StepOutcome['state'], reached = true): StepOutcome => ({
  id,
  title: `Step ${id}`,
  change: state === 'skipped' ? 'none' : 'update',
  state,
  detail: '',
  commands: [],
  reached,
});

const check = (id: string, title: string): Check => ({
  id,
  title,
  ok: true,
  detail: 'Becomes effective on 2026-11-23; plan rotate-auth-cert again then to publish it.',
  fix: '',
  fixRunbook: null,
  alertBy: 'drift',
});

describe('the result card', () => {
  it('does not tick a step the run skipped: "published once effective" shows as skipped, with why', () => {
    const text = cardText(
      resultCard({
        title: 'Rotate',
        runbook: 'rotate-auth-cert',
        inputs: INPUTS,
        runId: '1234567890',
        state: 'succeeded',
        error: null,
        cancelledBy: null,
        steps: [step('stage', 'succeeded'), step('publish', 'skipped')],
        checks: [
          check('stage', 'New certificate staged'),
          check('publish', 'Staged certificate published once effective'),
        ],
      }),
    );
    expect(text).toContain('✔ New certificate staged');
    expect(text).toContain('↷ Staged certificate published once effective');
    expect(text).not.toContain('✔ Staged certificate published');
    expect(text).toContain('plan rotate-auth-cert again then to publish it');
  });

  it('counts what ran, what was in place and what was never reached separately', () => {
    const text = cardText(
      resultCard({
        title: 'Teams',
        runbook: 'teams',
        inputs: INPUTS,
        runId: '1234567890',
        state: 'failed',
        error: 'New-ManagementRole failed',
        cancelledBy: null,
        steps: [
          step('a', 'skipped'),
          step('b', 'succeeded'),
          step('c', 'failed'),
          step('d', 'skipped', false),
        ],
        checks: [],
      }),
    );
    expect(text).toMatch(/Changed\n1\nAlready in place\n1\nNot reached\n1/);
    expect(text).toContain('Left not done: Step c; Step d.');
  });
});
