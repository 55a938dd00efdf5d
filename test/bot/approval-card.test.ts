import { approvalCard } from '../../src/bot/cards/approval-card';
import type { ApprovalRecord } from '../../src/store/bot-repositories';
import { cardText, T0 } from './support';

const plan = {
  runbook: 'teams',
  title: 'Exchange and Teams',
  hash: 'abcdef0123456789',
  caution: null,
  steps: [
    {
      id: 's1',
      title: 'Register the auth server',
      change: 'create',
      detail: 'None yet.',
      command: 'New-AuthServer',
    },
    { id: 's2', title: 'Partner application', change: 'none', detail: 'In place.', command: null },
  ].map((step) => ({ ...step, warnings: [], operations: [] })),
};

const approval = (state: ApprovalRecord['state']): ApprovalRecord => ({
  id: '00000000-0000-4000-8000-000000000001',
  planId: '00000000-0000-4000-8000-000000000002',
  conversationId: 'c',
  requester: 'r',
  requesterName: 'Alex Wilber',
  planHash: 'abcdef0123456789',
  approvers: ['a'],
  state,
  createdAt: T0.toISOString(),
  expiresAt: new Date(T0.getTime() + 60_000).toISOString(),
  decidedBy: state === 'pending' ? null : 'a',
  decidedByName: state === 'pending' ? null : 'Lee Gu',
  decidedAt: state === 'pending' ? null : T0.toISOString(),
  runId: null,
  messageId: null,
  reason: null,
  runMessageId: null,
  runReference: null,
});

describe('the approval card', () => {
  it('lists the approved steps in every state and view, made once per plan and approval', () => {
    const asked = approvalCard(approval('pending'), plan as never, { view: 'approver', now: T0 });
    const approved = approvalCard(approval('approved'), plan as never, {
      view: 'readOnly',
      now: T0,
      notice: { text: 'Approved: the run starts below.', tone: 'good' },
    });
    for (const card of [asked, approved]) {
      expect(cardText(card)).toContain('1 · Register the auth server');
      expect(cardText(card)).toContain('1 step(s) already in place are not listed.');
      expect(cardText(card)).not.toContain('Partner application');
    }
    expect(cardText(approved)).toContain('Approved by');
    // Each click on the card renders it for its clicker: the step list is built once and shared.
    const rows = (card: typeof asked) =>
      (card.body as unknown[]).filter((e) => (e as { type?: string }).type === 'ColumnSet');
    expect(rows(approved)[0]).toBe(rows(asked)[0]);
  });
});
