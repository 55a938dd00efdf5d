/** With HYBRIDOPS_DB on PostgreSQL, the bot and the CLI plan, approve and apply end to end. */
import path from 'node:path';
import { VERBS } from '../../src/bot/cards/elements';
import { ALEX, buttons, cardText, LEE, startBot } from '../bot/support';
import { DC, DOMAIN, fixedClock, tempDir, writeLabOrg } from '../support/lab-org';
import { cli } from '../support/run-cli';
import { describeOnPostgres } from './support';

jest.setTimeout(60_000);

describeOnPostgres('the bot and the CLI', (target) => {
  it('plans in Teams, takes an approval from a second person, runs the plan and keeps the record', async () => {
    const bot = await startBot({ databaseUrl: await target.newDatabase() });
    try {
      const [plan] = await bot.say('plan teams domain=contoso.com dc=dc01.contoso.com', ALEX);
      const request = buttons(plan ?? null)['Request approval'];
      const asked = await bot.click(request?.verb ?? '', request?.data ?? {}, ALEX, 'plan-card');
      const approvalId = JSON.stringify(asked.card).match(/"approvalId":"([0-9a-f-]{36})"/)?.[1] ?? '';
      expect(cardText(asked.card)).toContain('Waiting for an approver');
      expect((await bot.click(VERBS.approve, { approvalId }, LEE, 'plan-card')).text).toContain(
        'Approved by Lee Gu',
      );
      await bot.app.services.coordinator.idle();

      expect(bot.cards().map(cardText).at(-1)).toContain('Succeeded and verified');
      const approval = await bot.store.approvals.getApproval(approvalId);
      expect(approval).toMatchObject({ state: 'approved', decidedByName: 'Lee Gu' });
      expect(await bot.store.runs.listRuns()).toEqual([
        expect.objectContaining({ id: approval?.runId, runbook: 'teams', state: 'succeeded' }),
      ]);
      expect(await bot.countRows('bot_plans')).toBe(1);
      const status = cardText((await bot.say(`status ${approval?.runId?.slice(0, 8)}`, LEE))[0]);
      expect(status).toContain('succeeded');
    } finally {
      await bot.close();
    }
  });

  it('plans, applies with --yes and shows the run in history from a terminal', async () => {
    const clock = fixedClock();
    const { dir, cleanup } = tempDir();
    try {
      const lab = await writeLabOrg(dir, clock);
      const env = { HYBRIDOPS_DB: await target.newDatabase(), HYBRIDOPS_ACTOR: 'alice' };
      const run = (...argv: string[]) => cli(argv, env, clock);
      const where = ['--lab', lab, '--domain', DOMAIN, '--dc', DC, '--runbook', 'sfb-online'];

      expect((await run('plan', ...where, '--json')).code).toBe(0);
      const applied = await run('apply', ...where, '--yes');
      expect(applied).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Applied: \d+ step\(s\)/) });
      const entries = JSON.parse((await run('history', '--json')).stdout) as { action: string }[];
      expect(entries.map((entry) => entry.action)).toEqual(
        expect.arrayContaining(['run.started', 'command', 'run.finished']),
      );
      expect((await run('apply', ...where, '--yes')).stdout).toMatch(/^Applied: 0 step\(s\) changed/);
    } finally {
      cleanup();
    }
  });

  it('asks for HYBRIDOPS_RELAY_KEY before it registers a relay agent', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const env: NodeJS.ProcessEnv = { HYBRIDOPS_DB: await target.newDatabase() };
      const add = ['agents', 'add', '--id', 'ex01', '--out', path.join(dir, 'ex01.json')];
      const refused = await cli(add, env, fixedClock());
      expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('Set HYBRIDOPS_RELAY_KEY') });
      env.HYBRIDOPS_RELAY_KEY = path.join(dir, 'relay-signing-key.pem');
      expect((await cli(add, env, fixedClock())).code).toBe(0);
      const listed = JSON.parse((await cli(['agents', 'list', '--json'], env, fixedClock())).stdout);
      expect(listed).toEqual([expect.objectContaining({ id: 'ex01', revokedAt: null })]);
    } finally {
      cleanup();
    }
  });
});
