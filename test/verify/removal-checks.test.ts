import { applyRunbook } from '../../src/engine/apply';
import { getRunbook } from '../../src/runbooks';
import { verifyOrg } from '../../src/verify/verify-runbook';
import { openVerifiedLab, type VerifiedLab } from './lab';

describe('verify of remove-legacy-sfb', () => {
  let lab: VerifiedLab;
  beforeEach(async () => {
    lab = await openVerifiedLab();
  });
  afterEach(() => lab.close());

  const greeting = async () =>
    (await verifyOrg(getRunbook('remove-legacy-sfb'), lab.inputs, lab.deps)).checks.find(
      (check) => check.id === 'voicemail-greeting-dependency',
    );

  it('checks the Out of Office greeting its caution warns about: fine before, failing once the legacy app is gone', async () => {
    expect(await greeting()).toMatchObject({ ok: true });
    const result = await applyRunbook(
      {
        runbook: getRunbook('remove-legacy-sfb'),
        inputs: { ...lab.inputs, acknowledged: true },
        target: lab.file,
        requestedBy: 'alice',
        approvedBy: 'bob',
      },
      lab.deps,
    );
    expect(result.state).toBe('succeeded');
    const after = await greeting();
    expect(after).toMatchObject({ ok: false, fixRunbook: 'teams' });
    expect(after?.detail).toContain('callers no longer hear the Out of Office greeting');
  });
});
