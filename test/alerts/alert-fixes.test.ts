import { buildAlertCard } from '../../src/alerts/alert-card';
import type { WatchedOrg } from '../../src/alerts/types';
import { renderAlertCard } from '../../src/bot/alerts/alert-card';
import type { Check, ExpiryItem } from '../../src/verify/types';

const ORG: WatchedOrg = {
  id: 'contoso',
  name: 'contoso.com',
  runbook: 'teams',
  inputs: { domain: 'contoso.com', dc: 'dc01.contoso.com', applicationAccount: true, acknowledged: false },
  channelId: '19:ops@thread.tacv2',
};

const drift = (id: string): Check => ({
  id,
  title: `Check ${id}`,
  ok: false,
  detail: 'Not as the runbook wants it.',
  fix: 'Set-Something',
  fixRunbook: 'teams',
  alertBy: 'drift',
});

const expiry: ExpiryItem = {
  id: 'auth-cert-ABC',
  kind: 'authCertificate',
  title: 'Exchange auth certificate ABC',
  at: '2026-12-01T00:00:00.000Z',
  thumbprint: 'ABC',
  where: ['Exchange'],
  fixRunbook: 'rotate-auth-cert',
  announce: 'thresholds',
};

describe('an alert combining drift and a certificate expiry', () => {
  it('offers one "Plan …" button per runbook that fixes part of it: the rotation and the drift runbook', () => {
    const card = buildAlertCard(
      'alert-1',
      ORG,
      Array.from({ length: 11 }, (_, i) => drift(`check-${i}`)),
      [{ item: expiry, daysLeft: 5, threshold: 7 }],
      new Date('2026-11-26T00:00:00.000Z'),
    );
    const actions = (renderAlertCard(card).actions ?? []) as {
      title: string;
      data: Record<string, unknown>;
    }[];
    const plans = actions.filter((action) => action.title.startsWith('Plan'));
    expect(plans.map((action) => action.title)).toEqual(['Plan rotate-auth-cert', 'Plan teams']);
    expect(plans.map((action) => action.data)).toEqual([
      { alertId: 'alert-1', runbook: 'rotate-auth-cert' },
      { alertId: 'alert-1', runbook: 'teams' },
    ]);
  });

  it('keeps the single "Plan the fix" button when one runbook fixes everything', () => {
    const card = buildAlertCard(
      'alert-2',
      ORG,
      [drift('role-entries')],
      [],
      new Date('2026-11-26T00:00:00.000Z'),
    );
    const titles = ((renderAlertCard(card).actions ?? []) as { title: string }[]).map((a) => a.title);
    expect(titles).toContain('Plan the fix');
  });
});
