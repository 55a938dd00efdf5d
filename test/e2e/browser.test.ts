import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { ADMIN_CHANNEL } from '../../src/bot/admin-channel';
import { VERBS } from '../../src/bot/cards/elements';
import { historyPageCard } from '../../src/bot/commands/history';
import { E2E_ORG, frameText, type PlaygroundWorld, startWorld } from './support';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(__dirname, '..', '..', 'docs', 'screenshots');
const describeWithBrowser = fs.existsSync(CHROMIUM) ? describe : describe.skip;
if (!fs.existsSync(CHROMIUM)) {
  console.warn(
    `Skipping the browser end-to-end test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).`,
  );
}

describeWithBrowser('an admin in the playground’s Teams client, in headless Chromium', () => {
  let world: PlaygroundWorld;
  let browser: BrowserContext;
  let page: Page;
  let userDataDir: string;

  beforeAll(async () => {
    world = await startWorld({ watched: true });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-chromium-'));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      viewport: { width: 1280, height: 3200 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  const cardWith = (text: string) => page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();

  it('plans, requests, gets a second admin’s approval, and shows every step done and a green result', async () => {
    await page.goto(world.playground.url);
    await page.getByRole('button', { name: 'Hide log panel' }).click();
    await page.getByRole('treeitem', { name: 'Hybrid admins - Hybrid Ops' }).click();
    await page.getByRole('textbox').first().click();
    await page.keyboard.type('@hyb');
    await page.getByRole('menuitem', { name: /hybridops/ }).click();
    await page.keyboard.type(' plan teams domain=contoso.com dc=dc01.contoso.com');
    await page.getByRole('button', { name: 'Post' }).click();

    const plan = cardWith('Plan: Exchange Server');
    await plan.getByRole('button', { name: 'Request approval' }).waitFor({ timeout: 20_000 });
    await plan.getByText('2 · Mail user TeamsScheduler').click();
    await plan.getByText("New-MailUser -Name 'TeamsScheduler'").waitFor();
    await plan.screenshot({ path: path.join(SCREENSHOTS, 'plan-card.png') });

    // The watch scans the org before the fix: its drift comes to the channel as an alert card.
    await world.app.watch?.scan(E2E_ORG.id);
    const alert = cardWith('Plan the fix');
    await alert.getByRole('button', { name: 'Acknowledge' }).waitFor({ timeout: 20_000 });
    await alert.screenshot({ path: path.join(SCREENSHOTS, 'alert-card.png') });

    await plan.getByRole('button', { name: 'Request approval' }).click();
    const approval = cardWith('Approval needed');
    await approval.getByText('Waiting for an approver').waitFor({ timeout: 10_000 });
    await approval.screenshot({ path: path.join(SCREENSHOTS, 'approval-card.png') });

    // The requester's own approval is refused; a second admin (Lee, an approver) approves from his client.
    const card = world.frames
      .filter((frame) => frame.action === 'updateMessage' && frameText(frame).includes('Approval needed'))
      .at(-1);
    const approvalId = JSON.stringify(card).match(/"approvalId":"([0-9a-f-]{36})"/)?.[1];
    const messageId = card?.message?.messageId ?? '';
    const own = await world.invoke(
      VERBS.approve,
      { approvalId },
      'user-id-0',
      messageId,
      card?.actionConversationId ?? '',
    );
    expect(own.body).toContain('You requested this change');
    const approved = await world.invoke(
      VERBS.approve,
      { approvalId },
      'user-id-2',
      messageId,
      card?.actionConversationId ?? '',
    );
    expect(approved.body).toContain('Approved by Lee Gu');

    const run = cardWith('Run: Exchange Server');
    await run.getByText('All steps done. 13/13 steps complete.').waitFor({ timeout: 30_000 });
    await run.screenshot({ path: path.join(SCREENSHOTS, 'run-card.png') });
    const result = cardWith('Result: Exchange Server');
    await result.getByText(/Succeeded and verified/).waitFor({ timeout: 30_000 });
    await result.screenshot({ path: path.join(SCREENSHOTS, 'result-card.png') });
    await cardWith('Approved: Exchange')
      .getByText(/^Approved by Lee Gu at/)
      .waitFor({ timeout: 10_000 });

    // The history card as `history` answers it, posted to the channel so the client renders it as a post (the
    // Playground shows a second thread's replies collapsed); the command itself is tested in test/bot.
    const stored = await world.app.services.store.conversations.getReference(ADMIN_CHANNEL);
    if (!stored) throw new Error('the admin channel is not known');
    await world.app.services.poster.post(
      stored.reference,
      await historyPageCard(world.app.services.store.runs, null, 1),
    );
    const history = cardWith('latest first');
    await history.getByText('Run finished').waitFor({ timeout: 20_000 });
    await history.screenshot({ path: path.join(SCREENSHOTS, 'history.png') });

    expect(world.onDisk().org.partnerApplications.map((app) => app.name)).toEqual(
      expect.arrayContaining(['TeamsScheduler', 'CloudVoicemail', 'SfBOnline']),
    );
  }, 120_000);
});
