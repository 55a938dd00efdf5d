/** Text from the runbooks as admins read it: the procedure's title, never the internal seed numbers. */

/** The procedures hybridops follows, by their internal seed number. */
const PROCEDURES: Readonly<Record<string, string>> = {
  '000': 'Configure integration between Exchange Server and Microsoft Teams',
  '001': 'Configure integration between Exchange Server and Skype for Business Online',
  '002': 'Configure Integration between Skype for Business Online or Microsoft Teams and Exchange Server',
  '003': 'Configure OAuth between Skype for Business Online and Exchange on premises',
};

/** `… (seed 000)` loses the number; `seed 000 step 7` becomes `step 7 of "Configure integration …"`; "the seed" "the procedure". */
export function procedureText(text: string): string {
  return text
    .replace(/\s*\(seed \d{3}\)/g, '')
    .replace(/seed (\d{3}) step (\d+)/g, (_m, seed: string, step: string) =>
      PROCEDURES[seed] ? `step ${step} of "${PROCEDURES[seed]}"` : `step ${step}`,
    )
    .replace(/\b([Tt])he seed\b/g, (_m, t: string) => `${t}he procedure`);
}
